import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startFhirServer,
  startNonConformantFhirServer,
  type FhirServer,
} from '../../src/testing/fhir-server.js'
import { careJournalOnThisMachine, localhostCertificate } from '../../src/testing/local.js'
import { cliAsync } from '../helpers/cli.js'

/**
 * The fhir ruleset end to end: the care journal's manifest pointed at a real FHIR server on
 * 127.0.0.1, static and live results together. A conformant server (Medplum's router) passes every
 * live FHIR rule; a non-conformant one fails the rules it breaks, with the exchange as evidence.
 */
const TOKEN = 'fhir-live-tok-8c2d4e6f1a3b'
let conformant: FhirServer
let sloppy: FhirServer
let ca = ''
let dir = ''

function service(name: string, baseUrl: string): string {
  return path.join(
    careJournalOnThisMachine(path.join(dir, name), baseUrl, 'INTEROP_CARE_JOURNAL_TOKEN'),
    'interop.yaml',
  )
}

async function check(manifest: string, ruleset = 'fhir', how: string[] = []) {
  const r = await cliAsync(
    [
      'check',
      manifest,
      '-r',
      ruleset,
      ...(how.length ? how : ['--live', '--allow-private', '--ca', path.join(dir, 'ca.pem')]),
      '-f',
      'json',
      '--fail-on',
      'none',
    ],
    { env: { INTEROP_CARE_JOURNAL_TOKEN: TOKEN } },
  )
  expect(r.stderr).not.toMatch(/interop:/)
  const report = JSON.parse(r.stdout)
  const status = (id: string) =>
    report.rulesets[0].rules.find((x: { ruleId: string }) => x.ruleId === id).status
  return { report, status, all: r.stdout + r.stderr }
}

beforeAll(async () => {
  const pems = await localhostCertificate(365)
  ca = pems.cert
  dir = mkdtempSync(path.join(tmpdir(), 'interop-fhir-'))
  writeFileSync(path.join(dir, 'ca.pem'), ca)
  conformant = await startFhirServer({ cert: pems.cert, key: pems.key, token: TOKEN })
  sloppy = await startNonConformantFhirServer({ cert: pems.cert, key: pems.key, token: TOKEN })
}, 60_000)
afterAll(async () => {
  await Promise.all([conformant?.close(), sloppy?.close()])
})

