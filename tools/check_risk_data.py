#!/usr/bin/env python3
"""Checks the risk-control data tables in data/risk against the generator catalogue.

The tables (see data/SOURCES.md, section data/risk):
  data/risk/hs_keywords.csv   chapter,keywords,note          keywords: '|'-separated
  data/risk/prohibited.csv    kind,match,value,reason_zh,reason_en,source
  data/risk/positive_list.csv hs_prefix,description,source

The goods of the generator catalogue are the rows of the kImports, kLuxury and kExports
tables in src/gen/catalog.cc (item number, name, English name, model, 10-digit HS code, ...).

Checks (any failure makes the exit status 1):
  1. Format: headers, field syntax, no commas or quotes inside fields (the files are read
     by a plain split on ','), keywords in lower case (a goods name is matched after its
     ASCII letters are lower-cased), no keyword twice under one chapter, HS prefixes that
     exist in the tariff (data/hs_codes.csv, the 2019 nomenclature).
  2. Name fit: for every catalogue goods, the set S of chapters whose keywords occur in its
     name is empty or contains the chapter of its HS code (the rule of src/risk).
  3. No prohibited.csv row matches a catalogue goods (HS prefix or keyword in the name).
  4. Every import goods (kImports and kLuxury) has an HS code under a positive_list.csv
     prefix.
For information it also prints how many names of the tariff itself get a keyword set that
leaves out their own chapter (a rough false-positive measure), with the keywords behind
most of them, and how much of the tariff the positive list covers.

Usage: tools/check_risk_data.py [--root DIR] [--tariff FILE] [--show N]
  --show N   list N tariff names whose keyword set leaves out their chapter (default 0)
"""
import argparse
import collections
import csv
import os
import re
import sys

CATALOG_TABLES = ('kImports', 'kLuxury', 'kExports')
IMPORT_TABLES = ('kImports', 'kLuxury')
KINDS = ('prohibited', 'restricted')
MATCHES = ('hs', 'keyword')

# One catalogue row: {"item_no", "name", "english", "gmodel", "hs", ...
ROW_RE = re.compile(r'\{\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)",\s*"(\d{10})"')


def fold(text):
    """Lower-cases ASCII letters only (what the C++ side does to a goods name)."""
    return ''.join(c.lower() if 'A' <= c <= 'Z' else c for c in text)


class Report:
    def __init__(self):
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)


def load_catalog(path, report):
    """Returns {table: [(item_no, name, hs)]}."""
    text = open(path, encoding='utf-8').read()
    tables = {}
    for table in CATALOG_TABLES:
        m = re.search(r'constexpr Row ' + table + r'\[\] = \{(.*?)\n\};', text, re.S)
        if not m:
            report.fail(f'{path}: table {table} not found')
            continue
        body = m.group(1)
        rows = [(r[0], r[1], r[4]) for r in ROW_RE.findall(body)]
        opened = len(re.findall(r'^\s*\{"', body, re.M))
        if not rows or len(rows) != opened:
            report.fail(f'{path}: {table}: parsed {len(rows)} rows of {opened}')
        tables[table] = rows
    return tables


def read_csv(path, header, report):
    name = os.path.basename(path)
    try:
        lines = open(path, encoding='utf-8').read().split('\n')
    except OSError as e:
        report.fail(f'{path}: {e}')
        return []
    if lines and lines[-1] == '':
        lines.pop()
    else:
        report.fail(f'{name}: no newline at the end')
    if not lines or lines[0] != ','.join(header):
        report.fail(f'{name}: header must be {",".join(header)}')
        return []
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if '"' in line or '\r' in line:
            report.fail(f'{name}:{n}: quotes or CR in the line')
        fields = line.split(',')
        if len(fields) != len(header):
            report.fail(f'{name}:{n}: {len(fields)} fields, want {len(header)}')
            continue
        if any(f != f.strip() or not f for f in fields):
            report.fail(f'{name}:{n}: empty field or surrounding blanks')
        rows.append((n, dict(zip(header, fields))))
    return rows


