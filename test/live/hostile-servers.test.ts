import { readFileSync, writeFileSync } from 'node:fs'
import {
  connect,
  createServer as createNetServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createServer as createTlsServer } from 'node:tls'
import { generate } from 'selfsigned'
import { afterAll, describe, expect, it } from 'vitest'
import { shippedSchema } from '../../src/core/schemas.js'
import { localhostCertificate } from '../../src/testing/local.js'
import { cliAsync } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * `check --live` against servers on 127.0.0.1 that misbehave on purpose: they trickle, never stop
 * sending, loop, send elsewhere, show bad certificates, lie about JSON and hang up halfway. Each run
 * must end within its bounds with a report that says what happened (a finding, or a rule not
 * checked with the reason), never with a crash, a stack trace or a hang.
 */

interface Request {
  method: string
  path: string
  headers: Record<string, string>
  socket: Socket
  /** When the request head arrived (ms). */
  at: number
  /** When the client closed the connection (ms), once it has. */
  closedAt?: number
}

interface Hostile {
  port: number
  requests: Request[]
  /** Bytes written to clients, all connections together. */
  sent: { bytes: number }
}

const servers: Server[] = []
const sockets = new Set<Socket>()
afterAll(async () => {
  for (const s of sockets) s.destroy()
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
})

/**
 * A server that speaks HTTP/1.1 by hand (so that it can break it): it reads a request head and
 * hands it to `answer`, which writes whatever bytes it likes to the socket.
 */
async function hostile(
  answer: (req: Request, server: Hostile) => void,
  tls?: { cert: string; key: string },
): Promise<Hostile> {
  const state: Hostile = { port: 0, requests: [], sent: { bytes: 0 } }
  const onSocket = (socket: Socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    let head = ''
    const onData = (d: Buffer) => {
      head += d.toString('latin1')
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      const [line, ...rest] = head.slice(0, end).split('\r\n')
      const [method, target] = line!.split(' ')
      const headers: Record<string, string> = {}
      for (const h of rest) {
        const i = h.indexOf(':')
        headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim()
      }
      const req: Request = { method: method!, path: target!, headers, socket, at: Date.now() }
      socket.on('close', () => (req.closedAt = Date.now()))
      state.requests.push(req)
      // Count what goes out.
      const write = socket.write.bind(socket)
      socket.write = ((chunk: string | Buffer, ...more: never[]) => {
        state.sent.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
        return write(chunk, ...more)
      }) as typeof socket.write
      answer(req, state)
    }
    socket.on('data', onData)
  }
  const server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, onSocket) : createNetServer(onSocket)
  // A TLS client that gives up mid-handshake is no concern of these servers.
  server.on('tlsClientError', () => {})
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.port = (server.address() as AddressInfo).port
  return state
}

/** A complete, well-formed answer, after which the connection is closed. */
function respond(req: Request, status: number, headers: Record<string, string>, body = ''): void {
  const lines = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
  lines.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', '')
  req.socket.end(lines.join('\r\n') + body)
}

const OPENAPI = `openapi: 3.1.0
info: {title: Hostile, version: 1.0.0}
paths:
  /health:
    get:
      operationId: health
      responses:
        '200': {description: ok, content: {application/health+json: {schema: {type: object}}}}
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 5}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
        '404':
          description: not found
          content: {application/problem+json: {schema: {type: object}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        child: {$ref: '#/components/schemas/Thing'}
`

/** A service of one API at `baseUrl`, described by OPENAPI, in a folder of its own. */
function serviceAt(baseUrl: string, files: Record<string, string> = {}): string {
  return tempFiles({
    'interop.yaml': `service: {name: Hostile, vendor: Hostile AB}
apis:
  - name: api
    openapi: openapi.yaml
    environments:
      production: ${baseUrl}
    examples:
      getThing: {id: '1'}
`,
    'openapi.yaml': OPENAPI,
    ...files,
  })
}

interface Rule {
  ruleId: string
  status: string
  reason?: string
}
interface Finding {
  ruleId: string
  messageId: string
  message: string
}
interface Exchange {
  purpose: string
  request: { url: string }
  response?: { status: number; body?: string; truncated?: boolean; headers: Record<string, string> }
  error?: string
}

