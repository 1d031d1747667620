// The platform's HTTP API: the token kept in localStorage and sent as a Bearer header,
// errors turned into ApiError with the server's {"error":{"code","message","field"}},
// a count of requests in flight for the busy indicator, and the caller's identity.
import { reactive } from 'vue'

const TOKEN_KEY = 'shumao.token'

function savedToken() {
  try { return localStorage.getItem(TOKEN_KEY) || '' } catch { return '' }
}

export const session = reactive({
  token: savedToken(),
  me: null,        // GET /api/v1/me answer
  meError: null,   // ApiError when /me failed
  meLoaded: false,
})

export const config = reactive({ loaded: false, publicOverview: false, zones: [], error: null })

export const busy = reactive({ count: 0 })

export class ApiError extends Error {
  constructor(status, code, message, field = '') {
    super(message)
    this.status = status
    this.code = code
    this.field = field
  }
}

async function errorFrom(res) {
  let code = `http_${res.status}`, message = `${res.status} ${res.statusText}`, field = ''
  const text = await res.text().catch(() => '')
  try {
    const body = JSON.parse(text)
    if (body && body.error) {
      code = body.error.code || code
      message = body.error.message || message
      field = body.error.field || ''
    }
  } catch {
    // An XML error (CEB900) or plain text: show what the server said.
    const info = /<(?:ceb:)?returnInfo>([^<]*)</.exec(text)
    if (info) message = info[1]
    else if (text) message = text.slice(0, 300)
  }
  return new ApiError(res.status, code, message, field)
}

// api('/api/v1/x', {method, body, contentType, as: 'json'|'text'|'blob'|'response'})
export async function api(path, opts = {}) {
  const { method = 'GET', body, contentType, as = 'json', auth = true, signal } = opts
  const headers = {}
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`
  let payload = body
  if (body !== undefined && contentType === undefined && typeof body === 'object' && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  } else if (contentType) {
    headers['Content-Type'] = contentType
  }
  busy.count++
  try {
    let res
    try {
      res = await fetch(path, { method, headers, body: payload, signal })
    } catch (e) {
      if (e.name === 'AbortError') throw e
      throw new ApiError(0, 'network', e.message || String(e))
    }
    if (!res.ok) throw await errorFrom(res)
    if (as === 'response') return res
    if (as === 'text') return await res.text()
    if (as === 'blob') return await res.blob()
    return await res.json()
  } finally {
    busy.count--
  }
}

export function query(params) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v)
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

// Fetches with the token and saves the answer as a file (the Authorization header rules
// out a plain link).
export async function download(path, filename) {
  const res = await api(path, { as: 'response' })
  const blob = await res.blob()
  let name = filename
  const cd = res.headers.get('Content-Disposition') || ''
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)
  if (m) name = decodeURIComponent(m[1])
  saveBlob(blob, name)
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export function setToken(token) {
  session.token = token.trim()
  try {
    if (session.token) localStorage.setItem(TOKEN_KEY, session.token)
    else localStorage.removeItem(TOKEN_KEY)
  } catch { /* ignore */ }
  session.me = null
  session.meError = null
  session.meLoaded = false
}

export async function loadMe() {
  if (!session.token) {
    session.me = null
    session.meError = null
    session.meLoaded = true
    return null
  }
  try {
    session.me = await api('/api/v1/me')
    session.meError = null
  } catch (e) {
    session.me = null
    session.meError = e
  } finally {
    session.meLoaded = true
  }
  return session.me
}

export async function loadConfig() {
  try {
    const c = await api('/api/v1/config', { auth: false })
    config.publicOverview = !!c.publicOverview
    config.zones = Array.isArray(c.zones) ? c.zones : []
    config.error = null
  } catch (e) {
    config.error = e
  } finally {
    config.loaded = true
  }
}
