#!/usr/bin/env python3
"""An independent check of risk control (src/risk, docs/risk.md) on hand-written patterns.

`shumao gen --faults` writes its own split orders, identity misuse and undervaluation, and
`shumao risk eval` scores the rules against those. This script writes the same risks a
different way, and ordinary buyers that look a little like them, without gen's help:

 1. gen writes a month of clean import traffic (no faults): the ordinary background.
 2. Extra parcels are copied from complete clean 9610 (direct purchase) parcels of that
    background: the CEB311 order, CEB411 payment, CEB511 waybill and CEB621 list of one
    orderNo. Their keys (orderNo, payTransactionId, logisticsNo, copNo, guids) are new and
    unique, their times are moved (order time chosen, the other documents keep the
    template's offsets), the buyer (payer), consignee, phones and addresses are new people
    with valid resident ID numbers (GB 11643 check character), so that the three-document
    match passes. File names keep gen's pattern (sequence-time-type-key) and take the
    sequence number of the background file just before them, so name order stays
    sending order.
 3. Parties registered, bonded stock in, everything ingested with --replay into a fresh
    SQLite database; `shumao risk hits` is read and every expectation checked:

    MUST be flagged                                       rule
      a  one buyer, orders at 23:20 and 00:40 next day,   split_order (all lists; the
         ~2,700 each (total > 5,000)                       earlier may be an audit hit)
      b  one buyer, 4 orders of ~1,400 within 2 hours     split_order
         on one day, on two platforms
      c  one ID number, 3 consignees (names, phones,      identity_misuse
         addresses) over 3 weeks, ~300 each
      d  one consignee phone, 3 buyers' ID numbers        shared_contact
         within 10 days
      e  a common item (>= 10 earlier lists) declared     undervaluation
         at 15% of its usual unit price
    must NOT be flagged (no hit of any rule)
      f  a regular buyer: 12 orders to self over the month, ~300, one per 2-3 days
      g  a buyer sending to self and to one relative (2 consignees, 2 addresses), 6 orders
      h  a couple: two ID numbers, one address and phone, 3 orders each of ~500
      i  one buyer, two orders on one day totalling ~4,800 (goods + freight)

    and no background (gen clean) list may have any hit.

Exit 0 when every expectation holds and no background list is flagged, 1 otherwise (2 on
a usage or setup error). A parcel that clearance did not match (refused before screening)
is reported as invalid: it says nothing about risk control.

Usage: tools/risk_patterns.py [--keep DIR] [--shumao PATH] [--seed N] [--import N]
Python 3 standard library only.
"""

import argparse
import base64
import bisect
import datetime as dt
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FROM, TO = "2026-03-01", "2026-03-31"
YEAR, MONTH = 2026, 3
MATCHED = {"800", "899", "500", "300"}  # released, closed, inspection, review
TYPES = ("CEB311", "CEB411", "CEB511", "CEB621")
HEADS = {"CEB311": "OrderHead", "CEB411": "PaymentHead", "CEB511": "LogisticsHead",
         "CEB621": "InventoryHead"}
LINES = {"CEB311": "OrderList", "CEB621": "InventoryList"}
FIELD_RE = re.compile(r"<ceb:(\w+)>([^<]*)</ceb:\1>")
NAME_RE = re.compile(r"^(\d{9})-(\d{8}T\d{6})-(CEB\d{3})-(.+)\.xml$")
FEN = Decimal("0.01")


def money(d):
    return str(Decimal(d).quantize(FEN, rounding=ROUND_HALF_UP))


def D(s):
    return Decimal(s or "0")


# ------------------------------------------------------------------ people

# GB 11643-1999: weights of the 17 digits, check characters by the sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check(body17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS)) % 11]


def id_valid(idn):
    return (len(idn) == 18 and idn[:17].isdigit() and id_check(idn[:17]) == idn[17])


