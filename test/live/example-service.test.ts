import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRuleset } from '../../src/core/ruleset.js'
import { shippedSchema } from '../../src/core/schemas.js'
import { FAULTS, startExampleService, type ExampleService } from '../../src/testing/example-service.js'
import { libraryOnThisMachine, localhostCertificate } from '../../src/testing/local.js'
import { cliAsync, ROOT } from '../helpers/cli.js'

/**
 * The live checks end to end: the good library service served over HTTPS on 127.0.0.1 passes every
 * live rule; the same service with every fault fails each of them with the exchange as evidence;
 * and replaying a recording gives the same report byte for byte.
 */
const SECRETS = {
  INTEROP_LIBRARY_TOKEN: 'tok-5f1c2e9a7b3d4c8e',
  INTEROP_LIBRARY_CLIENT_ID: 'norrvik-ci',
  INTEROP_LIBRARY_CLIENT_SECRET: 'sec-9d8c7b6a5f4e3d2c',
}

interface Served {
  service: ExampleService
  dir: string
  ca: string
}
let good: Served
let bad: Served
let liveRuleIds: string[]

/** A copy of the good library fixture whose URLs point at an example service on this machine. */
async function serve(faults: readonly (typeof FAULTS)[number][], days: number): Promise<Served> {
  const pems = await localhostCertificate(days)
  const dir = mkdtempSync(path.join(tmpdir(), 'interop-live-'))
  // The example service reads the description at its first request, once the copy points at it.
  const service = await startExampleService({
    openapi: path.join(dir, 'openapi.yaml'),
    basePath: '/library/v1',
    cert: pems.cert,
    key: pems.key,
    token: SECRETS.INTEROP_LIBRARY_TOKEN,
    clients: [{ id: SECRETS.INTEROP_LIBRARY_CLIENT_ID, secret: SECRETS.INTEROP_LIBRARY_CLIENT_SECRET }],
    faults,
  })
  libraryOnThisMachine(dir, service.port)
  writeFileSync(path.join(dir, 'ca.pem'), pems.cert)
  return { service, dir, ca: path.join(dir, 'ca.pem') }
}

async function check(s: Served, extra: string[]) {
  const r = await cliAsync(
    [
      'check',
      path.join(s.dir, 'interop.yaml'),
      '--allow-private',
      '--ca',
      s.ca,
      '-f',
      'json',
      '--fail-on',
      'none',
      ...extra,
    ],
    { env: SECRETS },
  )
  expect(r.stderr).not.toMatch(/interop:|Error/)
  expect(r.status).toBe(0)
  const report = JSON.parse(r.stdout)
  const rules = report.rulesets.flatMap((x: { rules: unknown[] }) => x.rules) as {
    ruleId: string
    status: string
    reason?: string
  }[]
  return { r, report, rules }
}

beforeAll(async () => {
  good = await serve([], 365)
  bad = await serve(FAULTS, 10)
  const baseline = await loadRuleset('municipal-baseline', ROOT)
  // The example service is an HTTP API, not a FHIR server: the FHIR live rules do not apply to it.
  liveRuleIds = baseline.rules
    .filter((e) => e.rule.meta.requires.includes('live') && e.from !== 'fhir')
    .map((e) => e.ruleId)
})
afterAll(async () => {
  await Promise.all([good?.service.close(), bad?.service.close()])
})

describe('the example service, probed live', () => {
  it('passes every live rule of the baseline when it behaves', async () => {
    const { report, rules } = await check(good, ['--live', '--save-inputs', path.join(good.dir, 'recorded')])
    expect(shippedSchema('report')(report)).toBe(true)
    const live = rules.filter((r) => liveRuleIds.includes(r.ruleId))
    expect(live.length).toBe(10)
    expect(live.filter((r) => r.status !== 'pass')).toEqual([])
    expect(report.live.targets.map((t: { environment: string }) => t.environment)).toEqual([
      'production',
      'sandbox',
    ])
    expect(report.live.notes).toEqual([])
    // Both kinds of credentials were used: the token and a client-credentials grant.
    expect(good.service.requests).toContain('POST /oauth2/token')
  })

  it('fails each live rule when it misbehaves, with the exchange as evidence at the manifest line', async () => {
    const { report, rules } = await check(bad, ['--live', '--allow-unsafe'])
    const live = rules.filter((r) => liveRuleIds.includes(r.ruleId))
    expect(
      live.filter((r) => r.status !== 'fail').map((r) => `${r.ruleId}: ${r.status} ${r.reason ?? ''}`),
    ).toEqual([])
    for (const id of liveRuleIds) {
      const findings = report.findings.filter((f: { ruleId: string }) => f.ruleId === id)
      expect(findings.length, id).toBeGreaterThan(0)
      for (const f of findings) {
        expect(f.establishedBy).toBe('live')
        expect(f.location.source).toMatch(/interop\.yaml$/)
        expect(f.location.line).toBeGreaterThan(0)
        expect(f.evidence.http.url).toMatch(/^https:\/\//)
      }
    }
    expect(report.live.allowUnsafe).toBe(true)
  })

  it('replays a recording into the same report, byte for byte, without calling the service', async () => {
    const first = await cliAsync(
      [
        'check',
        path.join(good.dir, 'interop.yaml'),
        '--live',
        '--allow-private',
        '--ca',
        good.ca,
        '-f',
        'json',
        '--fail-on',
        'none',
        '--save-inputs',
        path.join(good.dir, 'again'),
      ],
      { env: SECRETS },
    )
    const calls = good.service.requests.length
    const replay = await cliAsync(
      [
        'check',
        path.join(good.dir, 'interop.yaml'),
        '--from-inputs',
        path.join(good.dir, 'again'),
        '-f',
        'json',
        '--fail-on',
        'none',
      ],
      { env: {} },
    )
    expect(replay.stderr).not.toMatch(/interop:/)
    expect(good.service.requests.length).toBe(calls)
    expect(replay.stdout).toBe(first.stdout)
    expect(replay.stdout.length).toBeGreaterThan(1000)
  })

  it('never writes a credential into a report, a recording or a log', async () => {
    const outputs: string[] = []
    for (const format of ['json', 'text']) {
      const r = await cliAsync(
        [
          'check',
          path.join(good.dir, 'interop.yaml'),
          '--live',
          '--allow-private',
          '--ca',
          good.ca,
          '-f',
          format,
          '--fail-on',
          'none',
          '--save-inputs',
          path.join(good.dir, `secret-${format}`),
        ],
        { env: SECRETS },
      )
      outputs.push(r.stdout, r.stderr)
      for (const f of readdirSync(path.join(good.dir, `secret-${format}`)))
        outputs.push(readFileSync(path.join(good.dir, `secret-${format}`, f), 'utf8'))
    }
    const all = outputs.join('\n')
    expect(all).toContain('[redacted]')
    for (const secret of [...Object.values(SECRETS), ...good.service.issued])
      expect(all).not.toContain(secret)
    expect(all).not.toContain(
      Buffer.from(`${SECRETS.INTEROP_LIBRARY_CLIENT_ID}:${SECRETS.INTEROP_LIBRARY_CLIENT_SECRET}`).toString(
        'base64',
      ),
    )
  })
})
