// The CEB311 import order (2022 standard) as the order form needs it: the fields in XSD
// order with whether they are required and their length, and the JSON form the server
// reads ({"CEB311Message":{"guid","version","Order":[{"OrderHead","OrderList"}],"BaseTransfer"}}).
// Sources: ../shared/domain/ceb-messages.md §4.1 and ../shared/ceb/fields.json.

// kind: 'text' (typed by the user), 'auto' (filled by the form), 'fixed' (one allowed value),
// 'amount' (decimal), 'calc' (computed from other fields, still editable).
export const HEAD = [
  { name: 'guid', req: true, len: 36, kind: 'auto' },
  { name: 'appType', req: true, len: 1, kind: 'fixed', value: '1' },
  { name: 'appTime', req: true, len: 14, kind: 'auto' },
  { name: 'appStatus', req: true, max: 3, kind: 'fixed', value: '2' },
  { name: 'orderType', req: true, len: 1, kind: 'fixed', value: 'I' },
  { name: 'orderNo', req: true, max: 60, kind: 'text' },
  { name: 'ebpCode', req: true, max: 18, kind: 'text' },
  { name: 'ebpName', req: true, max: 100, kind: 'text' },
  { name: 'ebcCode', req: true, max: 18, kind: 'text' },
  { name: 'ebcName', req: true, max: 100, kind: 'text' },
  { name: 'goodsValue', req: true, kind: 'calc' },
  { name: 'freight', req: true, kind: 'amount', value: '0' },
  { name: 'discount', req: true, kind: 'amount', value: '0' },
  { name: 'taxTotal', req: true, kind: 'amount', value: '0' },
  { name: 'acturalPaid', req: true, kind: 'calc' },
  { name: 'currency', req: true, len: 3, kind: 'fixed', value: '142' },
  { name: 'buyerRegNo', req: true, max: 60, kind: 'text' },
  { name: 'buyerName', req: true, max: 60, kind: 'text' },
  { name: 'buyerTelephone', req: true, max: 30, kind: 'text' },
  { name: 'buyerIdType', req: true, len: 1, kind: 'fixed', value: '1' },
  { name: 'buyerIdNumber', req: true, max: 60, kind: 'text' },
  { name: 'payCode', req: false, max: 18, kind: 'text' },
  { name: 'payName', req: false, max: 100, kind: 'text' },
  { name: 'payTransactionId', req: false, max: 60, kind: 'text' },
  { name: 'batchNumbers', req: false, max: 100, kind: 'text' },
  { name: 'consignee', req: true, max: 100, kind: 'text' },
  { name: 'consigneeTelephone', req: true, max: 50, kind: 'text' },
  { name: 'consigneeAddress', req: true, max: 200, kind: 'text' },
  { name: 'consigneeDistrict', req: false, len: 6, kind: 'text' },
  { name: 'note', req: false, max: 1000, kind: 'text' },
]

export const LINE = [
  { name: 'gnum', req: true, kind: 'auto' },
  { name: 'itemNo', req: false, max: 30, kind: 'text' },
  { name: 'itemName', req: true, max: 250, kind: 'text' },
  { name: 'gmodel', req: true, max: 510, kind: 'text' },
  { name: 'itemDescribe', req: false, max: 1000, kind: 'text' },
  { name: 'barCode', req: false, max: 50, kind: 'text' },
  { name: 'unit', req: true, len: 3, kind: 'text', value: '011' },
  { name: 'qty', req: true, kind: 'amount', value: '1' },
  { name: 'price', req: true, kind: 'amount' },
  { name: 'totalPrice', req: true, kind: 'calc' },
  { name: 'currency', req: true, len: 3, kind: 'fixed', value: '142' },
  { name: 'country', req: true, len: 3, kind: 'text' },
  { name: 'note', req: false, max: 1000, kind: 'text' },
]

export const BASE = [
  { name: 'copCode', req: true, max: 18, kind: 'text' },
  { name: 'copName', req: true, max: 100, kind: 'text' },
  { name: 'dxpMode', req: true, len: 3, kind: 'fixed', value: 'DXP' },
  { name: 'dxpId', req: true, max: 30, kind: 'text' },
  { name: 'note', req: false, max: 1000, kind: 'text' },
]

// A random upper-case UUID (36 characters), from crypto.getRandomValues, which works on
// plain http too.
export function guid() {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

// YYYYMMDDhhmmss in Beijing time.
export function c14(d = new Date()) {
  const bj = new Date(d.getTime() + 8 * 3600 * 1000).toISOString()
  return bj.slice(0, 19).replace(/[-T:]/g, '')
}

export function blank(fields) {
  return Object.fromEntries(fields.map((f) => [f.name, f.value ?? '']))
}

// Decimal arithmetic in cents, enough for the form's sums; null when an input is not a number.
export function cents(v) {
  const s = String(v ?? '').trim()
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null
  return Math.round(Number(s) * 100)
}
export function fromCents(c) {
  const neg = c < 0
  const a = Math.abs(c)
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
}

function pick(fields, values) {
  const out = {}
  for (const f of fields) {
    const v = values[f.name]
    const s = v === undefined || v === null ? '' : String(v).trim()
    if (s === '' && !f.req) continue
    out[f.name] = f.name === 'gnum' ? Number(s) : s
  }
  return out
}

export function buildMessage(head, lines, base, rootGuid) {
  return {
    CEB311Message: {
      guid: rootGuid,
      version: '1.0',
      Order: [{
        OrderHead: pick(HEAD, head),
        OrderList: lines.map((l, i) => pick(LINE, { ...l, gnum: i + 1 })),
      }],
      BaseTransfer: pick(BASE, base),
    },
  }
}

// Missing required fields, as [{section, index, name}].
export function missing(head, lines, base) {
  const out = []
  const check = (section, fields, values, index) => {
    for (const f of fields) {
      if (f.req && f.kind !== 'auto' && String(values[f.name] ?? '').trim() === '') out.push({ section, index, name: f.name })
    }
  }
  check('head', HEAD, head, 0)
  lines.forEach((l, i) => check('line', LINE, l, i))
  check('base', BASE, base, 0)
  return out
}

// The form input a server field path names: Order[1].OrderHead.x, Order[1].OrderList[2].y,
// BaseTransfer.z (or the bare element name).
export function inputOf(path) {
  if (!path) return null
  let m = /OrderList\[(\d+)\]\.(\w+)$/.exec(path)
  if (m) return { section: 'line', index: Number(m[1]) - 1, name: m[2] }
  m = /OrderHead\.(\w+)$/.exec(path)
  if (m) return { section: 'head', index: 0, name: m[1] }
  m = /BaseTransfer\.(\w+)$/.exec(path)
  if (m) return { section: 'base', index: 0, name: m[1] }
  m = /^(\w+)$/.exec(path)
  if (m && HEAD.some((f) => f.name === m[1])) return { section: 'head', index: 0, name: m[1] }
  return null
}

export function inputId(section, index, name) {
  return section === 'line' ? `f-line-${index}-${name}` : `f-${section}-${name}`
}
