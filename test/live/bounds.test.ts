import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { createServer as createHttpsServer, type Server } from 'node:https'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProbeTarget } from '../../src/loaders/live.js'
import { loadOpenApi } from '../../src/loaders/openapi.js'
import { deadline } from '../../src/loaders/prober/deadline.js'
import { probeService } from '../../src/loaders/prober/probe.js'
import { localhostCertificate } from '../../src/testing/local.js'
import { tempFiles } from '../helpers/tmp.js'

/** The prober's bounds, against servers that misbehave on purpose. */
const servers: (Server | TcpServer)[] = []
let cert = ''
let key = ''
const requests: string[] = []

const listen = async (s: Server | TcpServer, host = '127.0.0.1'): Promise<number> => {
  servers.push(s)
  await new Promise<void>((resolve) => s.listen(0, host, resolve))
  return (s.address() as AddressInfo).port
}
const target = (baseUrl: string): ProbeTarget => ({
  api: 'a',
  environment: 'production',
  baseUrl,
  loc: { uri: 'file:///interop.yaml', pointer: '/apis/0/environments/production' },
})
const probe = (baseUrl: string, extra: object = {}) =>
  probeService([target(baseUrl)], new Map(), { allowPrivate: true, ca: [cert], rate: 1000, ...extra })

beforeAll(async () => {
  const pems = await localhostCertificate()
  cert = pems.cert
  key = pems.key
})
const sockets: { destroy(): void }[] = []
afterAll(async () => {
  for (const s of sockets) s.destroy()
  for (const s of servers) if ('closeAllConnections' in s) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
})

