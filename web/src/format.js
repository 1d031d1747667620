// Number, money, duration and date formatting for both languages; CSV building.
import { locale, t } from './i18n.js'

export function num(v) {
  if (v === null || v === undefined || v === '') return NaN
  return Number(v)
}

function loc() {
  return locale.value === 'en' ? 'en-US' : 'zh-CN'
}

export function fmtInt(v) {
  const n = num(v)
  if (!Number.isFinite(n)) return '–'
  return Math.round(n).toLocaleString(loc())
}

export function fmtDec(v, digits = 2) {
  const n = num(v)
  if (!Number.isFinite(n)) return '–'
  return n.toLocaleString(loc(), { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

// A money amount in CNY, shortened: 亿元 / 万元 in Chinese, M / k in English.
export function fmtMoneyShort(v) {
  const n = num(v)
  if (!Number.isFinite(n)) return { value: '–', unit: '' }
  const abs = Math.abs(n)
  if (locale.value === 'en') {
    if (abs >= 1e9) return { value: (n / 1e9).toFixed(2), unit: 'bn CNY' }
    if (abs >= 1e6) return { value: (n / 1e6).toFixed(2), unit: 'M CNY' }
    if (abs >= 1e4) return { value: (n / 1e3).toFixed(1), unit: 'k CNY' }
    return { value: n.toFixed(2), unit: 'CNY' }
  }
  if (abs >= 1e8) return { value: (n / 1e8).toFixed(2), unit: '亿元' }
  if (abs >= 1e4) return { value: (n / 1e4).toFixed(2), unit: '万元' }
  return { value: n.toFixed(2), unit: '元' }
}

export function fmtMoney(v) {
  const m = fmtMoneyShort(v)
  return m.unit ? `${m.value} ${m.unit}` : m.value
}

// Axis labels: compact numbers.
export function fmtAxis(v) {
  const n = Number(v)
  const abs = Math.abs(n)
  if (locale.value === 'en') {
    if (abs >= 1e9) return `${+(n / 1e9).toFixed(1)}bn`
    if (abs >= 1e6) return `${+(n / 1e6).toFixed(1)}M`
    if (abs >= 1e3) return `${+(n / 1e3).toFixed(1)}k`
    return String(+n.toFixed(2))
  }
  if (abs >= 1e8) return `${+(n / 1e8).toFixed(1)}亿`
  if (abs >= 1e4) return `${+(n / 1e4).toFixed(1)}万`
  return String(+n.toFixed(2))
}

// Seconds as "1.5 小时" / "35 分钟" / "1.2 天".
export function fmtDuration(seconds) {
  const s = num(seconds)
  if (!Number.isFinite(s)) return '–'
  if (s >= 86400 * 2) return `${(s / 86400).toFixed(1)} ${t('units.day')}`
  if (s >= 3600) return `${(s / 3600).toFixed(1)} ${t('units.hour')}`
  if (s >= 60) return `${Math.round(s / 60)} ${t('units.minute')}`
  return `${Math.round(s)} ${t('units.second')}`
}

export function hours(seconds) {
  const s = num(seconds)
  return Number.isFinite(s) ? +(s / 3600).toFixed(2) : 0
}

export function fmtTime(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  return d.toLocaleString(loc(), { hour12: false })
}

export function fmtPct(v) {
  const n = num(v)
  if (!Number.isFinite(n)) return '–'
  const s = (n * 100).toFixed(1)
  return `${n > 0 ? '+' : ''}${s}%`
}

// Dates in Beijing time, the zone's clock: YYYY-MM-DD.
export function isoDay(d = new Date()) {
  const bj = new Date(d.getTime() + 8 * 3600 * 1000)
  return bj.toISOString().slice(0, 10)
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

export function prevMonth(day = isoDay()) {
  const [y, m] = day.split('-').map(Number)
  const d = new Date(Date.UTC(y, m - 2, 1))
  return d.toISOString().slice(0, 7)
}

export function csvOf(columns, rows) {
  const esc = (v) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const lines = [columns.map((c) => esc(c.label)).join(',')]
  for (const r of rows) lines.push(columns.map((c) => esc(r[c.key])).join(','))
  // A byte order mark so that spreadsheet programs read the Chinese text as UTF-8.
  return `\ufeff${lines.join('\r\n')}\r\n`
}
