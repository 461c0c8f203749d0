import { createServer as createHttpsServer, type Server } from 'node:https'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net'
import { generate } from 'selfsigned'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProbeTarget } from '../../src/loaders/live.js'
import { probeService } from '../../src/loaders/prober/probe.js'

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
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  })
  cert = pems.cert
  key = pems.private
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
})
