import { writeFileSync } from 'node:fs'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSpecialAddress } from '../../src/loaders/prober/guard.js'
import { localhostCertificate } from '../../src/testing/local.js'
import { cliAsync } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * The live checks against real HTTPS servers on 127.0.0.1: one that behaves, one that breaks the
 * TLS and security-header rules. Certificates are generated for the test.
 */
interface Running {
  server: Server
  port: number
  requests: string[]
}

async function start(options: {
  cert: string
  key: string
  headers: Record<string, string>
  legacyTls?: boolean
  /** Answers unknown paths with a 200 HTML page and health with plain JSON. */
  sloppy?: boolean
}): Promise<Running> {
  const requests: string[] = []
  const server = createHttpsServer(
    {
      cert: options.cert,
      key: options.key,
      // A server that still accepts TLS 1.0/1.1 (OpenSSL only allows it at its lowest security level).
      ...(options.legacyTls ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    },
    (req, res) => {
      requests.push(`${req.method} ${req.url}`)
      if (req.url === '/v1/elsewhere') {
        res.writeHead(302, { location: 'https://evil.example/steal' })
        return res.end()
      }
      const known = req.url === '/v1' || req.url === '/v1/health'
      if (options.sloppy) {
        res.writeHead(200, { 'content-type': known ? 'application/json' : 'text/html', ...options.headers })
        return res.end(known ? '{"healthy":true}' : '<html><body>Page not found</body></html>')
      }
      res.writeHead(known ? 200 : 404, {
        'content-type': known ? 'application/health+json' : 'application/problem+json',
        ...options.headers,
      })
      res.end(JSON.stringify(known ? { status: 'pass' } : { title: 'Not found', status: 404 }))
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port, requests }
}

let good: Running
let bad: Running
let dir: string

beforeAll(async () => {
  const fresh = await localhostCertificate(365)
  const expiring = await localhostCertificate(10)
  good = await start({
    cert: fresh.cert,
    key: fresh.key,
    headers: { 'strict-transport-security': 'max-age=31536000', 'x-content-type-options': 'nosniff' },
  })
  bad = await start({
    cert: expiring.cert,
    key: expiring.key,
    headers: {},
    legacyTls: true,
    sloppy: true,
  })
  const manifest = (port: number) => `service: { name: Open Loans, vendor: Bokslut AB }
apis:
  - name: loans
    openapi: openapi.yaml
    environments:
      production: https://localhost:${port}/v1
`
  const described =
    'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n  /health: {get: {responses: {"200": {description: ok}}}}\n'
  dir = tempFiles({
    'good/interop.yaml': manifest(good.port),
    'bad/interop.yaml': manifest(bad.port),
    'good/openapi.yaml': described,
    'bad/openapi.yaml': described,
  })
  writeFileSync(path.join(dir, 'good.pem'), fresh.cert)
  writeFileSync(path.join(dir, 'bad.pem'), expiring.cert)
})
afterAll(async () => {
  await Promise.all([good, bad].map((r) => new Promise<void>((resolve) => r.server.close(() => resolve()))))
})

async function live(which: 'good' | 'bad', extra: string[] = []) {
  const r = await cliAsync([
    'check',
    path.join(dir, which, 'interop.yaml'),
    '-r',
    'cloud-delivery',
    '-r',
    'open-standards',
    '--live',
    '--allow-private',
    '--ca',
    path.join(dir, `${which}.pem`),
    '-f',
    'json',
    '--fail-on',
    'none',
    ...extra,
  ])
  expect(r.stderr).not.toMatch(/interop:/)
  const report = JSON.parse(r.stdout)
  const rule = (id: string) =>
    report.rulesets
      .flatMap((r: { rules: unknown[] }) => r.rules)
      .find((x: { ruleId: string }) => x.ruleId === id)
  const findings = (id: string) => report.findings.filter((f: { ruleId: string }) => f.ruleId === id)
  return { report, rule, findings, stderr: r.stderr }
}

describe('live checks', () => {
  it('pass a well-behaved service, established live', async () => {
    const { report, rule, stderr } = await live('good')
    // Progress request by request is for a terminal; a CI log gets the summary line only.
    expect(stderr).toMatch(/^Probing 1 base URL$/m)
    expect(stderr).not.toMatch(/^(GET|TLS) /m)
    expect(report.options.live).toBe(true)
    expect([rule('tls-configuration').status, rule('tls-configuration').establishedBy]).toEqual([
      'pass',
      'live',
    ])
    expect(rule('security-headers').status).toBe('pass')
    expect(rule('health-live').status).toBe('pass')
    expect(rule('problem-details-live').status).toBe('pass')
    // The base URL, the described health endpoint and a path that cannot exist were asked, with GET only.
    expect(good.requests).toEqual(
      expect.arrayContaining(['GET /v1', 'GET /v1/health', 'GET /v1/interop-check-no-such-path']),
    )
    expect(good.requests.every((r) => r.startsWith('GET '))).toBe(true)
  })

  it('fail a misbehaving one, with the observation as evidence at the manifest line', async () => {
    const { rule, findings } = await live('bad')
    expect(rule('tls-configuration').status).toBe('fail')
    const tls = findings('tls-configuration')
    expect(tls.map((f: { messageId: string }) => f.messageId).sort()).toEqual(['expiring', 'legacy-accepted'])
    expect(tls[0].location).toMatchObject({ pointer: '/apis/0/environments/production', line: 6 })
    expect(tls[0].location.source).toMatch(/bad\/interop\.yaml$/)
    expect(tls[0].establishedBy).toBe('live')
    expect(
      tls.find((f: { messageId: string }) => f.messageId === 'legacy-accepted').evidence.http.tls
        .legacyAccepted,
    ).toEqual(['TLSv1', 'TLSv1.1'])
    const headers = findings('security-headers')
    expect(headers.map((f: { messageId: string }) => f.messageId).sort()).toEqual(['no-hsts', 'no-nosniff'])
    expect(headers[0].evidence.http).toMatchObject({ method: 'GET', status: 200 })
    expect(
      findings('health-live')
        .map((f: { messageId: string }) => f.messageId)
        .sort(),
    ).toEqual(['no-status', 'not-health-json'])
    const soft404 = findings('problem-details-live')
    expect(soft404.map((f: { messageId: string }) => f.messageId)).toEqual(['not-an-error'])
    expect(soft404[0].evidence.http).toMatchObject({ status: 200, headers: { 'content-type': 'text/html' } })
    expect(soft404[0].evidence.http.bodyExcerpt).toContain('Page not found')
  })

  it('calls no private address unless allowed: the live rules are then not checked, with the reason', async () => {
    const before = good.requests.length
    const r = await cliAsync([
      'check',
      path.join(dir, 'good/interop.yaml'),
      '-r',
      'cloud-delivery',
      '--live',
      '-f',
      'json',
      '--fail-on',
      'none',
    ])
    const report = JSON.parse(r.stdout)
    const tls = report.rulesets[0].rules.find((x: { ruleId: string }) => x.ruleId === 'tls-configuration')
    expect(tls.status).toBe('not-checked')
    expect(tls.reason).toMatch(/private or special address \(allow with --allow-private\)/)
    expect(good.requests.length).toBe(before)
  })

  it('does not trust a certificate it was not told to trust', async () => {
    const r = await cliAsync([
      'check',
      path.join(dir, 'good/interop.yaml'),
      '-r',
      'cloud-delivery',
      '--live',
      '--allow-private',
      '-f',
      'json',
      '--fail-on',
      'none',
    ])
    const report = JSON.parse(r.stdout)
    const untrusted = report.findings.find((f: { messageId: string }) => f.messageId === 'untrusted')
    expect(untrusted?.message).toMatch(/does not verify/)
  })

  it('needs base URLs from a manifest', async () => {
    const r = await cliAsync(['check', path.join(dir, 'good/openapi.yaml'), '--live'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--live needs the base URLs of the service/)
  })
})

describe('address guard', () => {
  it('knows private, loopback, link-local and mapped addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '100.64.0.1',
    ])
      expect([a, isSpecialAddress(a)]).toEqual([a, true])
    for (const a of ['93.184.216.34', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
      expect([a, isSpecialAddress(a)]).toEqual([a, false])
  })
})
