// Reads the return entities (returnStatus, returnInfo and the keys beside them) out of a
// synchronous receipt, JSON ({"CEB312Message":{"OrderReturn":[..]}}) or XML.
export function entitiesOf(body, format) {
  if (format === 'xml') {
    const doc = new DOMParser().parseFromString(body, 'application/xml')
    const root = doc.documentElement
    const type = root ? root.localName : ''
    const out = []
    for (const st of doc.getElementsByTagNameNS('*', 'returnStatus')) {
      const entity = st.parentElement
      const fields = {}
      for (const c of entity.children) fields[c.localName] = c.textContent
      out.push({ type, entity: entity.localName, fields })
    }
    return out
  }
  const json = typeof body === 'string' ? JSON.parse(body) : body
  const type = Object.keys(json)[0] || ''
  const msg = json[type] || {}
  const out = []
  for (const [entity, v] of Object.entries(msg)) {
    const list = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []
    for (const e of list) {
      if (e && typeof e === 'object' && 'returnStatus' in e) out.push({ type, entity, fields: e })
    }
  }
  return out
}

export function refused(status) {
  return String(status).startsWith('-')
}

// The business key of a return entity, for display.
export function keyOf(fields) {
  for (const k of ['orderNo', 'copNo', 'invtNo', 'logisticsNo', 'payTransactionId', 'preNo', 'declSeqNo']) {
    if (fields[k]) return `${k} ${fields[k]}`
  }
  return ''
}
