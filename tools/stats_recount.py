#!/usr/bin/env python3
"""An independent recount of the statistics rollups (GET /api/v1/stats, shumao report).

The rollups (src/stats) are updated in the clearance transaction. This script counts the
same figures again from raw data, without the rollups' code, and holds every answer of
the API and of the monthly report against the recount:

 1. `shumao gen` writes a year of traffic (3,000 import and 3,000 export parcels, 3%
    labelled faults). Its parties are registered, about half with an explicit zone, so
    that lists take their zone from the e-commerce enterprise, from the agent and from
    the code (customs code and USCC), each e-commerce enterprise with an overseas
    warehouse (9810), each agent with a guarantee; bonded stock in, `ingest --replay`
    with risk screening on (so lists also end in inspection 500 and review 300), `tick`
    three days after the last day and once at the wall clock's now (serve's own ticker
    works on the wall clock every 5 s; a pass during which the store changed is done
    again). Over HTTP customs then releases three lists under inspection or review and
    refuses one (wall clock).
 2. The recount reads the generated CEB621 and CEB603 XML (the version the platform
    accepted, from ingest's NDJSON), each list's history from the SQLite file (read
    only: documents, doc_history) and each released import list's tax bill
    (GET /api/v1/taxbills/{invtNo}). Definitions:
      scope     CEB621 with tradeMode 9610 1210 1239; CEB603 with 9610 1210 9710 9810
      lists     released lists (a history row 800), on the Beijing date of the first 800
      parcels   sum of packNo (1 when missing or 0); lines: goods lines
      value_cny sum of totalPrice x the CNY rate of the line currency, 2 decimals
      value_usd per line value_cny / USD rate in force on the release day (fx_rates.csv),
                rounded to 5 decimals, summed, 2 decimals (all roundings half away from 0)
      tax_cny   taxTotal of the released import lists' tax bills (no returns in gen)
      clearance floor((release - appTime)/1000) s, >= 0, on the 20-a-decade grid rounded
                down, nearest-rank p50/p95 (null when no list)
      by        day, month (every period of the range, zeros included), tradeMode,
                direction, ebcCode, zone (ebc's registered zone, else the agent's, else
                the region of the ebcCode in data/stats/zones.csv, else ""), country and
                hsChapter per line (list-level counters to the first line's key), status
                (lists entering 120 300 399 500 800 899 100 on that row's date; negative
                codes count as 100; a row repeating the previous status is no entry)
 3. `shumao serve` on a free port; every measure x by over the whole year, a range from
    mid-month to mid-month and the busiest single day, without filter and with
    direction=export, tradeMode=9610 and ebcCode=<the e-commerce enterprise with the most
    trade modes>; and without filter over the whole history up to today (with the
    decisions). Keys and values are compared exactly (a zero absent on one side equals 0
    for groupings other than day and month). Rights: an enterprise sees its own ebcCode
    only, no token 401, an unknown measure or grouping 400 naming the field.
 4. The monthly report of 2026-06 (CLI json, csv, xlsx; HTTP json and xlsx): the summary
    sheet equals the JSON totals, the CSV holds the same, the totals equal the API and
    the recount.

Exit 0 when everything matched, 1 with the differences listed, 2 on a usage or setup
error.

Usage: tools/stats_recount.py [--keep DIR] [--shumao PATH] [--seed N]
Python 3 standard library only.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from decimal import ROUND_HALF_UP, Decimal

T0 = time.monotonic()


def say(text):
    print(f"[{time.monotonic() - T0:5.1f} s] {text}", flush=True)


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FROM, TO = "2025-11-15", "2026-11-14"
TICK_AT = "2026-11-17"  # the last day + 3
MID = ("2026-02-10", "2026-07-20")
REPORT_MONTH = "2026-06"
ZONES_GIVEN = ("suzhou", "wuxi", "nanjing")  # explicit zones, in turn, for every other party
NS = {"ceb": "http://www.chinaport.gov.cn/ceb"}
SCOPE = {"CEB621": ("import", {"9610", "1210", "1239"}),
         "CEB603": ("export", {"9610", "1210", "9710", "9810"})}
STATUSES = ("120", "300", "399", "500", "800", "899", "100")
MEASURES = ("lists", "parcels", "lines", "value_cny", "value_usd", "tax_cny",
            "clearance_seconds_p50", "clearance_seconds_p95")
BYS = ("day", "month", "tradeMode", "direction", "country", "hsChapter", "ebcCode", "zone")
MONEY = {"value_cny", "value_usd", "tax_cny"}
CLEARANCE = {"clearance_seconds_p50": 50, "clearance_seconds_p95": 95}
FEN = Decimal("0.01")
P5 = Decimal("0.00001")
BJ = dt.timedelta(hours=8)
EPOCH = dt.datetime(1970, 1, 1)


def money(d):
    return str(Decimal(d).quantize(FEN, rounding=ROUND_HALF_UP))


def bj_date(ms):
    return (EPOCH + dt.timedelta(milliseconds=ms) + BJ).date().isoformat()


def c14_ms(s):
    t = dt.datetime.strptime(s, "%Y%m%d%H%M%S") - BJ
    return int((t - EPOCH).total_seconds()) * 1000


GRID = (10, 11, 12, 14, 16, 18, 20, 22, 25, 28, 32, 36, 40, 45, 50, 56, 63, 71, 80, 90)


def bucket(seconds):
    """Exact below 10 s, then the largest step of the 20-a-decade grid not above it
    (docs/stats.md): 9 -> 9, 59 -> 56, 1234 -> 1200, 86399 -> 80000."""
    if seconds < 10:
        return max(0, seconds)
    scale = 1
    while seconds // scale >= 100:
        scale *= 10
    m = seconds // scale
    return max(g for g in GRID if g <= m) * scale


def nearest_rank(values, p):
    if not values:
        return None
    s = sorted(values)
    rank = max(1, (p * len(s) + 99) // 100)  # ceil(p/100 * n)
    return s[rank - 1]


def days(a, b):
    d0, d1 = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    return [(d0 + dt.timedelta(days=i)).isoformat() for i in range((d1 - d0).days + 1)]


def months(a, b):
    out = []
    for d in days(a, b):
        if not out or out[-1] != d[:7]:
            out.append(d[:7])
    return out


class Fail(Exception):
    pass


# ------------------------------------------------------------------ tables

def load_fx():
    rates = {}  # currency -> [(from, rate)] sorted
    with open(os.path.join(REPO, "data", "stats", "fx_rates.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rates.setdefault(r["currency"], []).append((r["from"], Decimal(r["cny_per_unit"])))
    for v in rates.values():
        v.sort()
    return rates


def rate(rates, currency, day):
    if currency == "142":
        return Decimal(1)
    best = None
    for frm, r in rates.get(currency, []):
        if frm <= day:
            best = r
    if best is None:
        raise Fail(f"no rate for currency {currency} on {day} in data/stats/fx_rates.csv")
    return best


def load_regions():
    with open(os.path.join(REPO, "data", "stats", "zones.csv"), encoding="utf-8") as f:
        return {r["region"]: r["zone"] for r in csv.DictReader(f)}


# ------------------------------------------------------------------ raw data

class Line:
    __slots__ = ("country", "chapter", "cny", "usd")


class List:
    """One declaration list as the platform accepted it, with its outcome."""

    def __init__(self, mt, head, lines, fname):
        self.mt = mt
        self.direction = SCOPE[mt][0]
        self.file = fname
        g = lambda k: (head.findtext(f"ceb:{k}", default="", namespaces=NS) or "").strip()
        self.cop, self.agent, self.ebc = g("copNo"), g("agentCode"), g("ebcCode")
        self.trade_mode, self.app_time, self.app_type = g("tradeMode"), g("appTime"), g("appType")
        pack = g("packNo")
        self.parcels = int(pack) if pack.isdigit() and int(pack) > 0 else 1
        head_cur, head_country = g("currency"), g("country")
        self.raw_lines = []
        for ln in lines:
            lg = lambda k: (ln.findtext(f"ceb:{k}", default="", namespaces=NS) or "").strip()
            self.raw_lines.append((lg("gcode"), lg("country") or head_country,
                                   Decimal(lg("totalPrice") or "0"), lg("currency") or head_cur))
        self.in_scope = self.trade_mode in SCOPE[mt][1]
        self.versions = 1
        self.doc_id = None
        self.status = None
        self.invt = ""
        self.history = []  # [(status, time_ms)]
        self.release_ms = None
        self.tax = Decimal(0)
        self.zone = ""

    def finish(self, rates):
        """Release day, values per line, clearance bucket."""
        for st, ms in self.history:
            if st == "800":
                self.release_ms = ms
                break
        if self.release_ms is None:
            return
        self.day = bj_date(self.release_ms)
        usd = rate(rates, "502", self.day)
        self.lines = []
        for gcode, country, total, cur in self.raw_lines:
            ln = Line()
            ln.country, ln.chapter = country, gcode[:2]
            ln.cny = total * rate(rates, cur, self.day)
            ln.usd = (ln.cny / usd).quantize(P5, rounding=ROUND_HALF_UP)
            self.lines.append(ln)
        secs = max(0, (self.release_ms - c14_ms(self.app_time)) // 1000)
        self.seconds = secs
        self.bucket = bucket(secs)

    def entries(self):
        """(status, date) of every history row where the list enters a status."""
        out, prev = [], None
        for st, ms in self.history:
            norm = "100" if st.startswith("-") else st
            if norm != prev:
                out.append((norm, bj_date(ms)))
            prev = norm
        return out

    def rows_per_status(self):
        """The alternative reading: every history row counts (negative -> 100)."""
        return [("100" if st.startswith("-") else st, bj_date(ms)) for st, ms in self.history]


def read_lists(gen_dir, ingest_out):
    accepted = {}  # (file, copNo) -> number of accepted entities
    with open(ingest_out, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            if e.get("kind") == "inventories" and e.get("returnStatus") == "2":
                accepted[(e["file"], e["key"])] = accepted.get((e["file"], e["key"]), 0) + 1
    lists = {}  # (copNo, agentCode) -> List (the last accepted version)
    parsed = 0
    for name in sorted(os.listdir(gen_dir)):
        parts = name.split("-")
        if len(parts) < 4 or parts[2] not in SCOPE:
            continue
        parsed += 1
        root = ET.parse(os.path.join(gen_dir, name)).getroot()
        for inv in root.findall("ceb:Inventory", NS):
            head = inv.find("ceb:InventoryHead", NS)
            l = List(parts[2], head, inv.findall("ceb:InventoryList", NS), name)
            if (name, l.cop) not in accepted:
                continue
            key = (l.cop, l.agent)
            if key in lists:
                l.versions = lists[key].versions + 1
            lists[key] = l
    return lists, parsed, sum(accepted.values())


def attach_store(db, lists):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    docs = con.execute("SELECT id, doc_key, scope, message_type, status, alt_key, deleted FROM documents "
                       "WHERE kind = 'inventories'").fetchall()
    hist = {}
    for did, st, ms in con.execute("SELECT h.document_id, h.status, h.time_ms FROM doc_history h "
                                   "JOIN documents d ON d.id = h.document_id "
                                   "WHERE d.kind = 'inventories' ORDER BY h.id"):
        hist.setdefault(did, []).append((st, ms))
    returns = con.execute("SELECT count(*) FROM documents WHERE kind = 'returns'").fetchone()[0]
    con.close()
    problems = []
    seen = set()
    for did, key, scope, mt, status, alt, deleted in docs:
        l = lists.get((key, scope))
        if l is None:
            problems.append(f"store list {key} (agent {scope}) has no accepted message in gen's files")
            continue
        if l.mt != mt:
            problems.append(f"store list {key}: message type {mt}, accepted file is {l.mt}")
        seen.add((key, scope))
        if deleted:
            l.in_scope = False
            if any(s == "800" for s, _ in hist.get(did, [])):
                problems.append(f"deleted list {key} has an 800 row")
            continue
        l.doc_id, l.status, l.invt, l.history = did, status, alt, hist.get(did, [])
    for k, l in lists.items():
        if k not in seen:
            problems.append(f"accepted list {l.cop} ({l.file}) is not in the store")
    return problems, returns


# ------------------------------------------------------------------ recount

class Recount:
    def __init__(self, lists):
        self.all = [l for l in lists if l.in_scope and l.doc_id is not None]
        self.released = [l for l in self.all if l.release_ms is not None]

    @staticmethod
    def keep(l, flt):
        return ((not flt.get("direction") or l.direction == flt["direction"])
                and (not flt.get("tradeMode") or l.trade_mode == flt["tradeMode"])
                and (not flt.get("ebcCode") or l.ebc == flt["ebcCode"]))

    @staticmethod
    def list_key(l, by):
        if by == "day":
            return l.day
        if by == "month":
            return l.day[:7]
        if by == "tradeMode":
            return l.trade_mode
        if by == "direction":
            return l.direction
        if by == "ebcCode":
            return l.ebc
        if by == "zone":
            return l.zone
        if by == "country":
            return l.lines[0].country if l.lines else ""
        if by == "hsChapter":
            return l.lines[0].chapter if l.lines else ""
        raise ValueError(by)

    def line_key(self, l, ln, by):
        if by == "country":
            return ln.country
        if by == "hsChapter":
            return ln.chapter
        return self.list_key(l, by)

    def query(self, measure, by, frm, to, flt):
        """{key: value as the API prints it} and {key: [copNo]} of the contributing lists."""
        acc, who = {}, {}
        if by == "status":
            for l in self.all:
                if not self.keep(l, flt):
                    continue
                for st, day in l.entries():
                    if st in STATUSES and frm <= day <= to:
                        acc[st] = acc.get(st, 0) + 1
                        who.setdefault(st, []).append(l.cop)
            return acc, who
        for l in self.released:
            if not (frm <= l.day <= to) or not self.keep(l, flt):
                continue
            k = self.list_key(l, by)
            if measure in ("lists", "parcels", "tax_cny") or measure in CLEARANCE:
                if measure == "lists":
                    v = 1
                elif measure == "parcels":
                    v = l.parcels
                elif measure == "tax_cny":
                    v = l.tax
                else:
                    v = [l.bucket]
                acc[k] = acc.get(k, [] if measure in CLEARANCE else 0) + v
                who.setdefault(k, []).append(l.cop)
            else:
                for ln in l.lines:
                    lk = self.line_key(l, ln, by)
                    v = 1 if measure == "lines" else ln.cny if measure == "value_cny" else ln.usd
                    acc[lk] = acc.get(lk, 0) + v
                    who.setdefault(lk, []).append(l.cop)
        if by in ("day", "month"):
            for p in (days(frm, to) if by == "day" else months(frm, to)):
                acc.setdefault(p, [] if measure in CLEARANCE else 0)
        out = {}
        for k, v in acc.items():
            if measure in CLEARANCE:
                out[k] = nearest_rank(v, CLEARANCE[measure])
            elif measure in MONEY:
                out[k] = money(v)
            else:
                out[k] = v
        return out, who

    def status_rows(self, frm, to, flt):
        acc = {}
        for l in self.all:
            if self.keep(l, flt):
                for st, day in l.rows_per_status():
                    if st in STATUSES and frm <= day <= to:
                        acc[st] = acc.get(st, 0) + 1
        return acc


def is_zero(v):
    return v is None or v == 0 or (isinstance(v, str) and Decimal(v) == 0)


# ------------------------------------------------------------------ HTTP

class Api:
    def __init__(self, base):
        self.base = base

    def get(self, path, token=None, raw=False):
        req = urllib.request.Request(self.base + path)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                body = r.read()
                return r.status, (body if raw else json.loads(body))
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                return e.code, json.loads(body)
            except ValueError:
                return e.code, body

    def post(self, path, obj, token):
        req = urllib.request.Request(self.base + path, data=json.dumps(obj).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")


def api_put(api, path, obj, token):
    req = urllib.request.Request(api.base + path, data=json.dumps(obj).encode(), method="PUT",
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ report files

SUMMARY_LABELS = {  # the English half of the summary sheet's labels -> JSON totals field
    "Lists released": "lists", "Parcels": "parcels", "Goods lines": "lines",
    "Value (CNY)": "value_cny", "Value (USD)": "value_usd",
    "Import value (CNY)": "import_value_cny", "Export value (CNY)": "export_value_cny",
    "Import lists": "import_lists", "Export lists": "export_lists", "Tax (CNY)": "tax_cny",
    "Returns": "returns", "Returned value (CNY)": "return_value_cny", "Risk hits": "risk_hits",
    "Lists refused": "refused", "Clearance p50 (s)": "clearance_seconds_p50",
    "Clearance p95 (s)": "clearance_seconds_p95",
}


def label_field(label):
    for en, field in SUMMARY_LABELS.items():
        if label.endswith(" " + en):
            return field
    return None


def xlsx_summary(data):
    """{field: float or None} from the summary sheet, and the sheet names."""
    z = zipfile.ZipFile(io.BytesIO(data))
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    r_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    sheets = [(s.get("name"), s.get(r_ns + "id")) for s in wb.iter(m + "sheet")]
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(m + "si"):
            strings.append("".join(t.text or "" for t in si.iter(m + "t")))
    name, rid = next(((n, r) for n, r in sheets if n == "汇总"), sheets[0])
    target = rels[rid].lstrip("/")
    target = target if target.startswith("xl/") else "xl/" + target
    out = {}
    for row in ET.fromstring(z.read(target)).iter(m + "row"):
        cells = {}
        for c in row.iter(m + "c"):
            col = "".join(ch for ch in c.get("r") if ch.isalpha())
            v = c.find(m + "v")
            if c.get("t") == "s":
                cells[col] = strings[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter(m + "t"))
            elif v is not None:
                cells[col] = float(v.text)
        f = label_field(cells.get("A", "")) if isinstance(cells.get("A"), str) else None
        if f:
            out[f] = cells.get("B")
    return out, [n for n, _ in sheets]


def csv_summary(data):
    if not data.startswith(b"\xef\xbb\xbf"):
        raise Fail("the CSV report has no UTF-8 BOM")
    out, inside = {}, False
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if row and row[0].endswith("Summary"):
            inside = True
            continue
        if inside and not any(row):
            break
        if inside and len(row) >= 2:
            f = label_field(row[0])
            if f:
                out[f] = row[1]
    return out


# ------------------------------------------------------------------ the run

class Check:
    def __init__(self):
        self.queries = self.keys = self.values = 0
        self.diffs = []  # (group, text)
        self.table = {}  # group -> [queries, keys, values, mismatches]
        self.notes = []

    def row(self, group):
        return self.table.setdefault(group, [0, 0, 0, 0])

    def fail(self, group, text):
        self.diffs.append((group, text))
        self.row(group)[3] += 1

    def same(self, group, what, got, want):
        r = self.row(group)
        r[2] += 1
        self.values += 1
        if got != want:
            self.fail(group, f"{what}: got {got!r}, recount/expected {want!r}")
            return False
        return True


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (created, must be empty) and keep it")
    ap.add_argument("--shumao", metavar="PATH", default=os.path.join(REPO, "build", "shumao"),
                    help="the shumao binary (default: build/shumao of this repository)")
    ap.add_argument("--seed", type=int, default=11, help="gen seed (default 11)")
    ap.add_argument("--max-diffs", type=int, default=60, help="differences printed (default 60)")
    args = ap.parse_args()
    shumao = os.path.abspath(args.shumao)
    if not os.access(shumao, os.X_OK):
        print(f"stats_recount: no executable shumao at {shumao}", file=sys.stderr)
        return 2
    if args.keep:
        work = os.path.abspath(args.keep)
        os.makedirs(work, exist_ok=True)
        if os.listdir(work):
            print(f"stats_recount: --keep {work} is not empty", file=sys.stderr)
            return 2
    else:
        work = tempfile.mkdtemp(prefix="stats_recount.")
    started = time.monotonic()
    try:
        return check(shumao, work, args)
    except (Fail, subprocess.CalledProcessError) as e:
        print(f"stats_recount: setup failed: {e}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        print(f"run time: {time.monotonic() - started:.1f} s" + (f" (kept in {work})" if args.keep else ""))


def plan_zones(g, parties):
    """About half the parties get an explicit zone (the zones in turn). Every other agent
    has one; among the e-commerce enterprises, for each code length (10: customs code,
    18: USCC) one whose usual agent has no zone gets none (its zone comes from its code),
    one whose usual agent has a zone gets none (the agent's zone), the others alternate."""
    agents_of = {}
    pair = re.compile(rb"<ceb:(ebcCode|agentCode)>([^<]*)<")
    for name in os.listdir(g):
        if "-CEB621-" in name or "-CEB603-" in name:
            with open(os.path.join(g, name), "rb") as f:
                found = dict(pair.findall(f.read()))
            e, a = found.get(b"ebcCode", b"").decode(), found.get(b"agentCode", b"").decode()
            agents_of.setdefault(e, {}).setdefault(a, 0)
            agents_of[e][a] += 1
    zone = {}
    turn = [0]

    def give():
        turn[0] += 1
        return ZONES_GIVEN[(turn[0] - 1) % len(ZONES_GIVEN)]

    agents = [p["code"] for p in parties if "agent" in p["roles"]]
    for i, c in enumerate(agents):
        zone[c] = give() if i % 2 == 0 else ""
    ebcs = [p["code"] for p in parties if "ebc" in p["roles"] and p["code"] not in zone]
    usual = {c: max(sorted(agents_of.get(c, {"": 0}).items()), key=lambda kv: kv[1])[0] for c in ebcs}
    bare = set()
    for length in (10, 18):
        for agent_zoned in (False, True):
            for c in ebcs:
                if len(c) == length and bool(zone.get(usual[c])) == agent_zoned and c not in bare:
                    bare.add(c)
                    break
    flip = 0
    for c in ebcs:
        if c in bare:
            zone[c] = ""
        else:
            zone[c] = give() if flip % 2 == 0 else ""
            flip += 1
    for i, p in enumerate(p for p in parties if p["code"] not in zone):
        zone[p["code"]] = give() if i % 2 == 0 else ""
    return zone


def setup(shumao, work, args):
    g = os.path.join(work, "g")
    db = os.path.join(work, "stats.db")
    gen = [shumao, "gen", "--seed", str(args.seed), "--import", "3000", "--export", "3000",
           "--faults", "0.03", "--from", FROM, "--to", TO, "--out", g]
    say("traffic: " + " ".join(["shumao"] + gen[1:-2]))
    run(gen, stdout=subprocess.DEVNULL)
    with open(os.path.join(g, "parties.json"), encoding="utf-8") as f:
        parties = json.load(f)
    registered = {}  # code -> {"zone":.., "roles":.., "token":..}
    zones = plan_zones(g, parties)
    for p in parties:
        zone = zones[p["code"]]
        cmd = [shumao, "enterprise", "add", "--db", db, "--code", p["code"], "--name", p["name"]]
        for role in p["roles"]:
            cmd += ["--role", role]
        if zone:
            cmd += ["--zone", zone]
        out = run(cmd, capture_output=True, text=True).stdout
        registered[p["code"]] = {"zone": zone, "roles": p["roles"], "token": json.loads(out)["token"]}
        if "ebc" in p["roles"]:
            run([shumao, "overseas-warehouse", "add", "--db", db, "--ebc", p["code"], "--code", "LAX01",
                 "--name", "美国洛杉矶海外仓", "--country", "502", "--address", "1000 Warehouse Way, Los Angeles",
                 "--area-m2", "12000"], stdout=subprocess.DEVNULL)
        if "agent" in p["roles"]:
            run([shumao, "guarantee", "set", "--db", db, "--code", p["code"], "--amount", "5000000"],
                stdout=subprocess.DEVNULL)
    run([shumao, "stock", "in", "--db", db, os.path.join(g, "stock.json")], stdout=subprocess.DEVNULL)
    user = run([shumao, "user", "add", "--db", db, "--department", "customs", "--name", "u1"],
               capture_output=True, text=True).stdout
    token = json.loads(user)["token"]
    ingest_out = os.path.join(work, "ingest.ndjson")
    with open(ingest_out, "w") as out, open(os.path.join(work, "ingest.err"), "w") as err:
        run([shumao, "ingest", "--db", db, "--replay", g], stdout=out, stderr=err)
    run([shumao, "tick", "--db", db, "--at", TICK_AT], stdout=subprocess.DEVNULL)
    say(f"parties: {len(parties)} registered, {sum(1 for r in registered.values() if r['zone'])} "
        f"with an explicit zone; ingest --replay (screening on), tick --at {TICK_AT}")
    return g, db, registered, token, ingest_out


def check(shumao, work, args):
    g, db, registered, token, ingest_out = setup(shumao, work, args)
    # serve's ticker works on the wall clock: its work done before it starts.
    now = (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + BJ).strftime("%Y%m%d%H%M%S")
    if now[:8] > TICK_AT.replace("-", ""):
        run([shumao, "tick", "--db", db, "--at", now], stdout=subprocess.DEVNULL)
        say(f"tick --at {now} (now: serve's ticker runs on the wall clock)")
    port = free_port()
    serve_log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([shumao, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                               "--log-level", "warn"], stdout=serve_log, stderr=serve_log)
    try:
        api = Api(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        while True:
            try:
                if api.get("/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise Fail("serve did not answer /healthz")
            time.sleep(0.1)
        return compare(api, shumao, work, g, db, registered, token, ingest_out, args)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        serve_log.close()


def decide(api, db, token):
    """Customs releases two lists under inspection and one under review, refuses one."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    held = {s: [k for (k,) in con.execute(
        "SELECT doc_key FROM documents WHERE kind = 'inventories' AND status = ? AND deleted = 0 "
        "ORDER BY doc_key", (s,))] for s in ("500", "300")}
    con.close()
    plan = ([(c, "release") for c in held["500"][:2]] + [(c, "release") for c in held["300"][:1]]
            + [(c, "refuse") for c in held["500"][2:3]])
    done = []
    for cop, what in plan:
        st, body = api.post(f"/api/v1/inventories/{urllib.parse.quote(cop)}/decision",
                            {"decision": what, "reason": "stats_recount 人工处置"}, token)
        if st != 200:
            raise Fail(f"decision {what} on {cop}: HTTP {st} {body}")
        done.append(f"{what} {cop}")
    return done


def store_mark(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    mark = con.execute("SELECT (SELECT coalesce(max(id), 0) FROM doc_history), "
                       "(SELECT coalesce(max(updated_ms), 0) FROM documents)").fetchone()
    con.close()
    return mark


def compare(api, shumao, work, g, db, registered, token, ingest_out, args):
    decisions = decide(api, db, token)
    say(f"decisions over HTTP (wall clock): {', '.join(decisions) or 'none'}")
    # serve runs clearance's time-driven work every 5 s on the wall clock (lists past the
    # return window close): when the store changed while the API was asked, recount and
    # ask again.
    for attempt in range(1, 4):
        mark = store_mark(db)
        ck = one_pass(api, shumao, work, g, db, registered, token, ingest_out, args)
        if store_mark(db) == mark:
            break
        say(f"pass {attempt}: the store changed while it was compared (serve's ticker); again")
    else:
        ck.notes.append("the store kept changing during every pass: differences may be a race")
    return print_result(ck, args)


def one_pass(api, shumao, work, g, db, registered, token, ingest_out, args):
    ck = Check()
    rates = load_fx()
    regions = load_regions()
    t0 = time.monotonic()
    by_key, parsed, accepted = read_lists(g, ingest_out)
    problems, returns = attach_store(db, by_key)
    for p in problems:
        ck.fail("store vs files", p)
    lists = list(by_key.values())
    for l in lists:
        l.finish(rates)
        e, a = registered.get(l.ebc, {}), registered.get(l.agent, {})
        if e.get("zone"):
            l.zone, l.zone_rule = e["zone"], "ebc"
        elif a.get("zone"):
            l.zone, l.zone_rule = a["zone"], "agent"
        else:
            region = l.ebc[:4] if len(l.ebc) == 10 else l.ebc[2:6] if len(l.ebc) == 18 else ""
            l.zone = regions.get(region, "")
            l.zone_rule = f"code{len(l.ebc)}" if l.zone else "none"
    rc = Recount(lists)
    multi = [l for l in rc.all if l.versions > 1]
    # Tax bills of the released import lists.
    if returns:
        ck.notes.append(f"{returns} returns in the store: tax_cny not compared")
    taxed = 0
    for l in rc.released:
        if l.direction != "import":
            continue
        st, bill = api.get(f"/api/v1/taxbills/{urllib.parse.quote(l.invt)}", token)
        if st != 200:
            ck.fail("tax bills", f"GET /taxbills/{l.invt} ({l.cop}): HTTP {st} {bill}")
            continue
        l.tax = Decimal(bill.get("taxTotal") or "0")
        taxed += 1
    say(f"raw data: {parsed} list files, {accepted} accepted list entities, {len(rc.all)} lists in "
        f"scope, {len(rc.released)} released ({sum(1 for l in rc.released if l.direction == 'import')} "
        f"import, {taxed} tax bills read), {len(multi)} with more than one accepted version, "
        f"{returns} returns ({time.monotonic() - t0:.1f} s)")
    rules = {}
    for l in rc.released:
        rules[l.zone_rule] = rules.get(l.zone_rule, 0) + 1
    say("coverage of the released lists: zone from " + ", ".join(f"{k} {v}" for k, v in sorted(rules.items()))
        + f"; {sum(1 for l in rc.released if len({x.country for x in l.lines}) > 1)} with lines of several "
        f"countries, {sum(1 for l in rc.released if len({x.chapter for x in l.lines}) > 1)} of several HS "
        f"chapters, {sum(1 for l in rc.released if l.parcels > 1)} with packNo > 1, "
        f"{sum(1 for l in rc.released if l.seconds >= 100)} cleared in 100 s or more")
    if multi:
        ck.notes.append(f"{len(multi)} lists with more than one accepted version (the last one counted), "
                        f"e.g. {multi[0].cop}")

    # The ranges and filters.
    per_day = {}
    for l in rc.released:
        per_day.setdefault(l.day, set()).add(l.direction)
    busy = {}
    for l in rc.released:
        busy[l.day] = busy.get(l.day, 0) + 1
    one_day = max((d for d in busy if len(per_day[d]) == 2), key=lambda d: (busy[d], d))
    ebc_count = {}
    for l in rc.released:
        ebc_count.setdefault(l.ebc, [0, set()])
        ebc_count[l.ebc][0] += 1
        ebc_count[l.ebc][1].add(l.trade_mode)
    ebc = max(ebc_count, key=lambda c: (len(ebc_count[c][1]), ebc_count[c][0], c))
    today = (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + BJ).date().isoformat()
    ranges = [("year", FROM, TO), ("mid-month", MID[0], MID[1]), ("one day", one_day, one_day)]
    filters = [("-", {}), ("direction=export", {"direction": "export"}),
               ("tradeMode=9610", {"tradeMode": "9610"}), (f"ebcCode={ebc}", {"ebcCode": ebc})]
    plan = [(rn, f, t, fn, flt) for rn, f, t in ranges for fn, flt in filters]
    if today >= FROM:
        plan.append(("to today", FROM, max(today, TO), "-", {}))
    say(f"queries: ranges {FROM}..{TO}, {MID[0]}..{MID[1]}, {one_day} (busiest day) x filters "
        f"{', '.join(fn for fn, _ in filters)}; and {FROM}..{max(today, TO)} (with the decisions)")

    status_alt = []
    for rn, frm, to, fn, flt in plan:
        for measure, by in [(m, b) for m in MEASURES for b in BYS] + [("lists", "status")]:
            q = {"measure": measure, "by": by, "from": frm, "to": to}
            q.update(flt)
            path = "/api/v1/stats?" + urllib.parse.urlencode(q)
            group = f"{measure} by {by}"
            row = ck.row(group)
            row[0] += 1
            ck.queries += 1
            st, body = api.get(path, token)
            if measure.startswith("clearance") and by in ("country", "hsChapter") and "ebcCode" in flt:
                # Kept for the zone, not per enterprise (docs/stats.md): refused naming ebcCode.
                field = body.get("error", {}).get("field") if isinstance(body, dict) else None
                if st != 400 or field != "ebcCode":
                    ck.fail(group, f"[{rn} {fn}] expected 400 naming ebcCode, got HTTP {st}: {body}")
                continue
            if st != 200 or not isinstance(body, dict):
                ck.fail(group, f"[{rn} {fn}] HTTP {st}: {body}")
                continue
            want, who = rc.query(measure, by, frm, to, flt)
            if body.get("measure") != measure or body.get("by") != by:
                ck.fail(group, f"[{rn} {fn}] answer names measure {body.get('measure')!r} by {body.get('by')!r}")
            rows = body.get("rows", [])
            got = {}
            for r in rows:
                if r["key"] in got:
                    ck.fail(group, f"[{rn} {fn}] key {r['key']!r} twice")
                got[r["key"]] = r["value"]
            if by in ("day", "month"):
                order = [r["key"] for r in rows]
                expect = days(frm, to) if by == "day" else months(frm, to)
                if order != expect:
                    miss = [k for k in expect if k not in got][:3]
                    extra = [k for k in got if k not in expect][:3]
                    ck.fail(group, f"[{rn} {fn}] periods not every one of the range in order "
                                   f"({len(order)} rows, {len(expect)} periods; missing {miss}, extra {extra})")
            keys = set(got) | set(want)
            row[1] += len(keys)
            ck.keys += len(keys)
            for k in sorted(keys, key=str):
                gv, wv = got.get(k), want.get(k)
                if by not in ("day", "month") and (k not in got or k not in want):
                    if is_zero(gv) and is_zero(wv):
                        continue
                if k not in got and by in ("day", "month"):
                    continue  # reported above
                if not ck.same(group, f"[{rn} {fn}] {k!r}", gv, wv):
                    cops = who.get(k, [])
                    ck.diffs[-1] = (group, ck.diffs[-1][1] + f"  ({len(cops)} lists in the recount"
                                    + (f", e.g. {', '.join(sorted(cops)[:4])}" if cops else "") + ")")
                    if by == "status":
                        status_alt.append((k, gv, rc.status_rows(frm, to, flt).get(k, 0)))

    # Rights.
    grp = "rights"
    st, body = api.get(f"/api/v1/stats?measure=lists&by=day&from={FROM}&to={TO}")
    ck.same(grp, "no token: HTTP status", st, 401)
    st, body = api.get(f"/api/v1/stats?measure=bogus&by=day&from={FROM}&to={TO}", token)
    ck.same(grp, "measure=bogus: HTTP status", st, 400)
    ck.same(grp, "measure=bogus: error.field", (body.get("error") or {}).get("field") if isinstance(body, dict) else None,
            "measure")
    st, body = api.get(f"/api/v1/stats?measure=lists&by=bogus&from={FROM}&to={TO}", token)
    ck.same(grp, "by=bogus: HTTP status", st, 400)
    ck.same(grp, "by=bogus: error.field", (body.get("error") or {}).get("field") if isinstance(body, dict) else None,
            "by")
    own = registered[ebc]["token"]
    other = next(c for c in sorted(ebc_count) if c != ebc)
    st, body = api.get(f"/api/v1/stats?measure=lists&by=ebcCode&from={FROM}&to={TO}", own)
    want, _ = rc.query("lists", "ebcCode", FROM, TO, {"ebcCode": ebc})
    ck.same(grp, f"enterprise {ebc}: lists by ebcCode", {r["key"]: r["value"] for r in body.get("rows", [])}
            if st == 200 else st, want)
    for m in ("value_cny", "clearance_seconds_p95"):
        st, body = api.get(f"/api/v1/stats?measure={m}&by=direction&from={FROM}&to={TO}", own)
        want, _ = rc.query(m, "direction", FROM, TO, {"ebcCode": ebc})
        got = {r["key"]: r["value"] for r in body.get("rows", [])} if st == 200 else st
        if isinstance(got, dict):
            got = {k: v for k, v in got.items() if not is_zero(v)}
            want = {k: v for k, v in want.items() if not is_zero(v)}
        ck.same(grp, f"enterprise {ebc}: {m} by direction (no filter given)", got, want)
    st, body = api.get(f"/api/v1/stats?measure=lists&by=ebcCode&from={FROM}&to={TO}&ebcCode={other}", own)
    leaked = st == 200 and any(not is_zero(r["value"]) for r in body.get("rows", []))
    ck.same(grp, f"enterprise {ebc} asking for ebcCode={other}: sees nothing of it (HTTP {st})", leaked, False)
    agent = next((c for c, r in sorted(registered.items()) if r["roles"] == ["agent"]), None)
    if agent:
        st, body = api.get(f"/api/v1/stats?measure=lists&by=ebcCode&from={FROM}&to={TO}", registered[agent]["token"])
        leaked = st == 200 and any(not is_zero(r["value"]) for r in body.get("rows", []))
        ck.same(grp, f"agent-only enterprise {agent}: sees no e-commerce enterprise's lists (HTTP {st})",
                leaked, False)

    # The other statistics endpoints' rights, and the evaluation's inputs.
    st, body = api.get("/api/v1/overview")
    ck.same(grp, "overview without a token (no --public-overview): HTTP status", st, 401)
    st, body = api.get(f"/api/v1/overview?from={FROM}&to={TO}", token)
    ck.same(grp, "overview as customs lists enterprises", st == 200 and bool(body.get("enterprises")), True)
    st, body = api.get(f"/api/v1/overview?from={FROM}&to={TO}", own)
    ck.same(grp, "overview as an enterprise: no enterprises", st == 200 and "enterprises" not in body, True)
    ck.same(grp, "overview totals.lists = recount", body.get("totals", {}).get("lists") if st == 200 else st,
            sum(rc.query("lists", "direction", FROM, TO, {})[0].values()))
    st, _ = api.get("/api/v1/reports/monthly?month=2026-06", own)
    ck.same(grp, "monthly report as an enterprise: HTTP status", st, 403)
    st, _ = api.get("/api/v1/evaluation?year=2026", own)
    ck.same(grp, "evaluation as an enterprise: HTTP status", st, 403)
    commerce = json.loads(run([shumao, "user", "add", "--db", db, "--department", "commerce", "--name", "c1"],
                              capture_output=True, text=True).stdout)["token"]
    zone = next(r["zone"] for r in registered.values() if r["zone"])
    inputs = {"zone": zone, "year": 2026, "foreignTradeCny": "900000000", "highTech": 17, "parks": 4,
              "policyCases": 2}
    st, _ = api_put(api, "/api/v1/evaluation/inputs", inputs, token)
    ck.same(grp, "evaluation inputs as customs: HTTP status", st, 403)
    st, _ = api_put(api, "/api/v1/evaluation/inputs", dict(inputs, highTech=-1), commerce)
    ck.same(grp, "evaluation inputs with a negative count: HTTP status", st, 400)
    st, _ = api_put(api, "/api/v1/evaluation/inputs", inputs, commerce)
    ck.same(grp, "evaluation inputs as commerce: HTTP status", st, 200)
    st, body = api.get("/api/v1/evaluation?year=2026", token)
    z = next((x for x in body.get("zones", []) if x["zone"] == zone), {}) if st == 200 else {}
    high = next((i["value"] for i in z.get("indicators", []) if i["id"] == "high_tech"), None)
    ck.same(grp, f"evaluation of {zone}: inputs entered, high_tech", (z.get("inputsEntered"), high), (True, "17"))
    # The portal's list: only the enterprise's own documents, newest first, paged with before.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    mine = {r[0] for r in con.execute("SELECT id FROM documents WHERE parties LIKE ? AND deleted = 0",
                                      (f"%,{ebc},%",))}
    con.close()
    st, page1 = api.get("/api/v1/documents?limit=50", own)
    ids = [d["id"] for d in page1.get("documents", [])] if st == 200 else []
    st2, page2 = api.get(f"/api/v1/documents?limit=50&before={page1.get('next')}", own) if ids else (0, {})
    ids2 = [d["id"] for d in page2.get("documents", [])] if st2 == 200 else []
    ck.same(grp, "documents of an enterprise: its own, newest first, page 2 older",
            (bool(ids), set(ids + ids2) <= mine, ids == sorted(ids, reverse=True),
             not ids2 or max(ids2) < min(ids)), (True, True, True, True))

    say(f"{ck.queries} queries compared")
    report_checks(ck, api, shumao, work, db, token, rc)
    say("reports compared")
    ck.status_alt = status_alt
    return ck


def print_result(ck, args):
    print()
    head = f"{'compared':<34}{'queries':>8}{'keys':>8}{'values':>8}{'diffs':>7}"
    print(head)
    print("-" * len(head))
    for grp, (q, k, v, d) in ck.table.items():
        print(f"{grp:<34}{q:>8}{k:>8}{v:>8}{d:>7}")
    print("-" * len(head))
    print(f"{'total':<34}{ck.queries:>8}{ck.keys:>8}{ck.values:>8}{len(ck.diffs):>7}")
    for n in ck.notes:
        print(f"note: {n}")
    if ck.status_alt:
        seen = set()
        for k, gv, alt in ck.status_alt:
            if k in seen:
                continue
            seen.add(k)
            print(f"   status {k}: API {gv}; counting every history row with that status would give {alt}")
    if ck.diffs:
        print(f"\n{len(ck.diffs)} differences (API or report first, recount second):")
        for grp, text in ck.diffs[:args.max_diffs]:
            print(f"  {grp}: {text}")
        if len(ck.diffs) > args.max_diffs:
            print(f"  ... {len(ck.diffs) - args.max_diffs} more")
    print(f"summary: {ck.queries} queries, {ck.keys} keys, {ck.values} values compared, "
          f"{len(ck.diffs)} differences -> {'PASS' if not ck.diffs else 'FAIL'}")
    return 0 if not ck.diffs else 1


def report_checks(ck, api, shumao, work, db, token, rc):
    grp = f"report {REPORT_MONTH}"
    m0 = REPORT_MONTH + "-01"
    nxt = (dt.date.fromisoformat(m0) + dt.timedelta(days=32)).replace(day=1)
    m1 = (nxt - dt.timedelta(days=1)).isoformat()
    files = {}
    for fmt in ("json", "csv", "xlsx"):
        out = os.path.join(work, f"report.{fmt}")
        r = subprocess.run([shumao, "report", "--db", db, "--month", REPORT_MONTH, "--format", fmt,
                            "--out", out], capture_output=True, text=True)
        if r.returncode != 0:
            raise Fail(f"shumao report --format {fmt}: exit {r.returncode}: {r.stderr.strip()}")
        with open(out, "rb") as f:
            files[fmt] = f.read()
    rep = json.loads(files["json"])
    totals = rep.get("totals", {})
    # JSON totals against the recount.
    rq = lambda m, by="month", flt=None: rc.query(m, by, m0, m1, flt or {})[0]
    want = {"lists": rq("lists")[REPORT_MONTH], "parcels": rq("parcels")[REPORT_MONTH],
            "lines": rq("lines")[REPORT_MONTH], "value_cny": rq("value_cny")[REPORT_MONTH],
            "value_usd": rq("value_usd")[REPORT_MONTH], "tax_cny": rq("tax_cny")[REPORT_MONTH],
            "clearance_seconds_p50": rq("clearance_seconds_p50")[REPORT_MONTH],
            "clearance_seconds_p95": rq("clearance_seconds_p95")[REPORT_MONTH], "returns": 0,
            "return_value_cny": "0.00"}
    for d in ("import", "export"):
        want[f"{d}_lists"] = rq("lists", "direction").get(d, 0)
        want[f"{d}_value_cny"] = rq("value_cny", "direction").get(d, "0.00")
    for f, w in want.items():
        ck.same(grp + " vs recount", f"json totals.{f}", totals.get(f), w)
    modes_want = {}
    for d in ("import", "export"):
        for tm, n in rq("lists", "tradeMode", {"direction": d}).items():
            if n:
                modes_want[(d, tm)] = (n, rq("value_cny", "tradeMode", {"direction": d})[tm])
    modes_got = {(m["direction"], m["tradeMode"]): (m["lists"], m["value_cny"]) for m in rep.get("modes", [])}
    ck.same(grp + " vs recount", "json modes (lists, value_cny) by direction and tradeMode", modes_got, modes_want)
    # JSON totals against /api/v1/stats.
    for m, fields in (("lists", ("import_lists", "export_lists")),
                      ("value_cny", ("import_value_cny", "export_value_cny"))):
        st, body = api.get(f"/api/v1/stats?measure={m}&by=direction&from={m0}&to={m1}", token)
        got = {r["key"]: r["value"] for r in body.get("rows", [])} if st == 200 else {}
        for d, f in zip(("import", "export"), fields):
            ck.same(grp + " vs /stats", f"json totals.{f} vs {m} by direction {d}", totals.get(f),
                    got.get(d, 0 if m == "lists" else "0.00"))
    for m in ("lists", "parcels", "lines", "value_cny", "value_usd", "tax_cny",
              "clearance_seconds_p50", "clearance_seconds_p95"):
        st, body = api.get(f"/api/v1/stats?measure={m}&by=month&from={m0}&to={m1}", token)
        got = {r["key"]: r["value"] for r in body.get("rows", [])} if st == 200 else {}
        ck.same(grp + " vs /stats", f"json totals.{m} vs {m} by month", totals.get(m), got.get(REPORT_MONTH))
    # The xlsx summary sheet and the CSV against the JSON totals.
    sheet, names = xlsx_summary(files["xlsx"])
    ck.same(grp + " xlsx/csv vs json", "xlsx summary rows found", sorted(sheet), sorted(SUMMARY_LABELS.values()))
    for f in SUMMARY_LABELS.values():
        j = totals.get(f)
        ck.same(grp + " xlsx/csv vs json", f"xlsx summary {f}", sheet.get(f),
                None if j is None else float(j))
    csvs = csv_summary(files["csv"])
    for f in SUMMARY_LABELS.values():
        j = totals.get(f)
        ck.same(grp + " xlsx/csv vs json", f"csv summary {f}", csvs.get(f), "" if j is None else str(j))
    # Over HTTP.
    st, data = api.get(f"/api/v1/reports/monthly?month={REPORT_MONTH}&format=xlsx", token, raw=True)
    ck.same(grp + " over HTTP", "xlsx: HTTP status and PK header", (st, bytes(data[:2]) if st == 200 else data),
            (200, b"PK"))
    if st == 200:
        hsheet, hnames = xlsx_summary(data)
        ck.same(grp + " over HTTP", "xlsx sheet names", hnames, names)
        for f in SUMMARY_LABELS.values():
            ck.same(grp + " over HTTP", f"xlsx summary {f}", hsheet.get(f), sheet.get(f))
    st, body = api.get(f"/api/v1/reports/monthly?month={REPORT_MONTH}&format=json", token)
    if st == 200:
        for f in SUMMARY_LABELS.values():
            ck.same(grp + " over HTTP", f"json totals.{f}", body.get("totals", {}).get(f), totals.get(f))
    else:
        ck.fail(grp + " over HTTP", f"json: HTTP {st} {body}")
    st, body = api.get(f"/api/v1/reports/monthly?month={REPORT_MONTH}&format=xlsx")
    ck.same(grp + " over HTTP", "no token: HTTP status", st, 401)


if __name__ == "__main__":
    sys.exit(main())