describe('prober bounds', () => {
  it('gives up on a server that never answers, within the timeout, and says why', async () => {
    // Accepts connections and then says nothing: no TLS handshake, no HTTP response.
    const silent = createTcpServer((socket) => sockets.push(socket))
    const port = await listen(silent)
    const started = Date.now()
    const live = await probe(`https://localhost:${port}/v1`, { timeoutMs: 500 })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(live.tls[0]!.error).toMatch(/no TLS handshake within|timeout|ECONNRESET|socket/i)
    expect(live.exchanges.every((e) => e.error && !e.response)).toBe(true)
  })

  it('reads no more than the body cap from a server that sends without end', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const endless = createHttpsServer({ cert, key }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return
        if (!res.destroyed) res.once('drain', pump)
      }
      res.on('error', () => {})
      pump()
    })
    const port = await listen(endless)
    const live = await probe(`https://localhost:${port}/v1`, { maxBodyBytes: 256 * 1024 })
    const base = live.exchanges.find((e) => e.purpose === 'base')!
    expect(base.response?.status).toBe(200)
    expect(base.response!.bodyExcerpt!.length).toBeLessThanOrEqual(500)
  })

  it('does not follow a redirect to another host, and calls no host the manifest does not name', async () => {
    const other = createHttpsServer({ cert, key }, (req, res) => {
      requests.push(`other ${req.url}`)
      res.end('{}')
    })
    const otherPort = await listen(other)
    const redirecting = createHttpsServer({ cert, key }, (req, res) => {
      requests.push(`main ${req.url}`)
      res.writeHead(302, { location: `https://127.0.0.1:${otherPort}/stolen` })
      res.end()
    })
    const port = await listen(redirecting)
    const live = await probe(`https://localhost:${port}/v1`)
    const base = live.exchanges.find((e) => e.purpose === 'base')!
    expect(base.response?.status).toBe(302)
    expect(base.error).toMatch(/redirected to another host \(127\.0\.0\.1:\d+\); not followed/)
    expect(requests.filter((r) => r.startsWith('other'))).toEqual([])
  })

  it('follows a redirect loop within the host no further than the most redirects', async () => {
    const seen: string[] = []
    const looping = createHttpsServer({ cert, key }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://localhost')
      if (url.pathname !== '/v1') {
        res.writeHead(404)
        return res.end()
      }
      const n = Number(url.searchParams.get('n') ?? 0)
      seen.push(String(n))
      res.writeHead(302, { location: `/v1?n=${n + 1}` })
      res.end()
    })
    const port = await listen(looping)
    const live = await probe(`https://localhost:${port}/v1`, { maxRedirects: 2 })
    const base = live.exchanges.find((e) => e.purpose === 'base')!
    expect(seen).toEqual(['0', '1', '2'])
    expect(base.response?.status).toBe(302)
    expect(base.request.url).toBe(`https://localhost:${port}/v1?n=2`)
  })

  it('refuses private addresses unless allowed, before any connection', async () => {
    let connections = 0
    const counting = createTcpServer((socket) => {
      connections++
      socket.destroy()
    })
    const port = await listen(counting)
    const live = await probeService([target(`https://localhost:${port}/v1`)], new Map(), { rate: 1000 })
    expect(live.tls[0]!.error).toMatch(/private or special address/)
    expect(live.exchanges.every((e) => /private or special address/.test(e.error ?? ''))).toBe(true)
    expect(connections).toBe(0)
  })

  it('keeps to the concurrency and rate per host, and reports progress as host n/m', async () => {
    let inFlight = 0
    let most = 0
    const starts: number[] = []
    const slow = createHttpsServer({ cert, key }, (req, res) => {
      inFlight++
      most = Math.max(most, inFlight)
      starts.push(Date.now())
      setTimeout(() => {
        inFlight--
        res.writeHead(404, { 'content-type': 'application/problem+json' })
        res.end('{"status":404}')
      }, 150)
    })
    const port = await listen(slow)
    const messages: string[] = []
    const live = await probe(`https://localhost:${port}/v1`, {
      concurrency: 2,
      rate: 20,
      log: (m: string) => messages.push(m),
    })
    // base, unknown path and the published-description candidates, all answered 404.
    expect(live.exchanges.length).toBeGreaterThanOrEqual(7)
    expect(most).toBeLessThanOrEqual(2)
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40) // 20 a second: 50 ms apart, less timer slack
    expect(messages).toContain(`TLS localhost:${port}`)
    expect(messages.some((m) => new RegExp(`^localhost:${port} \\d+/\\d+ GET https://`).test(m))).toBe(true)
  })

  it('stops at the time budget: what was not made is recorded as such, not thrown', async () => {
    const stalling = createHttpsServer({ cert, key }, (req, res) => {
      setTimeout(() => res.end('{}'), 2_000)
    })
    const port = await listen(stalling)
    const started = Date.now()
    const live = await probe(`https://localhost:${port}/v1`, {
      budgetMs: 700,
      timeoutMs: 5_000,
      concurrency: 1,
    })
    expect(Date.now() - started).toBeLessThan(4_000)
    expect(live.exchanges.some((e) => /time budget of 0.7 s was spent/.test(e.error ?? ''))).toBe(true)
    expect(live.exchanges.every((e) => !e.response)).toBe(true)
  })

  it('sends only safe methods unless unsafe ones are allowed, and then one malformed body', async () => {
    const seen: string[] = []
    const recording = createHttpsServer({ cert, key }, (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`)
        res.writeHead(400, { 'content-type': 'application/problem+json' })
        res.end('{"status":400}')
      })
    })
    const port = await listen(recording)
    const dir = tempFiles({
      'openapi.yaml': [
        'openapi: 3.1.0',
        'info: {title: t, version: 1.0.0}',
        'paths:',
        '  /loans:',
        '    post:',
        '      operationId: createLoan',
        '      requestBody: {content: {application/json: {schema: {type: object}}}}',
        '      responses: {"201": {description: created}}',
        '',
      ].join('\n'),
    })
    const api = await loadOpenApi(path.join(dir, 'openapi.yaml'))
    const entry = { name: 'a', uri: '', environments: {}, examples: {}, credentials: {}, loc: target('').loc }
    const run = (allowUnsafe: boolean) =>
      probeService([target(`https://localhost:${port}/v1`)], new Map([['a', { entry, api }]]), {
        allowPrivate: true,
        ca: [cert],
        rate: 1000,
        allowUnsafe,
      })
    const safe = await run(false)
    expect(seen.filter((s) => !/^(GET|HEAD|OPTIONS) /.test(s))).toEqual([])
    expect(safe.settings.allowUnsafe).toBe(false)
    seen.length = 0
    const unsafe = await run(true)
    expect(seen.filter((s) => !/^(GET|HEAD|OPTIONS) /.test(s))).toEqual(['POST /v1/loans {"interop-check": '])
    const invalid = unsafe.exchanges.find((e) => e.purpose === 'invalid-request')!
    expect(invalid.invalid).toEqual({ in: 'body', name: 'body', value: '{"interop-check": ' })
    expect(invalid.response?.status).toBe(400)
    expect(unsafe.settings.allowUnsafe).toBe(true)
  })

  it('goes on without credentials when their variable is not set, and says so', async () => {
    const heard: string[] = []
    const server = createHttpsServer({ cert, key }, (req, res) => {
      heard.push(req.headers.authorization ?? '(none)')
      res.writeHead(401, { 'content-type': 'application/problem+json' })
      res.end('{"status":401}')
    })
    const port = await listen(server)
    const entry = {
      name: 'a',
      uri: '',
      environments: {},
      examples: {},
      credentials: { production: { type: 'bearer' as const, tokenEnv: 'INTEROP_TEST_TOKEN' } },
      loc: target('').loc,
    }
    const live = await probeService([target(`https://localhost:${port}/v1`)], new Map([['a', { entry }]]), {
      allowPrivate: true,
      ca: [cert],
      rate: 1000,
      env: {},
    })
    expect(live.settings.notes).toEqual([
      'a (production): INTEROP_TEST_TOKEN is not set, so requests went without credentials.',
    ])
    expect(heard.every((h) => h === '(none)')).toBe(true)
    expect(live.exchanges.every((e) => !e.request.authenticated)).toBe(true)
  })

  it('reads no variable a manifest names for credentials unless it starts with INTEROP_ or the run allows it', async () => {
    const heard: string[] = []
    const server = createHttpsServer({ cert, key }, (req, res) => {
      heard.push(req.headers.authorization ?? '(none)')
      res.writeHead(401, { 'content-type': 'application/problem+json' })
      res.end('{"status":401}')
    })
    const port = await listen(server)
    // A vendor's manifest naming the runner's CI token: it must not be sent to the vendor's host.
    const entry = {
      name: 'a',
      uri: '',
      environments: {},
      examples: {},
      credentials: { production: { type: 'bearer' as const, tokenEnv: 'GITHUB_TOKEN' } },
      loc: target('').loc,
    }
    const env = { GITHUB_TOKEN: 'ghs_runner-secret-1234' }
    const run = (extra: object) =>
      probeService([target(`https://localhost:${port}/v1`)], new Map([['a', { entry }]]), {
        allowPrivate: true,
        ca: [cert],
        rate: 1000,
        env,
        ...extra,
      })
    const refused = await run({})
    expect(refused.settings.notes).toEqual([
      'a (production): GITHUB_TOKEN is not read, so requests went without credentials: a manifest may name only variables whose names start with INTEROP_ and those given with --credential-env.',
    ])
    expect(heard.length).toBeGreaterThan(0)
    expect(heard.every((h) => h === '(none)')).toBe(true)
    heard.length = 0
    // Allowed by whoever runs the check: sent.
    const allowed = await run({ credentialEnv: ['GITHUB_TOKEN'] })
    expect(allowed.settings.notes).toEqual([])
    expect(heard).toContain('Bearer ghs_runner-secret-1234')
  })

  it('redacts credentials in what it records, and secrets wherever they appear', async () => {
    const { Redactor } = await import('../../src/loaders/prober/credentials.js')
    const r = new Redactor()
    r.add('s3cret-token')
    r.add('abc') // too short to be a credential: redacting it would mangle ordinary text
    const sensitive = new Set(['authorization', 'cookie', 'x-api-key'])
    expect(
      r.scrubHeaders(
        { Authorization: 'Bearer s3cret-token', cookie: 'sid=1', 'X-Api-Key': 'k', accept: '*/*' },
        sensitive,
      ),
    ).toEqual({ Authorization: '[redacted]', cookie: '[redacted]', 'X-Api-Key': '[redacted]', accept: '*/*' })
    expect(r.scrub('{"echo": "Bearer s3cret-token", "abc": 1}')).toBe(
      '{"echo": "Bearer [redacted]", "abc": 1}',
    )
  })

  it('bounds a request and its redirects by the timeout even when garbage is collected meanwhile', async () => {
    // Node 20 may collect an AbortSignal.timeout that only a combined signal refers to, and the
    // combined signal then never aborts: a chain of slow redirects went on past the timeout.
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const hops: number[] = []
    const slow = createHttpsServer({ cert, key }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://localhost')
      const n = Number(url.searchParams.get('hop') ?? 0)
      hops.push(n)
      url.searchParams.set('hop', String(n + 1))
      const timer = setTimeout(() => {
        res.writeHead(302, { location: url.pathname + url.search })
        res.end()
      }, 400)
      res.on('close', () => clearTimeout(timer))
    })
    const port = await listen(slow)
    const collecting = setInterval(gc, 20)
    try {
      const live = await probe(`https://localhost:${port}/v1`, { timeoutMs: 1000, maxRedirects: 10 })
      const base = live.exchanges.find((e) => e.purpose === 'base')!
      expect(base.error).toBe('no complete answer within 1 s')
    } finally {
      clearInterval(collecting)
    }
    // Hops are asked at 0, 0.4 and 0.8 s; the one at 1.2 s is past the timeout, 1.6 s well past it.
    expect(hops.filter((n) => n >= 4)).toEqual([])
  })

  it('gives a deadline that aborts once, with a TimeoutError, whatever is collected, and not once cleared', async () => {
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const aborted = (signal: AbortSignal, within: number) =>
      new Promise<unknown>((resolve) => {
        signal.addEventListener('abort', () => resolve(signal.reason))
        setTimeout(() => resolve('not aborted'), within)
      })
    const outer = new AbortController()
    const timed = aborted(deadline(outer.signal, 100).signal, 2000)
    gc()
    const reason = await timed
    expect((reason as DOMException).name).toBe('TimeoutError')

    const cleared = deadline(outer.signal, 100)
    cleared.clear()
    expect(await aborted(cleared.signal, 400)).toBe('not aborted')

    const early = deadline(outer.signal, 10_000)
    outer.abort(new Error('budget spent'))
    expect(early.signal.aborted).toBe(true)
    expect((early.signal.reason as Error).message).toBe('budget spent')
    early.clear()
  })
})
