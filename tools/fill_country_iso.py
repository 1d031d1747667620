#!/usr/bin/env python3
"""Fills the iso2 and iso3 columns of data/countries.csv from Debian's iso-codes package.

Each customs country code's Chinese name is matched against the zh_CN translation of
ISO 3166-1 (/usr/share/iso-codes/json/iso_3166-1.json and
/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo), then its English name against the
ISO names; ALIASES covers the names that differ in both. Regions ("亚洲", "...其他国家")
and codes without an ISO country stay empty. Existing codes are kept. Prints what it could
not match. Usage: tools/fill_country_iso.py [--check]   (--check: exit 1 if a change is due)
"""
import csv
import gettext
import json
import sys

ISO = '/usr/share/iso-codes/json/iso_3166-1.json'
MO = '/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo'
CSV = 'data/countries.csv'

# customs code → ISO alpha-2, where neither name matches.
ALIASES = {
    '109': 'KP', '110': 'HK', '113': 'IR', '119': 'LA', '121': 'MO', '133': 'KR', '135': 'SY',
    '139': 'YE', '141': 'VN', '143': 'TW', '144': 'TL', '146': 'KG', '147': 'TJ', '149': 'UZ',
    '202': 'AO', '208': 'CV', '213': 'CG', '222': 'GW', '223': 'CI', '226': 'LY', '244': 'ZA',
    '247': 'TZ', '252': 'CD', '257': 'SZ', '259': 'YT', '340': 'BY', '343': 'MD', '344': 'RU',
    '350': 'SI', '351': 'HR', '352': 'CZ', '353': 'SK', '354': 'MK', '355': 'BA', '356': 'VA',
    '414': 'DM', '418': 'DO', '420': 'GF', '437': 'LC', '438': 'MF', '439': 'VC', '502': 'US',
    '409': 'BQ', '417': 'CW', '442': 'TT', '447': 'KN',
}


def main():
    data = json.load(open(ISO))['3166-1']
    zh = gettext.GNUTranslations(open(MO, 'rb'))
    by_zh, by_en, by_a2 = {}, {}, {}
    for c in data:
        by_a2[c['alpha_2']] = c
        for key in ('name', 'common_name', 'official_name'):
            if key in c:
                by_en[c[key].lower()] = c
                by_zh[zh.gettext(c[key])] = c
    rows = list(csv.DictReader(open(CSV, encoding='utf-8')))
    missing = []
    changed = False
    for r in rows:
        if r['iso2']:
            continue
        c = None
        if r['customs_code'] in ALIASES:
            c = by_a2[ALIASES[r['customs_code']]]
        name = r['name_zh']
        for cand in (name, name.removeprefix('中国'), name.replace('共和国', '')):
            c = c or by_zh.get(cand)
        c = c or by_en.get(r['name_en'].lower())
        if c is None:
            if not (r['customs_code'].endswith('00') or r['customs_code'].endswith('99')):
                missing.append(f"{r['customs_code']} {r['name_zh']} {r['name_en']}")
            continue
        r['iso2'], r['iso3'] = c['alpha_2'], c['alpha_3']
        changed = True
    if '--check' in sys.argv:
        print('countries.csv: ' + ('changes due' if changed else 'up to date'))
        return 1 if changed else 0
    with open(CSV, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=['customs_code', 'iso2', 'iso3', 'name_zh', 'name_en'],
                           lineterminator='\r\n')
        w.writeheader()
        w.writerows(rows)
    print(f'{sum(1 for r in rows if r["iso2"])} of {len(rows)} rows have ISO codes')
    for m in missing:
        print('not matched:', m)
    return 0


if __name__ == '__main__':
    sys.exit(main())
