// Hash routing by hand: #/path?key=value. route.path and route.query follow the hash.
import { reactive } from 'vue'

export const routes = ['/', '/login', '/portal', '/department']

function parse() {
  const raw = (location.hash || '#/').slice(1) || '/'
  const [path, qs = ''] = raw.split('?')
  return { path: routes.includes(path) ? path : '/', query: Object.fromEntries(new URLSearchParams(qs)) }
}

export const route = reactive(parse())

window.addEventListener('hashchange', () => Object.assign(route, parse()))

export function go(path, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString()
  const hash = `#${path}${qs ? `?${qs}` : ''}`
  if (location.hash !== hash) location.hash = hash
  else Object.assign(route, parse())
}

// Changes one query parameter of the current page (a tab, a filter) without a new history entry.
export function setQuery(patch) {
  const query = { ...route.query, ...patch }
  for (const k of Object.keys(query)) if (query[k] === undefined || query[k] === null || query[k] === '') delete query[k]
  const qs = new URLSearchParams(query).toString()
  history.replaceState(null, '', `#${route.path}${qs ? `?${qs}` : ''}`)
  route.query = query
}