def load_tariff(path, report):
    codes = []
    with open(path, encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            codes.append((row['hs_code'], row['name_zh']))
    if not codes:
        report.fail(f'{path}: no tariff rows')
    return codes


def hs_prefix_ok(value, tariff_codes):
    return (value.isdigit() and 2 <= len(value) <= 10
            and any(c.startswith(value) for c in tariff_codes))


def load_keywords(path, report):
    """Returns [(chapter, [keyword])]."""
    out = []
    seen_chapters = set()
    for n, row in read_csv(path, ('chapter', 'keywords', 'note'), report):
        ch = row['chapter']
        if not (len(ch) == 2 and ch.isdigit() and '01' <= ch <= '97'):
            report.fail(f'hs_keywords.csv:{n}: bad chapter {ch!r}')
        if ch in seen_chapters:
            report.fail(f'hs_keywords.csv:{n}: chapter {ch} twice')
        seen_chapters.add(ch)
        kws = row['keywords'].split('|')
        for kw in kws:
            if not kw or kw != kw.strip():
                report.fail(f'hs_keywords.csv:{n}: empty keyword or blanks in {kw!r}')
            if kw != fold(kw):
                report.fail(f'hs_keywords.csv:{n}: keyword {kw!r} is not lower case')
        for kw, count in collections.Counter(kws).items():
            if count > 1:
                report.fail(f'hs_keywords.csv:{n}: keyword {kw!r} twice under {ch}')
        out.append((ch, kws))
    return out


def chapters_for(name, keywords):
    """Returns {chapter: [keywords found]} for a goods name."""
    folded = fold(name)
    hits = {}
    for ch, kws in keywords:
        found = [kw for kw in kws if kw in folded]
        if found:
            hits[ch] = found
    return hits


def load_prohibited(path, tariff_codes, report):
    rows = read_csv(path, ('kind', 'match', 'value', 'reason_zh', 'reason_en', 'source'),
                    report)
    seen = set()
    for n, row in rows:
        if row['kind'] not in KINDS:
            report.fail(f'prohibited.csv:{n}: kind must be one of {KINDS}')
        if row['match'] not in MATCHES:
            report.fail(f'prohibited.csv:{n}: match must be one of {MATCHES}')
        if row['match'] == 'hs' and not hs_prefix_ok(row['value'], tariff_codes):
            report.fail(f'prohibited.csv:{n}: {row["value"]!r} is no HS prefix of the tariff')
        if row['match'] == 'keyword' and row['value'] != fold(row['value']):
            report.fail(f'prohibited.csv:{n}: keyword {row["value"]!r} is not lower case')
        key = (row['match'], row['value'])
        if key in seen:
            report.fail(f'prohibited.csv:{n}: {row["match"]} {row["value"]} twice')
        seen.add(key)
    return [row for _, row in rows]


def load_positive(path, tariff_codes, report):
    rows = read_csv(path, ('hs_prefix', 'description', 'source'), report)
    prefixes = []
    for n, row in rows:
        p = row['hs_prefix']
        if not hs_prefix_ok(p, tariff_codes):
            report.fail(f'positive_list.csv:{n}: {p!r} is no HS prefix of the tariff')
        if '[M]' not in row['source']:
            report.fail(f'positive_list.csv:{n}: source must say [M]')
        for q in prefixes:
            if p.startswith(q) or q.startswith(p):
                report.fail(f'positive_list.csv:{n}: {p} overlaps {q}')
        prefixes.append(p)
    return prefixes


def prohibited_hits(name, hs, rows):
    folded = fold(name)
    return [r for r in rows
            if (r['match'] == 'hs' and hs.startswith(r['value']))
            or (r['match'] == 'keyword' and r['value'] in folded)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', default=os.path.dirname(here))
    ap.add_argument('--tariff', help='default: ROOT/data/hs_codes.csv')
    ap.add_argument('--show', type=int, default=0)
    args = ap.parse_args()
    root = args.root
    risk = os.path.join(root, 'data', 'risk')
    report = Report()

    tariff = load_tariff(args.tariff or os.path.join(root, 'data', 'hs_codes.csv'), report)
    tariff_codes = [c for c, _ in tariff]
    catalog = load_catalog(os.path.join(root, 'src', 'gen', 'catalog.cc'), report)
    keywords = load_keywords(os.path.join(risk, 'hs_keywords.csv'), report)
    prohibited = load_prohibited(os.path.join(risk, 'prohibited.csv'), tariff_codes, report)
    positive = load_positive(os.path.join(risk, 'positive_list.csv'), tariff_codes, report)

    goods = [(t, item, name, hs) for t in CATALOG_TABLES for item, name, hs in catalog.get(t, [])]
    empty_sets = []
    for table, item, name, hs in goods:
        hits = chapters_for(name, keywords)
        if not hits:
            empty_sets.append(item)
        elif hs[:2] not in hits:
            report.fail(f'name fit: {table} {item} {name} ({hs}): keywords say '
                        + ', '.join(f'{ch} {"/".join(k)}' for ch, k in sorted(hits.items())))
        for r in prohibited_hits(name, hs, prohibited):
            report.fail(f'prohibited: {table} {item} {name} ({hs}) matches {r["kind"]} '
                        f'{r["match"]} {r["value"]}')
        if table in IMPORT_TABLES and not any(hs.startswith(p) for p in positive):
            report.fail(f'positive list: {table} {item} {name} ({hs}) is not covered')

    # For information: the tariff's own names against the keywords.
    misfits = []
    blame = collections.Counter()
    with_set = 0
    for code, name in tariff:
        hits = chapters_for(name, keywords)
        if not hits:
            continue
        with_set += 1
        if code[:2] not in hits:
            misfits.append((code, name, hits))
            for kws in hits.values():
                blame.update(kws)
    covered = [c for c in tariff_codes if any(c.startswith(p) for p in positive)]

    n_kw = sum(len(k) for _, k in keywords)
    print(f'catalogue: {len(goods)} goods ('
          + ', '.join(f'{t} {len(catalog.get(t, []))}' for t in CATALOG_TABLES)
          + f'); {len(empty_sets)} with an empty keyword set'
          + (f' ({", ".join(empty_sets)})' if empty_sets else ''))
    print(f'hs_keywords.csv: {len(keywords)} chapters, {n_kw} keyword entries, '
          f'{len({kw for _, k in keywords for kw in k})} distinct keywords')
    print(f'prohibited.csv: {len(prohibited)} rows ('
          + ', '.join(f'{k} {sum(r["kind"] == k for r in prohibited)}' for k in KINDS) + ')')
    print(f'positive_list.csv: {len(positive)} prefixes, covering {len(covered)} of '
          f'{len(tariff_codes)} tariff codes '
          f'({len({c[:8] for c in covered})} distinct 8-digit lines; the 2022 list has 1,476)')
    print(f'tariff names (information): {with_set} of {len(tariff)} get a keyword set; '
          f'{len(misfits)} of those leave out their own chapter')
    if blame:
        print('  keywords behind most of them: '
              + ', '.join(f'{kw} {n}' for kw, n in blame.most_common(15)))
    for code, name, hits in misfits[:args.show]:
        print(f'  {code} {name}: '
              + ', '.join(f'{ch} {"/".join(k)}' for ch, k in sorted(hits.items())))

    for msg in report.failures:
        print('FAIL ' + msg)
    if report.failures:
        print(f'{len(report.failures)} failure(s)')
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
