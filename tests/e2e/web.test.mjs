// End-to-end browser test of the web UI (web/dist) against the real server.
//
//   SHUMAO_BIN=build/shumao node --test tests/e2e/
//
// Fills a demo zone (shumao demo: a year of synthetic traffic, tokens on stdout), serves
// it with --public-overview and the built UI on a free loopback port, and drives Debian's
// chromium (playwright-core, no downloaded browser) through every page: the overview
// anonymously, sign-in with a department token, the department view, then the enterprise
// portal with an enterprise token. Fails when a chart has no data or a page logged a
// console error. Screenshots go to build/e2e-artifacts/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = path.resolve(ROOT, process.env.SHUMAO_BIN || 'build/shumao')
const WEB = path.join(ROOT, 'web/dist')
const ART = path.join(ROOT, process.env.E2E_ARTIFACTS || 'build/e2e-artifacts')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const LISTS = Number(process.env.E2E_LISTS || 3000)

const requireWeb = createRequire(path.join(ROOT, 'web/package.json'))
const { chromium } = requireWeb('playwright-core')

let tmp, server, serverLog = '', port, base, context, page
const tokens = { enterprises: [], users: [] }
let consoleErrors = [] // {text, url, phase}
let allowed = [] // regexps of console errors a step expects (a 400 it provokes)
let phase = 'start'

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address()
      s.close(() => resolve(p))
    })
  })
}

async function waitHealthy(url, proc, ms = 120000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${serverLog.slice(-3000)}`)
    try {
      const r = await fetch(`${url}/healthz`)
      if (r.ok) return
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`server not healthy after ${ms} ms:\n${serverLog.slice(-3000)}`)
}

const children = new Set()
// The server must not outlive the test run, even when the runner is interrupted.
process.on('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL') })

function start(args) {
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(proc)
  proc.once('exit', () => children.delete(proc))
  proc.stdoutText = ''
  proc.stdout.on('data', (d) => { proc.stdoutText += d })
  proc.stderr.on('data', (d) => { serverLog += d; if (serverLog.length > 200000) serverLog = serverLog.slice(-100000) })
  return proc
}

function stop(proc) {
  return new Promise((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode) return resolve()
    proc.once('exit', () => resolve())
    proc.kill('SIGTERM')
    setTimeout(() => { if (proc.exitCode === null) proc.kill('SIGKILL') }, 5000).unref()
  })
}

// "  CODE  roles  TOKEN  NAME" lines of `shumao demo`.
function parseTokens(text) {
  for (const line of text.split('\n')) {
    const m = /^\s+(\S+)\s+(\S+)\s+([0-9a-f]{32,})\s*(.*)$/.exec(line)
    if (!m) continue
    const [, code, roles, token, name] = m
    if (name) tokens.enterprises.push({ code, roles: roles.split(','), token, name: name.trim() })
    else tokens.users.push({ name: code, department: roles, token })
  }
}

function helpOf(sub) {
  try { return execFileSync(BIN, [sub, '--help'], { encoding: 'utf8' }) } catch (e) { return String(e.stdout || '') }
}

function webFlag(help) {
  if (/--web-root\b/.test(help)) return '--web-root'
  if (/--web\b/.test(help)) return '--web'
  return ''
}

before(async () => {
  assert.ok(existsSync(BIN), `${BIN} not found: run make build`)
  assert.ok(existsSync(path.join(WEB, 'index.html')), `${WEB}/index.html not found: run make web`)
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install chromium`)
  mkdirSync(ART, { recursive: true })
  tmp = mkdtempSync(path.join(tmpdir(), 'shumao-e2e-'))
  const db = path.join(tmp, 'zone.db')
  port = await freePort()
  base = `http://127.0.0.1:${port}`
  const listen = `127.0.0.1:${port}`

  // The demo fills the zone and prints the tokens, then serves. When it cannot serve the
  // UI itself, it is stopped once healthy and `serve` takes over on the same database.
  const demoWeb = webFlag(helpOf('demo'))
  const demoArgs = ['demo', '--db', db, '--lists', String(LISTS), '--listen', listen]
  if (demoWeb) demoArgs.push(demoWeb, WEB)
  server = start(demoArgs)
  await waitHealthy(base, server, 150000)
  parseTokens(server.stdoutText)
  if (!demoWeb) {
    await stop(server)
    const serveWeb = webFlag(helpOf('serve'))
    assert.ok(serveWeb, 'shumao serve has no option to serve the web UI (--web-root or --web)')
    port = await freePort()
    base = `http://127.0.0.1:${port}`
    server = start(['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--public-overview', serveWeb, WEB, '--log-level', 'warn'])
    await waitHealthy(base, server)
  }
  assert.ok(tokens.users.length, `no department tokens in the demo output:\n${server.stdoutText}`)
  assert.ok(tokens.enterprises.length, 'no enterprise tokens in the demo output')

  const profile = path.join(tmp, 'chromium-profile')
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
    viewport: { width: 1920, height: 1080 },
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce', // the app draws charts without animation then: stable screenshots
  })
  page = context.pages()[0] || await context.newPage()
  page.setDefaultTimeout(30000)
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push({ text: m.text(), url: m.location()?.url || '', phase })
  })
  page.on('pageerror', (e) => consoleErrors.push({ text: `uncaught: ${e.message}`, url: String(e.stack || '').split('\n').slice(1, 4).join(' '), phase }))
})