describe('the fhir ruleset, static and live', () => {
  it('passes a conformant FHIR server, with the static checks of the resources beside', async () => {
    const { status, report, all } = await check(service('good', conformant.baseUrl))
    for (const id of ['fhir-capability-live', 'fhir-http-live', 'fhir-smart-live', 'fhir-conformance-live'])
      expect(status(id), id).toBe('pass')
    for (const id of ['fhir-structure', 'fhir-cardinality', 'fhir-references'])
      expect(status(id), id).toBe('pass')
    expect(report.live.targets).toEqual([
      { api: '(fhir)', environment: 'production', baseUrl: conformant.baseUrl },
    ])
    // The search and the read went with the token; the token is in no output.
    expect(conformant.requests).toContain('GET /fhir/r4/Patient?_count=2')
    expect(all).not.toContain(TOKEN)
    // What the default requirement asks was done, not only declared: the Patient found was searched
    // for by its personnummer, and a bulk export was followed to its NDJSON file.
    expect(conformant.requests).toContain(
      'GET /fhir/r4/Patient?identifier=http%3A%2F%2Felectronichealth.se%2Fidentifier%2Fpersonnummer%7C191212121212&_count=10',
    )
    expect(conformant.requests).toContain('GET /fhir/r4/Patient?_count=2&_offset=2')
    expect(conformant.requests).toContain('GET /fhir/r4/$export?_type=Patient')
    expect(
      conformant.requests.some((q) => /^GET \/fhir\/r4\/bulkdata\/[^/]+\/Patient\.ndjson$/.test(q)),
    ).toBe(true)
    expect(conformant.requests.every((q) => q.startsWith('GET '))).toBe(true)
  }, 60_000)

  it("exercises a municipality's own requirements: Observation searches, vread and history", async () => {
    writeFileSync(
      path.join(dir, 'norrvik.yaml'),
      `id: norrvik
version: 1.0.0
title: Norrvik kommun
extends: [fhir]
rules:
  fhir-conformance-live:
    options:
      require:
        - resource: Patient
          interactions: [read, vread, history-instance, search-type]
          searchParams: [identifier, family, birthdate, gender]
        - resource: Observation
          interactions: [read, search-type]
          searchParams: [patient, code, date, status]
`,
    )
    const { status, report } = await check(
      service('norrvik', conformant.baseUrl),
      path.join(dir, 'norrvik.yaml'),
    )
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'fhir-conformance-live')).toEqual(
      [],
    )
    expect(status('fhir-conformance-live')).toBe('pass')
    for (const q of [
      'GET /fhir/r4/Observation?patient=Patient%2Ftolvan&_count=10',
      'GET /fhir/r4/Observation?code=http%3A%2F%2Floinc.org%7C8867-4&_count=10',
      'GET /fhir/r4/Patient?gender=male&_count=10',
      'GET /fhir/r4/Patient/tolvan/_history?_count=2',
    ])
      expect(conformant.requests).toContain(q)
    expect(
      conformant.requests.some((q) => /^GET \/fhir\/r4\/Patient\/tolvan\/_history\/[^?]+$/.test(q)),
    ).toBe(true)
    expect(conformant.requests).toContain('GET /fhir/r4/$export?_type=Patient%2CObservation')
  }, 60_000)

  it('replays a recording of the FHIR server into the same report, without calling it', async () => {
    const manifest = service('recorded', conformant.baseUrl)
    const saved = path.join(dir, 'recorded', 'inputs')
    const first = await check(manifest, 'fhir', [
      '--live',
      '--allow-private',
      '--ca',
      path.join(dir, 'ca.pem'),
      '--save-inputs',
      saved,
    ])
    const calls = conformant.requests.length
    const again = await check(manifest, 'fhir', ['--from-inputs', saved])
    expect(conformant.requests.length).toBe(calls)
    expect(again.report).toEqual(first.report)
    expect(again.status('fhir-conformance-live')).toBe('pass')
  }, 60_000)

  it('takes the live settings from the configuration: private addresses and the test CA', async () => {
    writeFileSync(
      path.join(dir, 'live-config.yaml'),
      'live:\n  allowPrivate: true\n  ca: [ca.pem]\n  timeout: 20\n',
    )
    const { status } = await check(service('configured', conformant.baseUrl), 'fhir', [
      '--live',
      '--config',
      path.join(dir, 'live-config.yaml'),
    ])
    expect(status('fhir-capability-live')).toBe('pass')
    expect(status('fhir-conformance-live')).toBe('pass')
  }, 60_000)

  it('fails a non-conformant FHIR server on what it breaks, with the exchange as evidence', async () => {
    const { status, report } = await check(service('sloppy', sloppy.baseUrl))
    expect(status('fhir-http-live')).toBe('fail')
    const findings = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'fhir-http-live')
    expect(findings.map((f: { messageId: string }) => f.messageId)).toEqual(
      expect.arrayContaining(['not-fhir-json', 'no-outcome', 'not-searchset']),
    )
    for (const f of findings) {
      expect(f.location.source).toMatch(/interop\.yaml$/)
      expect(f.evidence.http.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//)
    }
    // It declares no $export, so the municipality's data cannot be taken out in bulk.
    expect(status('fhir-conformance-live')).toBe('fail')
    expect(
      report.findings
        .filter((f: { ruleId: string }) => f.ruleId === 'fhir-conformance-live')
        .map((f: { messageId: string }) => f.messageId),
    ).toContain('no-export')
  }, 60_000)
})