/** `check --live` of a service, JSON report on standard output and the recording in DIR/recorded. */
async function check(dir: string, extra: string[] = [], env: Record<string, string> = {}) {
  const started = Date.now()
  const r = await cliAsync(
    [
      'check',
      path.join(dir, 'interop.yaml'),
      '-r',
      'municipal-baseline',
      '--live',
      '--allow-private',
      '--timeout',
      '1',
      '--rate',
      '100',
      '-f',
      'json',
      '--fail-on',
      'none',
      '--save-inputs',
      path.join(dir, 'recorded'),
      ...extra,
    ],
    { env },
  )
  const elapsed = Date.now() - started
  // A clear end: exit 0 (--fail-on none), no error message, no stack trace.
  expect(r.stderr).not.toMatch(/interop:|^\s+at |Error:|TypeError|RangeError/m)
  expect(r.status, r.stderr).toBe(0)
  const report = JSON.parse(r.stdout)
  expect(shippedSchema('report')(report), JSON.stringify(shippedSchema('report').errors)).toBe(true)
  const rules = report.rulesets.flatMap((x: { rules: Rule[] }) => x.rules) as Rule[]
  const findings = report.findings as Finding[]
  const rule = (id: string) => rules.find((x) => x.ruleId === id)!
  const recording = JSON.parse(readFileSync(path.join(dir, 'recorded', 'live.json'), 'utf8')) as {
    exchanges: Exchange[]
  }
  // No rule broke on what the server sent; every rule that could not judge says why.
  expect(rules.filter((x) => x.status === 'error')).toEqual([])
  for (const x of rules.filter((x) => x.status === 'not-checked')) expect(x.reason, x.ruleId).toMatch(/\w/)
  if (process.env.DEBUG_HOSTILE)
    console.log(
      JSON.stringify(
        {
          rules: rules.filter((x) => /-live$|tls/.test(x.ruleId)),
          findings: findings
            .filter((f) => /-live$|tls/.test(f.ruleId))
            .map((f) => [f.ruleId, f.messageId, f.message.slice(0, 300)]),
          exchanges: recording.exchanges.map((e) => [e.request.url, e.response?.status, e.error]),
          stderr: r.stderr,
        },
        null,
        1,
      ),
    )
  return { r, report, rules, rule, findings, exchanges: recording.exchanges, elapsed }
}

const liveIds = ['health-live', 'problem-details-live', 'response-drift-live', 'openapi-published-live']

