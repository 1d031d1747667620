// Code tables shared with the server (../data): countries (customs codes) and units of
// measure, for labels and the order form's choices. Bundled at build time.
import countriesCsv from '../../data/countries.csv?raw'
import unitsCsv from '../../data/units.csv?raw'
import { locale } from './i18n.js'

function parseCsv(text) {
  const [head, ...lines] = text.trim().split(/\r?\n/)
  const cols = head.split(',')
  return lines.filter(Boolean).map((line) => {
    const cells = line.split(',')
    return Object.fromEntries(cols.map((c, i) => [c, (cells[i] || '').trim()]))
  })
}

export const countries = parseCsv(countriesCsv)
export const units = parseCsv(unitsCsv)

const countryByCode = Object.fromEntries(countries.map((c) => [c.customs_code, c]))
const unitByCode = Object.fromEntries(units.map((u) => [u.code, u]))

export function countryName(code) {
  const c = countryByCode[code]
  if (!c) return code
  return locale.value === 'en' ? c.name_en || c.name_zh : c.name_zh || c.name_en
}

export function unitName(code) {
  return unitByCode[code]?.name_zh || code
}