SURNAMES = ("王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
GIVEN = ("子墨 雨泽 思彤 欣妍 嘉懿 浩宇 梓涵 一诺 若曦 晨阳 俊熙 雅琴 文博 静怡 志远 海燕 晓峰 丽娟 国庆 "
         "建军 秀兰 明轩 语桐 佳琪 宏伟 春梅 振华 慧敏 立新 婉清 天佑 芷若 凯文 梦瑶 永康 淑珍 泽宇 可馨 "
         "家豪 玉珍 亦菲 少华 德明 诗涵 博文 红霞 伟 敏 静 磊 洋 艳 勇 军 杰 娟 涛 超 霞 鹏 琳 斌 "
         "颖 翔 瑶 鑫").split()
MOBILE = ("130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 176 177 "
          "178 180 181 182 183 185 186 187 188 189 191 193 198 199").split()
ROADS = ("银杏路 梧桐大道 长宁街 望江路 青年路 东风南路 学府路 湖滨东路 新港大道 丰收路 广德街 兴业路 "
         "双塔路 春晖路 文昌东街 临湖路").split()
ESTATES = ("翠湖花园 金色家园 阳光水岸 锦江名苑 绿城桂花园 书香门第 星河湾 御景华庭 和风雅居 "
           "清水湾小区 枫丹丽舍 海棠公寓").split()


class People:
    """New people, phones and addresses, none of them in the background (or given twice)."""

    def __init__(self, rng, districts, used_ids, used_phones, used_addresses):
        self.rng = rng
        self.districts = districts  # [(code, prefix)]
        self.ids, self.phones, self.addresses = set(used_ids), set(used_phones), set(used_addresses)
        self.regs = set()

    def name(self):
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def phone(self):
        while True:
            p = self.rng.choice(MOBILE) + "".join(self.rng.choice("0123456789") for _ in range(8))
            if p not in self.phones:
                self.phones.add(p)
                return p

    def address(self, district=None):
        code, prefix = district or self.rng.choice(self.districts)
        while True:
            r = self.rng
            text = (f"{prefix}{r.choice(ROADS)}{r.randint(1, 680)}号{r.choice(ESTATES)}"
                    f"{r.randint(1, 28)}幢{r.randint(1, 3)}单元{r.randint(2, 30)}{r.randint(1, 4):02d}室")
            if text not in self.addresses:
                self.addresses.add(text)
                return {"district": code, "text": text}

    def id_number(self, region):
        while True:
            born = dt.date(1962, 1, 1) + dt.timedelta(days=self.rng.randint(0, 40 * 365))
            body = f"{region}{born:%Y%m%d}{self.rng.randint(1, 999):03d}"
            idn = body + id_check(body)
            if idn not in self.ids:
                self.ids.add(idn)
                return idn

    def person(self, home=None):
        """A person with a name, ID number (region of their home), phone and home address."""
        home = home or self.address()
        return {"name": self.name(), "id": self.id_number(home["district"]),
                "phone": self.phone(), "home": home}

    def reg_no(self):
        while True:
            r = "u" + "".join(self.rng.choice("0123456789") for _ in range(11))
            if r not in self.regs:
                self.regs.add(r)
                return r


# ------------------------------------------------------------------ background

class Doc:
    def __init__(self, path, seq, ts, typ, key):
        self.path, self.seq, self.ts, self.typ, self.key = path, seq, ts, typ, key
        self.time = dt.datetime.strptime(ts, "%Y%m%dT%H%M%S")
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.head, self.lines = {}, []
        if typ in HEADS:
            h = HEADS[typ]
            m = re.search(rf"<ceb:{h}>(.*?)</ceb:{h}>", self.text, re.S)
            self.head = dict(FIELD_RE.findall(m.group(1))) if m else {}
        if typ in LINES:
            t = LINES[typ]
            self.lines = [dict(FIELD_RE.findall(b))
                          for b in re.findall(rf"<ceb:{t}>(.*?)</ceb:{t}>", self.text, re.S)]


class Background:
    def __init__(self, folder):
        self.folder = folder
        self.names = []  # (ts, seq) in file-name order
        self.parcels = {}  # orderNo -> {type: Doc}
        self.keys = set()  # every document key and guid
        self.ids, self.phones, self.addresses = set(), set(), set()
        self.districts = {}
        self.prices = {}  # (gcode, itemNo) -> [(list time, price)]
        self.flights = {}  # (country, list date) -> (trafNo, voyageNo, billNo)
        self.list_cops = set()
        for name in sorted(os.listdir(folder)):
            m = NAME_RE.match(name)
            if not m:
                continue
            seq, ts, typ, key = m.groups()
            self.names.append((ts, seq))
            self.keys.add(key)
            if typ not in TYPES:
                continue
            d = Doc(os.path.join(folder, name), seq, ts, typ, key)
            for g in re.findall(r'guid="([^"]+)"', d.text) + re.findall(r"<ceb:guid>([^<]+)<", d.text):
                self.keys.add(g)
            h = d.head
            for k in ("buyerIdNumber", "payerIdNumber"):
                if h.get(k):
                    self.ids.add(h[k])
            for k in ("buyerTelephone", "consigneeTelephone", "telephone"):
                if h.get(k):
                    self.phones.add(h[k])
            if h.get("consigneeAddress"):
                self.addresses.add(h["consigneeAddress"])
            for k in ("orderNo", "payTransactionId", "logisticsNo", "copNo", "buyerRegNo"):
                if h.get(k):
                    self.keys.add(h[k])
            if typ == "CEB311" and h.get("consigneeDistrict"):
                pm = re.match(r"^(.+?(?:区|县))", h.get("consigneeAddress", ""))
                if pm:
                    self.districts[h["consigneeDistrict"]] = pm.group(1)
            if typ == "CEB621":
                self.list_cops.add(h["copNo"])
                for l in d.lines:
                    self.prices.setdefault((l["gcode"], l["itemNo"]), []).append(
                        (d.time, D(l["price"])))
                if h.get("voyageNo"):
                    self.flights.setdefault((h.get("country"), h.get("declTime")),
                                            (h.get("trafNo"), h["voyageNo"], h.get("billNo")))
            self.parcels.setdefault(h.get("orderNo", key), {})[typ] = d
        self.name_ts = [ts for ts, _ in self.names]
        self.medians = {k: statistics.median([p for _, p in v]) for k, v in self.prices.items()}

    def seq_before(self, ts):
        """The sequence number of the last background file sent at or before `ts`."""
        i = bisect.bisect_right(self.name_ts, ts) - 1
        return self.names[i][1] if i >= 0 else "0" * 9

    def templates(self):
        """Clean 9610 parcels whose copy cannot carry anything odd: all four documents,
        payer = buyer, no discount or insurance, every line at a usual price (0.8 to 1.25
        times the item's median over the month)."""
        out = []
        for order_no, docs in self.parcels.items():
            if any(t not in docs for t in TYPES):
                continue
            o, p, w, l = (docs[t] for t in TYPES)
            if l.head.get("tradeMode") != "9610":
                continue
            if (o.head.get("buyerIdType") != "1" or p.head.get("payerIdNumber") != o.head.get("buyerIdNumber")
                    or p.head.get("payerName") != o.head.get("buyerName")):
                continue
            if D(o.head.get("discount")) != 0 or D(l.head.get("insuredFee")) != 0:
                continue
            usual = all(Decimal("0.8") * self.medians[(x["gcode"], x["itemNo"])] <= D(x["price"])
                        <= Decimal("1.25") * self.medians[(x["gcode"], x["itemNo"])] for x in l.lines)
            if not usual or len(o.lines) != len(l.lines):
                continue
            out.append(Template(docs))
        out.sort(key=lambda t: t.order_no)
        return out


class Template:
    def __init__(self, docs):
        self.docs = docs
        self.order, self.payment, self.waybill, self.list = (docs[t] for t in TYPES)
        self.order_no = self.order.head["orderNo"]
        self.ebp = self.order.head["ebpCode"]
        self.goods = D(self.order.head["goodsValue"])
        self.freight = D(self.order.head["freight"])
        self.value = self.goods + self.freight  # what the quota and the split rule count
        self.t0 = self.order.time
        self.span = self.list.time - self.t0


# ------------------------------------------------------------------ new keys

def s10(prefix, serial8, suffix):
    w = (8, 6, 4, 2, 3, 5, 9, 7)
    c = 11 - sum(int(a) * b for a, b in zip(serial8, w)) % 11
    c = 0 if c == 10 else 5 if c == 11 else c
    return f"{prefix}{serial8}{c}{suffix}"


class Keys:
    def __init__(self, rng, used):
        self.rng, self.used = rng, set(used)

    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def unique(self, make):
        while True:
            k = make()
            if k not in self.used:
                self.used.add(k)
                return k

    def guid(self):
        return self.unique(lambda: str(uuid.UUID(int=self.rng.getrandbits(128), version=4)).upper())

    def dated(self, old, new_day):
        """orderNo and copNo: tag + YYMMDD + 8 digits."""
        m = re.match(r"^([A-Z]+)\d{6}(\d+)$", old)
        if not m:
            raise ValueError(f"unknown key format {old}")
        return self.unique(lambda: m.group(1) + new_day.strftime("%y%m%d") + self.digits(len(m.group(2))))

    def pay(self, old, new_day):
        ymd = new_day.strftime("%Y%m%d")
        forms = [(r"^42000\d{7}\d{8}\d{8}$", lambda: "42000" + self.digits(7) + ymd + self.digits(8)),
                 (r"^\d{8}22001\d{7}\d{8}$", lambda: ymd + "22001" + self.digits(7) + self.digits(8)),
                 (r"^([A-Z]+)\d{8}\d{6}\d{8}$",
                  lambda: re.match(r"^[A-Z]+", old).group(0) + ymd + self.digits(6) + self.digits(8))]
        for pat, make in forms:
            if re.match(pat, old):
                return self.unique(make)
        raise ValueError(f"unknown payTransactionId format {old}")

    def waybill(self, old):
        m = re.match(r"^([A-Z]{2})\d{9}([A-Z]{2})$", old)
        if m:
            return self.unique(lambda: s10(m.group(1), self.digits(8), m.group(2)))
        m = re.match(r"^([A-Z]+)(\d+)$", old)
        if m:
            return self.unique(lambda: m.group(1) + self.digits(len(m.group(2))))
        raise ValueError(f"unknown logisticsNo format {old}")


# ------------------------------------------------------------------ rendering

def set_field(text, field, value, required=True):
    new, n = re.subn(rf"(<ceb:{field}>)[^<]*(</ceb:{field}>)",
                     lambda m: m.group(1) + value + m.group(2), text)
    if required and n == 0:
        raise ValueError(f"no <ceb:{field}> to set")
    return new


def set_guids(text, keys):
    text = re.sub(r'(<ceb:CEB\d{3}Message guid=")[^"]*(")',
                  lambda m: m.group(1) + keys.guid() + m.group(2), text)
    return set_field(text, "guid", keys.guid())


def fresh_signature(text, rng):
    def rand_b64(m):
        n = len(base64.b64decode(m.group(2)))
        return m.group(1) + base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode() + m.group(3)
    for tag in ("DigestValue", "SignatureValue"):
        text = re.sub(rf"(<ds:{tag}>)([^<]*)(</ds:{tag}>)", rand_b64, text)
    return text


def set_line_prices(text, block, prices):
    """Sets price and totalPrice (price x qty) of the lines named by gnum in `prices`."""
    def one(m):
        b = m.group(0)
        g = re.search(r"<ceb:gnum>(\d+)<", b).group(1)
        if g in prices:
            qty = D(re.search(r"<ceb:qty>([^<]+)<", b).group(1))
            b = set_field(b, "price", money(prices[g]))
            b = set_field(b, "totalPrice", money(prices[g] * qty))
        return b
    return re.sub(rf"<ceb:{block}>.*?</ceb:{block}>", one, text, flags=re.S)


class Writer:
    def __init__(self, bg, keys, rng, shumao):
        self.bg, self.keys, self.rng, self.shumao = bg, keys, rng, shumao
        self.parcels = []

    def tax_quote(self, tpl, day, prices):
        items = []
        for l in tpl.list.lines:
            items.append({"gcode": l["gcode"], "itemName": l["gname"], "qty": l["qty"], "unit": l["unit"],
                          "price": money(prices.get(l["gnum"], D(l["price"])))})
        req = {"date": day.strftime("%Y-%m-%d"), "tradeMode": tpl.list.head["tradeMode"],
               "freight": tpl.list.head["freight"], "insuredFee": tpl.list.head.get("insuredFee", "0"),
               "items": items}
        out = subprocess.run([self.shumao, "tax", "quote"], input=json.dumps(req, ensure_ascii=False),
                             capture_output=True, text=True, check=True).stdout
        q = json.loads(out)
        if q["regime"] == "refused":
            raise ValueError(f"tax quote refused {req}: {q.get('reasons')}")
        return D(q["taxTotal"])

    def parcel(self, pattern, tpl, t_order, buyer, consignee, address, reg_no, prices=None):
        """Writes one parcel copied from `tpl`, its order sent at `t_order`. `prices`
        (gnum -> unit price) rewrites lines, with the goods value, tax and amounts paid."""
        k, bg, rng = self.keys, self.bg, self.rng
        shift = t_order - tpl.t0
        t = {typ: tpl.docs[typ].time + shift for typ in TYPES}
        pay_time = dt.datetime.strptime(tpl.payment.head["payTime"], "%Y%m%d%H%M%S") + shift
        list_day = t["CEB621"].date()
        order_no = k.dated(tpl.order_no, t_order.date())
        pay_tx = k.pay(tpl.payment.head["payTransactionId"], pay_time.date())
        logistics_no = k.waybill(tpl.waybill.head["logisticsNo"])
        cop_no = k.dated(tpl.list.head["copNo"], list_day)
        goods = tpl.goods
        tax = D(tpl.order.head["taxTotal"])
        if prices:
            goods = sum((prices.get(l["gnum"], D(l["price"])) * D(l["qty"]) for l in tpl.order.lines),
                        Decimal(0))
            tax = self.tax_quote(tpl, list_day, prices)
        paid = goods + tpl.freight + tax - D(tpl.order.head["discount"])
        app = {typ: t[typ].strftime("%Y%m%d%H%M%S") for typ in TYPES}

        o = set_guids(tpl.order.text, k)
        for f, v in (("appTime", app["CEB311"]), ("orderNo", order_no), ("payTransactionId", pay_tx),
                     ("buyerRegNo", reg_no), ("buyerName", buyer["name"]), ("buyerTelephone", buyer["phone"]),
                     ("buyerIdType", "1"), ("buyerIdNumber", buyer["id"]), ("consignee", consignee["name"]),
                     ("consigneeTelephone", consignee["phone"]), ("consigneeAddress", address["text"]),
                     ("consigneeDistrict", address["district"]), ("goodsValue", money(goods)),
                     ("taxTotal", money(tax)), ("acturalPaid", money(paid))):
            o = set_field(o, f, v)
        p = set_guids(tpl.payment.text, k)
        for f, v in (("appTime", app["CEB411"]), ("payTransactionId", pay_tx), ("orderNo", order_no),
                     ("payerIdType", "1"), ("payerIdNumber", buyer["id"]), ("payerName", buyer["name"]),
                     ("telephone", buyer["phone"]), ("amountPaid", money(paid)),
                     ("payTime", pay_time.strftime("%Y%m%d%H%M%S"))):
            p = set_field(p, f, v)
        w = set_guids(tpl.waybill.text, k)
        for f, v in (("appTime", app["CEB511"]), ("logisticsNo", logistics_no), ("orderNo", order_no),
                     ("consignee", consignee["name"]), ("consigneeAddress", address["text"]),
                     ("consigneeTelephone", consignee["phone"])):
            w = set_field(w, f, v)
        lh = tpl.list.head
        li = fresh_signature(set_guids(tpl.list.text, k), rng)
        day8 = list_day.strftime("%Y%m%d")
        for f, v in (("appTime", app["CEB621"]), ("orderNo", order_no), ("logisticsNo", logistics_no),
                     ("copNo", cop_no), ("declTime", day8), ("ieDate", day8), ("buyerIdType", "1"),
                     ("buyerIdNumber", buyer["id"]), ("buyerName", buyer["name"]),
                     ("buyerTelephone", buyer["phone"]), ("consigneeAddress", address["text"])):
            li = set_field(li, f, v)
        if lh.get("voyageNo"):  # the flight of that day from the goods' country, as gen has it
            flight = bg.flights.get((lh.get("country"), day8))
            if flight is None:
                flight = (lh.get("trafNo"), (lh.get("trafNo") or "") + day8[4:], lh.get("billNo"))
            for f, v in zip(("trafNo", "voyageNo", "billNo"), flight):
                if v:
                    li = set_field(li, f, v, required=False)
        if prices:
            o = set_line_prices(o, "OrderList", prices)
            li = set_line_prices(li, "InventoryList", prices)

        files = []
        for typ, text, key in (("CEB311", o, order_no), ("CEB411", p, pay_tx), ("CEB511", w, logistics_no),
                               ("CEB621", li, cop_no)):
            ts = t[typ].strftime("%Y%m%dT%H%M%S")
            name = f"{bg.seq_before(ts)}-{ts}-{typ}-{key}.xml"
            with open(os.path.join(bg.folder, name), "w", encoding="utf-8") as f:
                f.write(text)
            files.append(name)
        rec = {"pattern": pattern, "copNo": cop_no, "agentCode": lh["agentCode"], "orderNo": order_no,
               "ebpCode": tpl.ebp, "order_time": t_order, "list_time": t["CEB621"], "value": goods + tpl.freight,
               "buyer": buyer["id"], "template": tpl.order_no, "files": files}
        self.parcels.append(rec)
        return rec


# ------------------------------------------------------------------ the patterns

PATTERNS = [
    # id, title, must rule (None: no hit of any rule)
    ("a", "split across midnight (23:20 + 00:40, ~2,700 each)", "split_order"),
    ("b", "split into 4 x ~1,400 within 2 h, 2 platforms", "split_order"),
    ("c", "one ID, 3 consignees over 3 weeks", "identity_misuse"),
    ("d", "one consignee phone, 3 buyers' IDs in 10 days", "shared_contact"),
    ("e", "common item at 15% of its usual price", "undervaluation"),
    ("f", "regular buyer: 12 orders to self, ~300", None),
    ("g", "buyer to self and one relative, 6 orders", None),
    ("h", "couple: 2 IDs, one address and phone, 3+3 orders", None),
    ("i", "one buyer, 2 orders on one day = ~4,800", None),
]


def at(day, hh, mm, rng=None):
    s = rng.randint(0, 59) if rng else 0
    return dt.datetime(YEAR, MONTH, day, hh, mm, s)


class Planner:
    def __init__(self, bg, writer, people, rng):
        self.bg, self.w, self.people, self.rng = bg, writer, people, rng
        self.templates = bg.templates()
        self.taken = set()
        self.notes = []

    def pick(self, lo, hi, ebp=None, n=1, pred=None):
        """n templates with goods value in [lo, hi] (distinct, and not used before when
        there are enough)."""
        pool = [t for t in self.templates if lo <= t.goods <= hi and (ebp is None or t.ebp == ebp)
                and (pred is None or pred(t))]
        if not pool:
            raise SystemExit(f"no 9610 template with goods value in [{lo}, {hi}] (ebp {ebp})")
        fresh = [t for t in pool if t.order_no not in self.taken]
        src = fresh if len(fresh) >= n else pool
        out = self.rng.sample(src, n) if len(src) >= n else [self.rng.choice(src) for _ in range(n)]
        self.taken.update(t.order_no for t in out)
        return out

    def buyer(self):
        b = self.people.person()
        b["reg"] = self.people.reg_no()
        return b

    def self_parcel(self, pattern, tpl, when, b, consignee=None, address=None, prices=None):
        consignee = consignee or b
        address = address or consignee["home"]
        return self.w.parcel(pattern, tpl, when, b, consignee, address, b["reg"], prices)

    def plan(self):
        r = self.rng
        ebps = sorted({t.ebp for t in self.templates})
        # a) one new buyer, 23:20 and 00:40 the next day, ~2,700 goods each.
        b = self.buyer()
        for tpl, when in zip(self.pick(2550, 2850, n=2), (at(13, 23, 20, r), at(14, 0, 40, r))):
            self.self_parcel("a", tpl, when, b)
        # b) 4 orders of ~1,400 in under 2 hours on one day, alternating two platforms.
        b = self.buyer()
        plats = ebps[:2] if len(ebps) >= 2 else ebps * 2
        if len(ebps) < 2:
            self.notes.append("b: the background has one platform only")
        tpls = [self.pick(1300, 1500, ebp=plats[k % 2])[0] for k in range(4)]
        for tpl, (hh, mm) in zip(tpls, ((10, 5), (10, 38), (11, 12), (11, 51))):
            self.self_parcel("b", tpl, at(17, hh, mm, r), b)
        # c) one ID number, three different consignees (names, phones, addresses), 3 weeks.
        b = self.buyer()
        for tpl, day in zip(self.pick(250, 350, n=3), (3, 12, 23)):
            other = self.people.person()
            self.self_parcel("c", tpl, at(day, r.randint(9, 21), r.randint(0, 59), r), b, consignee=other)
        # d) one consignee phone for three buyers' ID numbers within 10 days; each buyer
        #    names himself as the consignee at his own address.
        phone = self.people.phone()
        for tpl, day in zip(self.pick(250, 600, n=3), (8, 12, 17)):
            b = self.buyer()
            c = dict(b, phone=phone)
            self.self_parcel("d", tpl, at(day, r.randint(9, 21), r.randint(0, 59), r), b, consignee=c)
        # e) undervaluation: the most common item with a one-line template, at 15% of its
        #    usual (median) unit price before the parcel.
        self.plan_e()
        # f) a regular buyer: 12 orders to self over the month, one every 2-3 days.
        b = self.buyer()
        days = [1, 3, 6, 8, 11, 13, 16, 18, 21, 23, 26, 28]
        for tpl, day in zip(self.pick(250, 350, n=12), days):
            self.self_parcel("f", tpl, at(day, r.randint(8, 22), r.randint(0, 59), r), b)
        # g) a buyer sending to self (home) and to one relative (the relative's home).
        b = self.buyer()
        rel = self.people.person()
        for k, (tpl, day) in enumerate(zip(self.pick(200, 800, n=6), (2, 7, 12, 17, 22, 27))):
            to = rel if k in (2, 4) else b
            self.self_parcel("g", tpl, at(day, r.randint(8, 22), r.randint(0, 59), r), b, consignee=to)
        # h) a couple: two ID numbers, the wife receives everything at home (one phone,
        #    one address); 3 orders each of ~500, both order on the 10th.
        wife = self.buyer()
        husband = self.buyer()
        husband["home"] = wife["home"]
        plan = [(wife, 4), (wife, 10), (wife, 19), (husband, 10), (husband, 15), (husband, 25)]
        for tpl, (who, day) in zip(self.pick(400, 600, n=6), plan):
            self.self_parcel("h", tpl, at(day, r.randint(8, 22), r.randint(0, 59), r), who, consignee=wife)
        # i) two orders on one day, together ~4,800 (goods + freight), under 5,000.
        b = self.buyer()
        pool = [t for t in self.templates if 1800 <= t.value <= 3000 and t.order_no not in self.taken]
        pairs = [(x, y) for x in pool for y in pool if x.order_no < y.order_no
                 and Decimal(4750) <= x.value + y.value <= Decimal(4850)]
        if not pairs:
            raise SystemExit("no pair of 9610 templates worth 4,750..4,850 together")
        x, y = r.choice(pairs)
        self.taken.update((x.order_no, y.order_no))
        self.self_parcel("i", x, at(20, 9, 32, r), b)
        self.self_parcel("i", y, at(20, 20, 14, r), b)

    def plan_e(self):
        r = self.rng
        when = at(24, 14, 12, r)
        count = {}
        for key, v in self.bg.prices.items():
            count[key] = len(v)
        singles = [t for t in self.templates if len(t.list.lines) == 1 and t.order_no not in self.taken]
        for key in sorted(count, key=lambda k: (-count[k], k)):
            cands = [t for t in singles if (t.list.lines[0]["gcode"], t.list.lines[0]["itemNo"]) == key]
            if not cands:
                continue
            tpl = r.choice(cands)
            list_time = when + tpl.span
            before = sorted((t, p) for t, p in self.bg.prices[key] if t < list_time)
            if len(before) < 10:
                continue
            usual = statistics.median([p for _, p in before])
            price = (usual * Decimal("0.15")).quantize(FEN, rounding=ROUND_HALF_UP)
            try:
                rec = self.self_parcel("e", tpl, when, self.buyer(), prices={tpl.list.lines[0]["gnum"]: price})
            except (ValueError, subprocess.CalledProcessError) as e:
                self.notes.append(f"e: item {key} skipped ({e})")
                continue
            self.taken.add(tpl.order_no)
            rec["note"] = (f"{key[1]} ({key[0]}) at {money(price)}, usual {money(usual)} "
                           f"over {len(before)} earlier lists")
            return
        raise SystemExit("e: no common item with a one-line 9610 template")


# ------------------------------------------------------------------ run and check

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (created, must be empty) and keep it")
    ap.add_argument("--shumao", metavar="PATH", default=os.path.join(REPO, "build", "shumao"),
                    help="the shumao binary (default: build/shumao of this repository)")
    ap.add_argument("--seed", type=int, default=5, help="gen seed of the background (default 5)")
    ap.add_argument("--import", dest="imports", type=int, default=3000,
                    help="background import parcels over the month (default 3000)")
    args = ap.parse_args()
    shumao = os.path.abspath(args.shumao)
    if not os.access(shumao, os.X_OK):
        print(f"risk_patterns: no executable shumao at {shumao}", file=sys.stderr)
        return 2
    if args.keep:
        work = os.path.abspath(args.keep)
        os.makedirs(work, exist_ok=True)
        if os.listdir(work):
            print(f"risk_patterns: --keep {work} is not empty", file=sys.stderr)
            return 2
    else:
        work = tempfile.mkdtemp(prefix="risk_patterns.")
    started = time.monotonic()
    try:
        return check(shumao, work, args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        print(f"run time: {time.monotonic() - started:.1f} s" + (f" (kept in {work})" if args.keep else ""))


def check(shumao, work, args):
    g = os.path.join(work, "g")
    db = os.path.join(work, "risk.db")
    print(f"background: shumao gen --seed {args.seed} --import {args.imports} --export 0 "
          f"--from {FROM} --to {TO} (no faults)")
    run([shumao, "gen", "--seed", str(args.seed), "--import", str(args.imports), "--export", "0",
         "--from", FROM, "--to", TO, "--out", g], stdout=subprocess.DEVNULL)
    bg = Background(g)
    bad_ids = [i for i in bg.ids if not id_valid(i)]
    if bad_ids:  # our GB 11643 check against gen's: they must agree
        print(f"warning: {len(bad_ids)} background ID numbers fail this script's check, e.g. {bad_ids[0]}")
    rng = random.Random(20260301)
    people = People(rng, sorted(bg.districts.items()), bg.ids, bg.phones, bg.addresses)
    writer = Writer(bg, Keys(rng, bg.keys), rng, shumao)
    planner = Planner(bg, writer, people, rng)
    planner.plan()
    parcels = writer.parcels
    print(f"patterns: {len(parcels)} parcels ({4 * len(parcels)} files) copied from "
          f"{len(planner.templates)} eligible 9610 templates")

    # Register, stock in, ingest.
    with open(os.path.join(g, "parties.json"), encoding="utf-8") as f:
        parties = json.load(f)
    for p in parties:
        cmd = [shumao, "enterprise", "add", "--db", db, "--code", p["code"], "--name", p["name"]]
        for role in p["roles"]:
            cmd += ["--role", role]
        run(cmd, stdout=subprocess.DEVNULL)
    run([shumao, "stock", "in", "--db", db, os.path.join(g, "stock.json")], stdout=subprocess.DEVNULL)
    with open(os.path.join(work, "ingest.out"), "w") as out, open(os.path.join(work, "ingest.err"), "w") as err:
        run([shumao, "ingest", "--db", db, "--replay", g], stdout=out, stderr=err)
    mine = {name for p in parcels for name in p["files"]}
    refused_msgs = []
    with open(os.path.join(work, "ingest.out"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            if e.get("file") in mine and e.get("returnStatus") != "2":
                refused_msgs.append(f"{e['file']}: {e.get('returnStatus')} {e.get('returnInfo')}")
    hits_out = run([shumao, "risk", "hits", "--db", db, "--from", "2000-01-01", "--to", "2099-12-31"],
                   capture_output=True, text=True).stdout
    hits = [json.loads(l) for l in hits_out.splitlines() if l.startswith("{")]
    with open(os.path.join(work, "hits.ndjson"), "w", encoding="utf-8") as f:
        f.write(hits_out)
    by_cop = {}
    for h in hits:
        by_cop.setdefault(h["document"]["copNo"], []).append(h)

    con = sqlite3.connect(db)
    status = dict(con.execute("SELECT doc_key, status || '|' || return_info FROM documents "
                              "WHERE kind = 'inventories' AND deleted = 0"))
    con.close()

    # The table.
    ok_all = True
    rows = []
    verdicts = []
    for pid, title, rule in PATTERNS:
        ps = [p for p in parcels if p["pattern"] == pid]
        invalid = []
        for p in ps:
            st = status.get(p["copNo"], "missing|")
            p["status"], p["info"] = st.split("|", 1)
            if p["status"] not in MATCHED:
                invalid.append(p)
            p["hits"] = sorted(by_cop.get(p["copNo"], []), key=lambda h: h["time"])
        if rule:
            missing = [p for p in ps if not any(h["rule"] == rule for h in p["hits"])]
            live = any(h["rule"] == rule and h["lane"] != "audit" for p in ps for h in p["hits"])
            good = not missing and live and not invalid
            why = ("" if good else
                   f"{len(invalid)} list(s) not matched" if invalid else
                   f"{len(missing)} of {len(ps)} list(s) without {rule}" if missing else
                   f"{rule} only as audit hits")
            expected = f"{rule} on all {len(ps)}"
        else:
            flagged = [p for p in ps if p["hits"]]
            good = not flagged and not invalid
            why = ("" if good else f"{len(invalid)} list(s) not matched" if invalid
                   else f"{len(flagged)} of {len(ps)} list(s) flagged")
            expected = "no hit"
        ok_all &= good
        verdicts.append((pid, title, len(ps), expected, good, why))
        for p in ps:
            found = ", ".join(f"{h['rule']}@{h['lane']}" for h in p["hits"]) or "-"
            rows.append((f"{pid}", p["copNo"], p["order_time"].strftime("%m-%d %H:%M"),
                         p["list_time"].strftime("%m-%d %H:%M"), money(p["value"]), p["buyer"][-6:],
                         p["status"], rule or "none", found))

    heads = ("pat", "list copNo", "ordered", "declared", "value", "buyer", "status", "expected", "found rules@lane")
    widths = [max(len(str(r[i])) for r in rows + [heads]) for i in range(len(heads))]
    line = "  ".join(h.ljust(w) for h, w in zip(heads, widths))
    print()
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()
    print("pattern                                                   lists  expected                  result")
    for pid, title, n, expected, good, why in verdicts:
        print(f"{pid}  {title:<54} {n:>5}  {expected:<24}  {'ok' if good else 'FAIL: ' + why}")
    ebps = sorted({p["ebpCode"] for p in parcels if p["pattern"] == "b"})
    print(f"   b: platforms (ebpCode) {', '.join(ebps)}")
    for p in parcels:
        if p.get("note"):
            print(f"   {p['pattern']}: {p['note']}")
    for p in parcels:
        if p["status"] not in MATCHED:
            print(f"   invalid parcel {p['pattern']} {p['copNo']}: list status {p['status']} {p['info']}")
    for m in refused_msgs:
        print(f"   refused at intake: {m}")
    for n in planner.notes:
        print(f"   note: {n}")

    bg_flagged = {c: hs for c, hs in by_cop.items() if c in bg.list_cops}
    bg_unmatched = sum(1 for c in bg.list_cops if status.get(c, "|").split("|")[0] not in MATCHED)
    print()
    print(f"background: {len(bg.list_cops)} gen clean lists, {len(bg_flagged)} with a hit"
          + (f" ({bg_unmatched} not matched)" if bg_unmatched else ""))
    rules = {}
    for hs in bg_flagged.values():
        for h in hs:
            rules[h["rule"]] = rules.get(h["rule"], 0) + 1
    for rule, n in sorted(rules.items()):
        print(f"   background hits of {rule}: {n}")
    other = [c for c in by_cop if c not in bg.list_cops and c not in {p['copNo'] for p in parcels}]
    if other:
        print(f"   hits on {len(other)} lists neither background nor pattern: {other[:5]}")
    passed = sum(1 for v in verdicts if v[4])
    good = ok_all and not bg_flagged
    print(f"summary: {passed}/{len(verdicts)} patterns as expected, {len(bg_flagged)} background lists "
          f"flagged, {len(hits)} hits in all -> {'PASS' if good else 'FAIL'}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