after(async () => {
  if (context) await context.close().catch(() => {})
  await stop(server)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

// ——— helpers ———

function beginPhase(name, expect = []) {
  phase = name
  allowed = expect
}

function assertNoConsoleErrors() {
  const bad = consoleErrors.filter((e) => e.phase === phase && !allowed.some((re) => re.test(e.text)))
  assert.deepEqual(bad, [], `console errors during ${phase}:\n${bad.map((e) => `${e.text} ${e.url}`).join('\n')}`)
}

// Waits until no request has been in flight for 300 ms (body[data-busy], set by the app).
async function settle() {
  await page.waitForFunction(() => {
    const now = performance.now()
    if (document.body.dataset.busy !== '0') { window.__e2eBusyAt = now; return false }
    if (window.__e2eBusyAt === undefined) window.__e2eBusyAt = now
    return now - window.__e2eBusyAt > 300
  }, null, { timeout: 60000, polling: 50 })
  await page.waitForTimeout(150) // the charts' first frame
}

async function goto(hash) {
  await page.goto(`${base}/${hash}`)
  await settle()
}

async function charts() {
  return (await page.evaluate(() => (window.__chartSummary ? window.__chartSummary() : []))).filter((c) => c.visible)
}

// Every visible chart (and each of `names`) has data points and a size.
async function assertChartsHaveData(names) {
  await page.waitForFunction((want) => {
    if (!window.__chartSummary) return false
    const have = window.__chartSummary().filter((c) => c.visible).map((c) => c.name)
    return want.every((n) => have.includes(n))
  }, names, { timeout: 30000 }).catch(() => {})
  const list = await charts()
  const have = list.map((c) => c.name)
  for (const n of names) assert.ok(have.includes(n), `chart ${n} is not shown (shown: ${have.join(', ')})`)
  for (const c of list) {
    const points = c.series.reduce((a, s) => a + s.points, 0)
    assert.ok(c.series.length > 0 && points > 0, `chart ${c.name} has no data: ${JSON.stringify(c.series)}`)
    assert.ok(c.width > 50 && c.height > 50, `chart ${c.name} has no size (${c.width}×${c.height})`)
  }
  return list
}

async function shot(name, fullPage = false) {
  await page.screenshot({ path: path.join(ART, `${name}.png`), fullPage })
}

async function errorText() {
  const el = page.locator('[data-test=error]')
  return (await el.count()) ? (await el.allInnerTexts()).join(' | ') : ''
}

async function assertNoErrorBox() {
  const text = await errorText()
  assert.equal(text, '', `the page shows an error: ${text}`)
}

async function clickTab(id) {
  await page.click(`[data-tab=${id}]`)
  await settle()
}

async function signIn(token) {
  await goto('#/login')
  await page.fill('[data-test=token]', token)
  await page.click('[data-test=login]')
  await page.waitForSelector('[data-test=me], [data-test=error]')
  await settle()
  await assertNoErrorBox()
}

const OVERVIEW_CHARTS = ['overview-trend', 'overview-map', 'overview-split', 'overview-modes', 'overview-clearance',
  'overview-days', 'overview-chapters', 'overview-risk-rule', 'overview-risk-month']

// ——— the pages ———

test('overview big screen, anonymous (public overview)', async () => {
  beginPhase('overview')
  await page.setViewportSize({ width: 1920, height: 1080 })
  await goto('#/')
  await page.waitForSelector('[data-test=kpis]')
  await assertNoErrorBox()
  await assertChartsHaveData(OVERVIEW_CHARTS)
  const kpi = await page.locator('[data-kpi=value] .kpi-value').innerText()
  assert.match(kpi, /\d/, 'the trade value KPI shows a number')
  assert.equal(await page.locator('[data-table=overview-enterprises]').count(), 0, 'no enterprise ranking for anonymous callers')
  await shot('overview-1920x1080')

  // Import origins on the map.
  await page.click('[data-map=import]')
  await page.waitForTimeout(500)
  await assertChartsHaveData(['overview-map'])

  // Readable at 1366×768; charts follow the window.
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.waitForTimeout(800)
  const small = await assertChartsHaveData(OVERVIEW_CHARTS)
  const map = small.find((c) => c.name === 'overview-map')
  assert.ok(map.width < 1366 * 0.7, `the map resized with the window (${map.width}px)`)
  await shot('overview-1366x768')
  await shot('overview-1366x768-full', true)
  assertNoConsoleErrors()
})

test('language switch to English is remembered', async () => {
  beginPhase('i18n')
  await page.setViewportSize({ width: 1920, height: 1080 })
  await goto('#/')
  assert.equal(await page.locator('[data-nav="/"]').innerText(), '数据大屏')
  await page.click('[data-test=lang]')
  await page.waitForTimeout(300)
  assert.equal(await page.locator('[data-nav="/"]').innerText(), 'Overview')
  await page.reload()
  await settle()
  assert.equal(await page.locator('[data-nav="/"]').innerText(), 'Overview', 'English stays after a reload')
  await assertChartsHaveData(OVERVIEW_CHARTS)
  await shot('overview-en-1920x1080')
  await page.click('[data-test=lang]')
  await page.waitForTimeout(300)
  assert.equal(await page.locator('[data-nav="/"]').innerText(), '数据大屏')
  assertNoConsoleErrors()
})

test('login with a department token shows who I am', async () => {
  beginPhase('login')
  await page.setViewportSize({ width: 1366, height: 768 })
  await goto('#/login')
  await shot('login-empty')
  const customs = tokens.users.find((u) => u.department === 'customs') || tokens.users[0]
  await signIn(customs.token)
  const me = await page.locator('[data-test=me]').innerText()
  assert.ok(me.includes(customs.name), `the identity card names ${customs.name}: ${me}`)
  assert.ok((await page.locator('[data-test=whoami]').innerText()).includes(customs.name))
  await shot('login-department')
  assertNoConsoleErrors()
})

test('overview as a department shows the enterprise ranking', async () => {
  beginPhase('overview-department')
  await page.setViewportSize({ width: 1920, height: 1080 })
  await goto('#/')
  await assertChartsHaveData(OVERVIEW_CHARTS)
  const rows = page.locator('[data-table=overview-enterprises] tbody tr')
  assert.ok((await rows.count()) > 0, 'the enterprise ranking has rows')
  assert.ok(!(await rows.first().innerText()).includes('暂无数据'))
  await shot('overview-department-full', true)
  assertNoConsoleErrors()
})

test('department view: risk hits, alerts, statistics, monthly report, evaluation', async () => {
  beginPhase('department')
  await page.setViewportSize({ width: 1366, height: 768 })
  await goto('#/department')
  await page.waitForSelector('[data-test=risk-hits]')
  await assertNoErrorBox()
  const hits = page.locator('[data-table=risk-hits] tbody tr.clickable')
  assert.ok((await hits.count()) > 0, 'the risk hits feed has rows')
  await hits.first().click()
  await page.waitForSelector('[data-test=risk-detail]')
  await shot('department-risk')

  await clickTab('alerts')
  await page.waitForSelector('[data-test=alerts]')
  await assertNoErrorBox()
  await shot('department-alerts')

  await clickTab('stats')
  await assertNoErrorBox()
  await assertChartsHaveData(['dept-stats-chart'])
  await page.selectOption('[data-stats=dept-stats] [data-test=by]', 'country')
  await page.selectOption('[data-stats=dept-stats] [data-test=measure]', 'lists')
  await page.click('[data-stats=dept-stats] [data-test=stats-run]')
  await settle()
  await assertNoErrorBox()
  await assertChartsHaveData(['dept-stats-chart'])
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-stats=dept-stats] [data-test=stats-csv]')])
  assert.match(csv.suggestedFilename(), /\.csv$/)
  await shot('department-stats')

  await clickTab('report')
  await page.waitForSelector('[data-test=report-totals]')
  await assertNoErrorBox()
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=report-xlsx]')])
  const file = path.join(tmp, 'report.xlsx')
  await xlsx.saveAs(file)
  assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK', 'the monthly report downloads as an xlsx (zip) file')
  await shot('department-report', true)

  await clickTab('evaluation')
  await page.waitForSelector('[data-test=evaluation] .zone-card')
  await assertNoErrorBox()
  await assertChartsHaveData(['evaluation-total', 'evaluation-indicators'])
  await shot('department-evaluation', true)
  assertNoConsoleErrors()
})