describe('check --live against hostile servers', () => {
  it('bounds a request to a server that trickles headers and body a byte at a time by --timeout', async () => {
    const trickling = await hostile((req) => {
      const answer =
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n' +
        JSON.stringify({ name: 'x'.repeat(52) })
      let i = 0
      const timer = setInterval(() => {
        if (req.socket.destroyed || i >= answer.length) return clearInterval(timer)
        req.socket.write(answer[i++]!)
      }, 200)
      req.socket.on('close', () => clearInterval(timer))
    })
    const dir = serviceAt(`http://127.0.0.1:${trickling.port}/v1`)
    const { rule, exchanges, elapsed } = await check(dir)
    // Each connection was given up one timeout after the request, though a byte came every 200 ms.
    expect(trickling.requests.length).toBeGreaterThanOrEqual(5)
    for (const req of trickling.requests) expect(req.closedAt! - req.at).toBeLessThan(1_800)
    expect(exchanges.every((e) => e.error === 'no complete answer within 1 s' && !e.response)).toBe(true)
    for (const id of liveIds) {
      expect(rule(id).status, id).toBe('not-checked')
      expect(rule(id).reason, id).toMatch(/no complete answer within 1 s/)
    }
    expect(elapsed).toBeLessThan(20_000)
  })

  it('bounds a TLS handshake the server drips a byte at a time by --timeout', async () => {
    const pems = await localhostCertificate(365)
    const real = await hostile((req) => respond(req, 200, { 'content-type': 'application/json' }, '{}'), pems)
    // In front of it, a relay that passes on what the server says one byte every 50 ms.
    const held: number[] = []
    const relay = createNetServer((client) => {
      sockets.add(client)
      client.on('error', () => {})
      const opened = Date.now()
      const upstream = connect(real.port, '127.0.0.1')
      upstream.on('error', () => {})
      client.pipe(upstream)
      const queue: number[] = []
      upstream.on('data', (d: Buffer) => queue.push(...d))
      const timer = setInterval(() => {
        if (queue.length && !client.destroyed) client.write(Buffer.from([queue.shift()!]))
      }, 50)
      client.on('close', () => {
        held.push(Date.now() - opened)
        clearInterval(timer)
        upstream.destroy()
      })
    })
    servers.push(relay)
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
    const port = (relay.address() as AddressInfo).port
    const dir = serviceAt(`https://localhost:${port}/v1`)
    writeFileSync(path.join(dir, 'ca.pem'), pems.cert)
    const { rule, exchanges, elapsed } = await check(dir, ['--ca', path.join(dir, 'ca.pem')])
    expect(rule('tls-configuration').status).toBe('not-checked')
    expect(rule('tls-configuration').reason).toBe(
      `no TLS handshake succeeded (localhost: no TLS handshake within 1 s)`,
    )
    expect(new Set(exchanges.map((e) => e.error))).toEqual(new Set(['no complete answer within 1 s']))
    expect(real.requests).toEqual([])
    expect(held.length).toBeGreaterThan(0)
    for (const ms of held) expect(ms).toBeLessThan(1_800)
    expect(elapsed).toBeLessThan(20_000)
  })

  it('bounds a request by --timeout across its redirects, however quick each hop is', async () => {
    // Every answer is a redirect to the next hop on the same host, 700 ms after the request.
    const hops: { path: string; at: number }[] = []
    const slow = await hostile((req) => {
      hops.push({ path: req.path, at: req.at })
      const url = new URL(req.path, 'http://x')
      const n = Number(url.searchParams.get('hop') ?? 0)
      url.searchParams.set('hop', String(n + 1))
      const timer = setTimeout(() => respond(req, 302, { location: url.pathname + url.search }), 700)
      req.socket.on('close', () => clearTimeout(timer))
    })
    const dir = serviceAt(`http://127.0.0.1:${slow.port}/v1`)
    const { rule, exchanges, elapsed } = await check(dir, ['--max-redirects', '5'])
    // The second hop is asked 0.7 s in, the third would be at 1.4 s: past the timeout of the whole.
    expect(hops.filter((h) => /hop=1(\D|$)/.test(h.path)).length).toBeGreaterThan(0)
    expect(hops.filter((h) => /hop=[2-9]/.test(h.path))).toEqual([])
    expect(exchanges.every((e) => e.error === 'no complete answer within 1 s')).toBe(true)
    expect(rule('health-live').reason).toMatch(/no complete answer within 1 s/)
    expect(elapsed).toBeLessThan(20_000)
  })

  it('reads no more than --max-body of an endless body, streaming, in bounded time and memory', async () => {
    // 1 GiB for every request, written as the client takes it, from one reused chunk.
    const GIB = 1024 * 1024 * 1024
    const chunk = Buffer.alloc(64 * 1024, '7')
    const endless = await hostile((req) => {
      req.socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${GIB}\r\n\r\n[`)
      let sent = 0
      const pump = () => {
        while (sent < GIB && !req.socket.destroyed) {
          sent += chunk.length
          if (!req.socket.write(chunk)) return void req.socket.once('drain', pump)
        }
      }
      pump()
    })
    const dir = serviceAt(`http://127.0.0.1:${endless.port}/v1`, {
      // The peak memory of the CLI's process, written when it exits.
      'rss.mjs':
        "import { writeFileSync } from 'node:fs'\n" +
        "process.on('exit', () => writeFileSync(process.env.INTEROP_TEST_RSS, String(process.resourceUsage().maxRSS)))\n",
    })
    const rssFile = path.join(dir, 'rss.txt')
    const { exchanges, rule, elapsed } = await check(dir, ['--max-body', '64'], {
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, 'rss.mjs')).href}`,
      INTEROP_TEST_RSS: rssFile,
    })
    expect(elapsed).toBeLessThan(20_000)
    // Every body stopped at the cap, and said so.
    const answered = exchanges.filter((e) => e.response)
    expect(answered.length).toBeGreaterThanOrEqual(5)
    for (const e of answered) {
      expect(e.response!.truncated, e.request.url).toBe(true)
      expect(Buffer.byteLength(e.response!.body!)).toBeLessThanOrEqual(64 * 1024)
    }
    // The server got rid of a few socket buffers' worth per request, nowhere near a GiB.
    expect(endless.sent.bytes).toBeLessThan(answered.length * 16 * 1024 * 1024)
    // A body read whole would take a GiB of memory; the CLI stayed far below.
    const maxRssKiB = Number(readFileSync(rssFile, 'utf8'))
    expect(maxRssKiB).toBeGreaterThan(0)
    expect(maxRssKiB).toBeLessThan(400 * 1024)
    // A body cut off is not judged as if it were whole.
    expect(rule('response-drift-live').status).not.toBe('fail')
  })

  it('stops a redirect loop after --max-redirects and says so', async () => {
    const seen = new Map<string, number>()
    const looping = await hostile((req) => {
      const where = new URL(req.path, 'http://x').pathname
      seen.set(where, (seen.get(where) ?? 0) + 1)
      // Back to itself, as an absolute URL on the same host.
      respond(req, 302, { location: `http://127.0.0.1:${looping.port}${req.path}` })
    })
    const dir = serviceAt(`http://127.0.0.1:${looping.port}/v1`)
    const { exchanges, rule, elapsed } = await check(dir, ['--max-redirects', '3'])
    // Each request: the first ask and three redirects followed.
    expect(Math.max(...seen.values())).toBe(4)
    for (const e of exchanges) {
      expect(e.response?.status).toBe(302)
      expect(e.error).toBe('still redirected after 3 redirects; not followed further')
    }
    expect(rule('health-live').status).toBe('fail')
    expect(elapsed).toBeLessThan(20_000)
  })

  it('refuses redirects to other hosts, special addresses and other schemes, and calls none of them', async () => {
    const elsewhere = await hostile((req) => respond(req, 200, { 'content-type': 'application/json' }, '{}'))
    const where: Record<string, string> = {
      '/v1': `http://localhost:${elsewhere.port}/stolen`,
      '/v1/health': 'http://169.254.169.254/latest/meta-data/',
      '/v1/interop-check-no-such-path': 'file:///etc/passwd',
      '/v1/things/1': '//evil.example/protocol-relative',
    }
    const redirecting = await hostile((req) =>
      respond(req, 307, { location: where[new URL(req.path, 'http://x').pathname] ?? 'http://[::1' }),
    )
    const dir = serviceAt(`http://127.0.0.1:${redirecting.port}/v1`)
    const { exchanges } = await check(dir)
    expect(elsewhere.requests).toEqual([])
    const errorOf = (p: string) => exchanges.find((e) => new URL(e.request.url).pathname === p)?.error
    expect(errorOf('/v1')).toBe(`redirected to another host (localhost:${elsewhere.port}); not followed`)
    expect(errorOf('/v1/health')).toBe('redirected to another host (169.254.169.254); not followed')
    expect(errorOf('/v1/interop-check-no-such-path')).toBe('redirected to another host (file:); not followed')
    expect(errorOf('/v1/things/1')).toBe('redirected to another host (evil.example); not followed')
    expect(errorOf('/v1/openapi.json')).toBe('redirected to a Location that is not a URL; not followed')
    // Only the first request of each went out.
    expect(redirecting.requests.length).toBe(exchanges.length)
  })

  it('reports invalid JSON served as JSON as a finding, never a crash', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    const answers: Record<string, [number, string, string]> = {
      '/v1': [200, 'application/json', deep],
      '/v1/health': [200, 'application/health+json', '{"status": "pass",,}'],
      '/v1/things/1': [200, 'application/json', '{"name": "x" "child": {}}'],
      '/v1/interop-check-no-such-path': [404, 'application/problem+json', '{"status": 404, "title": '],
      '/v1/openapi.json': [200, 'application/json', '{"openapi": "3.1.0", "info": {"title": "Hostile"'],
    }
    const lying = await hostile((req) => {
      const [status, type, body] = answers[new URL(req.path, 'http://x').pathname] ?? [
        400,
        'application/problem+json',
        `{"status": 400, "detail": ${deep}}`,
      ]
      respond(req, status, { 'content-type': type }, body)
    })
    const dir = serviceAt(`http://127.0.0.1:${lying.port}/v1`)
    const { findings, exchanges } = await check(dir)
    const found = (id: string, messageId: string) =>
      findings.filter((f) => f.ruleId === id && f.messageId === messageId).map((f) => f.message)
    expect(found('health-live', 'no-status')).toHaveLength(1)
    expect(found('response-drift-live', 'not-json')[0]).toMatch(/JSON/)
    expect(found('openapi-published-live', 'not-a-description')[0]).toMatch(/not valid JSON/)
    // The nested bodies were recorded as they came, as text.
    expect(exchanges.find((e) => e.request.url.endsWith('/v1'))!.response!.body).toBe(deep)
  })

  it('records a connection closed mid-response as no answer, with the reason', async () => {
    const breaking = await hostile((req) => {
      const s = req.socket
      switch (new URL(req.path, 'http://x').pathname) {
        case '/v1': // Fewer bytes than announced.
          s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"na')
          return void setTimeout(() => s.destroy(), 50)
        case '/v1/health': // A chunked body cut in a chunk.
          s.write(
            'HTTP/1.1 200 OK\r\ncontent-type: application/health+json\r\ntransfer-encoding: chunked\r\n\r\n',
          )
          s.write('20\r\n{"status":')
          return void setTimeout(() => s.destroy(), 50)
        case '/v1/interop-check-no-such-path': // Not HTTP at all.
          return void s.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')
        case '/v1/things/1': // Headers cut off.
          s.write('HTTP/1.1 200 OK\r\ncontent-ty')
          return void setTimeout(() => s.destroy(), 50)
        default: // A reset before any byte.
          s.resetAndDestroy()
      }
    })
    const dir = serviceAt(`http://127.0.0.1:${breaking.port}/v1`)
    const { exchanges, rule, elapsed } = await check(dir)
    expect(exchanges.length).toBeGreaterThanOrEqual(5)
    const errorOf = (p: string) => exchanges.find((e) => new URL(e.request.url).pathname === p)?.error
    expect(errorOf('/v1')).toBe(
      'the server closed the connection before its answer was complete (UND_ERR_SOCKET)',
    )
    expect(errorOf('/v1/health')).toBe(errorOf('/v1'))
    expect(errorOf('/v1/things/1')).toBe(errorOf('/v1'))
    expect(errorOf('/v1/interop-check-no-such-path')).toMatch(/^the answer is not valid HTTP\/1\.1 \(/)
    expect(errorOf('/v1/openapi.json')).toBe('the server reset the connection (ECONNRESET)')
    for (const e of exchanges) expect(e.response, e.request.url).toBeUndefined()
    for (const id of liveIds) {
      expect(rule(id).status, id).toBe('not-checked')
      expect(rule(id).reason, id).not.toMatch(/^\s+at |\n/)
    }
    expect(elapsed).toBeLessThan(20_000)
  })

  it('reports self-signed, expired and wrong-host certificates, and follows no redirect from https to http', async () => {
    const day = 24 * 60 * 60 * 1000
    const pem = async (name: string, from: number, to: number) => {
      const p = await generate([{ name: 'commonName', value: name }], {
        keyType: 'ec',
        notBeforeDate: new Date(Date.now() + from * day),
        notAfterDate: new Date(Date.now() + to * day),
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: name }] }],
      })
      return { cert: p.cert, key: p.private }
    }
    const [selfSigned, expired, wrongHost, good] = await Promise.all([
      localhostCertificate(365),
      pem('localhost', -400, -30),
      pem('elsewhere.example', -1, 365),
      localhostCertificate(365),
    ])
    const ok = (req: Request) => respond(req, 200, { 'content-type': 'application/json' }, '{}')
    const untrusted = await hostile(ok, selfSigned)
    const stale = await hostile(ok, expired)
    const misnamed = await hostile(ok, wrongHost)
    // It redirects the API to plain http; its FHIR search hands out a next page on plain http.
    const downgrading = await hostile((req) => {
      const plain = `http://localhost:${downgrading.port}`
      if (req.path === '/fhir/metadata')
        return respond(
          req,
          200,
          { 'content-type': 'application/fhir+json' },
          JSON.stringify({
            resourceType: 'CapabilityStatement',
            status: 'active',
            kind: 'instance',
            fhirVersion: '4.0.1',
            format: ['json'],
            rest: [{ mode: 'server' }],
          }),
        )
      if (req.path.startsWith('/fhir/Patient?'))
        return respond(
          req,
          200,
          { 'content-type': 'application/fhir+json' },
          JSON.stringify({
            resourceType: 'Bundle',
            type: 'searchset',
            link: [{ relation: 'next', url: `${plain}/fhir/Patient?page=2` }],
            entry: [],
          }),
        )
      respond(req, 302, { location: `${plain}/v1/plain` })
    }, good)
    const dir = tempFiles({
      'interop.yaml': `service: {name: Hostile, vendor: Hostile AB}
apis:
  - name: api
    openapi: openapi.yaml
    environments:
      production: https://localhost:${untrusted.port}/v1
      sandbox: https://localhost:${stale.port}/v1
      test: https://localhost:${misnamed.port}/v1
      acceptance: https://localhost:${downgrading.port}/v1
fhir:
  baseUrl: https://localhost:${downgrading.port}/fhir
`,
      'openapi.yaml': OPENAPI,
    })
    // Trusted: the expired, the misnamed and the good certificate; the self-signed one is not.
    for (const [name, c] of Object.entries({ expired, wrongHost, good }))
      writeFileSync(path.join(dir, `${name}.pem`), c.cert)
    const { rule, findings, exchanges } = await check(
      dir,
      ['expired', 'wrongHost', 'good'].flatMap((n) => ['--ca', path.join(dir, `${n}.pem`)]),
    )
    // The certificates are findings of the TLS rule, each at its environment.
    expect(rule('tls-configuration').status).toBe('fail')
    const tls = (env: string) =>
      findings
        .filter((f) => f.ruleId === 'tls-configuration' && f.message.includes(`(${env})`))
        .map((f) => f.messageId)
        .sort()
    expect(tls('production')).toEqual(['untrusted'])
    expect(tls('sandbox')).toEqual(['expired', 'untrusted'])
    expect(tls('test')).toEqual(['name-mismatch', 'untrusted'])
    expect(tls('acceptance')).toEqual([])
    // No HTTP request reached a server whose certificate does not verify; each says why.
    expect([untrusted, stale, misnamed].map((s) => s.requests.length)).toEqual([0, 0, 0])
    const errorsAt = (port: number) =>
      new Set(exchanges.filter((e) => e.request.url.includes(`:${port}/`)).map((e) => e.error))
    expect([...errorsAt(untrusted.port)]).toEqual([expect.stringMatching(/self-signed certificate/)])
    expect([...errorsAt(stale.port)]).toEqual([expect.stringMatching(/certificate has expired/)])
    expect([...errorsAt(misnamed.port)]).toEqual([
      expect.stringMatching(/does not match certificate's altnames/),
    ])
    // The redirect to plain http on the same host and port was not followed, nor the FHIR server's
    // link to its next page on plain http: credentials would go along.
    const api = (e: Exchange) => e.request.url.includes(`:${downgrading.port}/v1`)
    expect(new Set(exchanges.filter(api).map((e) => e.error))).toEqual(
      new Set(['redirected from https to http; not followed']),
    )
    const page = exchanges.find((e) => e.purpose === 'fhir-page')!
    expect(page.request.url).toBe(`http://localhost:${downgrading.port}/fhir/Patient?page=2`)
    expect(page.error).toBe('not made: the URL leads from the https base URL to plain http')
    expect(downgrading.requests.map((r) => r.path)).not.toContain('/v1/plain')
  })
})