// An order in the CEB311 XML form for the upload test.
function orderXml(ebc, ebp, pay, orderNo) {
  const g = () => execGuid()
  return `<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB311Message guid="${g()}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
\t<ceb:Order>
\t\t<ceb:OrderHead>
\t\t\t<ceb:guid>${g()}</ceb:guid><ceb:appType>1</ceb:appType><ceb:appTime>${c14()}</ceb:appTime><ceb:appStatus>2</ceb:appStatus>
\t\t\t<ceb:orderType>I</ceb:orderType><ceb:orderNo>${orderNo}</ceb:orderNo>
\t\t\t<ceb:ebpCode>${ebp.code}</ceb:ebpCode><ceb:ebpName>${ebp.name}</ceb:ebpName>
\t\t\t<ceb:ebcCode>${ebc.code}</ceb:ebcCode><ceb:ebcName>${ebc.name}</ceb:ebcName>
\t\t\t<ceb:goodsValue>199.00</ceb:goodsValue><ceb:freight>0.00</ceb:freight><ceb:discount>0.00</ceb:discount>
\t\t\t<ceb:taxTotal>18.11</ceb:taxTotal><ceb:acturalPaid>217.11</ceb:acturalPaid><ceb:currency>142</ceb:currency>
\t\t\t<ceb:buyerRegNo>e2e-buyer-1</ceb:buyerRegNo><ceb:buyerName>测试买家</ceb:buyerName><ceb:buyerTelephone>13900000001</ceb:buyerTelephone>
\t\t\t<ceb:buyerIdType>1</ceb:buyerIdType><ceb:buyerIdNumber>110101199001011237</ceb:buyerIdNumber>
\t\t\t<ceb:payCode>${pay.code}</ceb:payCode><ceb:payName>${pay.name}</ceb:payName><ceb:payTransactionId>E2EPAY${orderNo}</ceb:payTransactionId>
\t\t\t<ceb:consignee>测试买家</ceb:consignee><ceb:consigneeTelephone>13900000001</ceb:consigneeTelephone>
\t\t\t<ceb:consigneeAddress>江苏省苏州市工业园区星湖街328号</ceb:consigneeAddress><ceb:consigneeDistrict>320508</ceb:consigneeDistrict>
\t\t</ceb:OrderHead>
\t\t<ceb:OrderList>
\t\t\t<ceb:gnum>1</ceb:gnum><ceb:itemNo>E2E-SKU-1</ceb:itemNo><ceb:itemName>保湿面霜</ceb:itemName><ceb:gmodel>50ml/瓶</ceb:gmodel>
\t\t\t<ceb:barCode>无</ceb:barCode><ceb:unit>011</ceb:unit><ceb:qty>1</ceb:qty><ceb:price>199.00</ceb:price>
\t\t\t<ceb:totalPrice>199.00</ceb:totalPrice><ceb:currency>142</ceb:currency><ceb:country>116</ceb:country>
\t\t</ceb:OrderList>
\t</ceb:Order>
\t<ceb:BaseTransfer><ceb:copCode>${ebc.code}</ceb:copCode><ceb:copName>${ebc.name}</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>DXPENT0000000001</ceb:dxpId></ceb:BaseTransfer>
</ceb:CEB311Message>
`
}

function execGuid() {
  const h = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

function c14() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 19).replace(/[-T:]/g, '')
}

test('enterprise portal: documents, tax bill, summaries, statistics, upload, order form', async () => {
  beginPhase('portal')
  await page.setViewportSize({ width: 1366, height: 768 })
  // An e-commerce enterprise of the demo that has lists.
  const ebcs = tokens.enterprises.filter((e) => e.roles.includes('ebc'))
  let ebc = null
  for (const e of ebcs) {
    const r = await fetch(`${base}/api/v1/documents?kind=inventories&limit=1`, { headers: { Authorization: `Bearer ${e.token}` } })
    if (r.ok && ((await r.json()).documents || []).length) { ebc = e; break }
  }
  assert.ok(ebc, `no demo e-commerce enterprise has lists in GET /api/v1/documents (tried ${ebcs.map((e) => e.code).join(', ')})`)
  const ebp = tokens.enterprises.find((e) => e.roles.includes('ebp') && e.code !== ebc.code) || tokens.enterprises.find((e) => e.roles.includes('ebp'))
  const pay = tokens.enterprises.find((e) => e.roles.includes('payment'))

  await signIn(ebc.token)
  await goto('#/portal')
  await page.waitForSelector('[data-test=documents]')
  await assertNoErrorBox()

  // Documents: the list, a page further, a row's detail with its history.
  const rows = page.locator('[data-table=documents] tbody tr.clickable')
  assert.ok((await rows.count()) > 0, 'my lists are shown')
  if (await page.locator('[data-test=next-page]').isEnabled()) {
    const firstId = await rows.first().locator('td').first().innerText()
    await page.click('[data-test=next-page]')
    await settle()
    await assertNoErrorBox()
    assert.ok((await rows.count()) > 0, 'the second page has rows')
    const secondId = await rows.first().locator('td').first().innerText()
    assert.ok(Number(secondId.replace(/\D/g, '')) < Number(firstId.replace(/\D/g, '')),
      `the second page holds older documents (first page starts at ${firstId}, second at ${secondId})`)
  }
  await rows.first().click()
  await page.waitForSelector('[data-test=document-detail] [data-table=document-history] tbody tr')
  await settle()
  await assertNoErrorBox()
  await shot('portal-documents')

  // The list's tax bill, from its detail.
  await page.click('[data-test=open-taxbill]')
  await page.waitForSelector('[data-test=taxbill-head], [data-test=taxbill] [data-test=error]')
  await settle()
  await assertNoErrorBox()
  assert.match(await page.locator('[data-test=taxbill-head]').innerText(), /\d+\.\d\d/, 'the tax bill shows amounts')
  await shot('portal-taxbill')

  await clickTab('receipts')
  await page.waitForSelector('[data-test=receipts]')
  await assertNoErrorBox()
  await shot('portal-receipts')

  await clickTab('summaries')
  await page.click('[data-test=summary-submit]')
  await page.waitForSelector('[data-test=summary-result]')
  await assertNoErrorBox()
  await shot('portal-summaries')

  await clickTab('stats')
  await assertNoErrorBox()
  await assertChartsHaveData(['portal-stats-chart'])
  await shot('portal-stats')

  // Upload a CEB311 as XML, then as JSON: the receipt's returnStatus 2.
  await clickTab('upload')
  const no1 = `E2EX${Date.now()}`
  await page.setInputFiles('[data-test=upload-file]', { name: 'order.xml', mimeType: 'application/xml', buffer: Buffer.from(orderXml(ebc, ebp, pay, no1)) })
  await page.click('[data-test=upload-send]')
  await page.waitForSelector('[data-test=upload-receipt], [data-test=upload] [data-test=error]')
  await assertNoErrorBox()
  assert.equal(await page.locator('[data-test=upload-receipt] [data-test=return-status]').first().innerText(), '2',
    await page.locator('[data-test=upload-receipt]').innerText())
  await shot('portal-upload-xml')
  const no2 = `E2EJ${Date.now()}`
  const json = {
    CEB311Message: {
      guid: execGuid(), version: '1.0',
      Order: [{
        OrderHead: {
          guid: execGuid(), appType: '1', appTime: c14(), appStatus: '2', orderType: 'I', orderNo: no2,
          ebpCode: ebp.code, ebpName: ebp.name, ebcCode: ebc.code, ebcName: ebc.name, goodsValue: '88.00', freight: '0',
          discount: '0', taxTotal: '8.01', acturalPaid: '96.01', currency: '142', buyerRegNo: 'e2e-buyer-2', buyerName: '李四',
          buyerTelephone: '13900000002', buyerIdType: '1', buyerIdNumber: '110101199202021234', payCode: pay.code, payName: pay.name,
          payTransactionId: `E2EPAY${no2}`, consignee: '李四', consigneeTelephone: '13900000002', consigneeAddress: '江苏省南京市建邺区江东中路1号',
        },
        OrderList: [{ gnum: 1, itemName: '维生素软糖', gmodel: '60粒/瓶', unit: '011', qty: '1', price: '88.00', totalPrice: '88.00', currency: '142', country: '601' }],
      }],
      BaseTransfer: { copCode: ebc.code, copName: ebc.name, dxpMode: 'DXP', dxpId: 'DXPENT0000000001' },
    },
  }
  const jsonFile = path.join(tmp, 'order.json')
  writeFileSync(jsonFile, JSON.stringify(json))
  await page.setInputFiles('[data-test=upload-file]', jsonFile)
  await page.click('[data-test=upload-send]')
  await page.waitForFunction(() => document.querySelector('[data-test=upload-receipt] h4')?.textContent.includes('JSON'))
  await assertNoErrorBox()
  assert.equal(await page.locator('[data-test=upload-receipt] [data-test=return-status]').first().innerText(), '2')

  // The order form: a bad unit (the server's 400 names the field), an unregistered
  // platform (refused, returnStatus < 0), then accepted.
  await clickTab('order')
  const f = (name) => `[data-test=order-form] [data-field="${name}"]`
  await page.fill(f('ebpCode'), ebp.code)
  await page.fill(f('ebpName'), ebp.name)
  await page.fill(f('buyerRegNo'), 'e2e-buyer-3')
  await page.fill(f('buyerName'), '王五')
  await page.fill(f('buyerTelephone'), '13900000003')
  await page.fill(f('buyerIdNumber'), '110101199303031232')
  await page.fill(f('payCode'), pay.code)
  await page.fill(f('payName'), pay.name)
  await page.fill(f('payTransactionId'), `E2EPAYF${Date.now()}`)
  await page.fill(f('consignee'), '王五')
  await page.fill(f('consigneeTelephone'), '13900000003')
  await page.fill(f('consigneeAddress'), '江苏省无锡市滨湖区太湖大道1号')
  await page.fill(f('line0.itemName'), '婴儿润肤乳')
  await page.fill(f('line0.gmodel'), '200ml/瓶')
  await page.fill(f('line0.qty'), '2')
  await page.fill(f('line0.price'), '59.50')
  await page.fill(f('line0.country'), '116')
  await page.fill(f('line0.unit'), '99')
  assert.equal(await page.inputValue(f('acturalPaid')), '119.00', 'the form adds up the amounts')

  beginPhase('portal-order-400', [/status of 400/])
  await page.click('[data-test=order-submit]')
  await page.waitForSelector('[data-test=order-form] [data-test=error]')
  const err = await errorText()
  assert.match(err, /unit/, `the server's error names the field: ${err}`)
  assert.equal(await page.locator('[data-test=order-form] label.invalid [data-field="line0.unit"]').count(), 1, 'the unit input is marked')
  await shot('portal-order-error')
  assertNoConsoleErrors()

  beginPhase('portal-order')
  await page.fill(f('line0.unit'), '011')
  await page.fill(f('ebpCode'), '3299E2ENONE')
  await page.click('[data-test=order-submit]')
  await page.waitForSelector('[data-test=order-result]')
  assert.match(await page.locator('[data-test=order-result] [data-test=return-status]').innerText(), /^-/)
  assert.match(await page.locator('[data-test=order-result] [data-test=return-info]').innerText(), /ebpCode/)
  await page.fill(f('ebpCode'), ebp.code)
  await page.click('[data-test=order-submit]')
  await page.waitForFunction(() => document.querySelector('[data-test=order-result] [data-test=return-status]')?.textContent === '2')
  await assertNoErrorBox()
  await shot('portal-order-accepted')

  // The order is among my documents.
  await clickTab('documents')
  await page.click('[data-kind=orders]')
  await settle()
  await assertNoErrorBox()
  assertNoConsoleErrors()
})

test('signing out forgets the token', async () => {
  beginPhase('logout')
  await goto('#/login')
  await page.click('[data-test=logout]')
  await page.waitForSelector('[data-test=login-note]')
  assert.equal(await page.evaluate(() => localStorage.getItem('shumao.token')), null)
  await goto('#/portal')
  await page.waitForSelector('[data-test=need-login]')
  assertNoConsoleErrors()
})
