import { describe, expect, it } from 'vitest'
import { validateResource } from '../../src/fhir/validate.js'
import { cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/** `interop fhir validate`: FHIR files on their own, for people, machines and FHIR tooling. */
const GOOD = 'fixtures/services/care-journal/fhir'
const broken = JSON.stringify(
  {
    resourceType: 'Patient',
    identifier: [{ system: 'http://electronichealth.se/identifier/personnummer', value: '191212121212' }],
    gender: 'man',
    birthDate: '2023-02-30',
    contact: [{ gender: 'female' }],
    nickname: 'Tolle',
  },
  null,
  2,
)
const dir = tempFiles({
  'broken.json': broken,
  'not-json.xml': '<Patient/>',
  'truncated.json': '{"resourceType": "Pat',
})

describe('interop fhir validate', () => {
  it('passes valid resources and Bundles: exit 0', () => {
    const r = cli([
      'fhir',
      'validate',
      `${GOOD}/patient-tolvan.json`,
      `${GOOD}/bundle-visit.json`,
      '--fhir-package',
      'fixtures/services/care-journal/profiles/homecare',
    ])
    expect(r.stdout).toBe('2 files: 0 errors, 0 other issues\n')
    expect(r.status).toBe(0)
  })

  it('lists each issue with file, line, column and FHIRPath: exit 1', () => {
    const r = cli(['fhir', 'validate', 'broken.json'], { cwd: dir })
    expect(r.status).toBe(1)
    expect(r.stdout.split('\n')).toEqual([
      'broken.json:9:13  error    structure    Patient.gender: Invalid code "man": must be one of "male", "female", "other", "unknown"',
      'broken.json:10:16  error    structure    Patient.birthDate: Invalid date "2023-02-30": not a real calendar date',
      "broken.json:12:5  error    invariant    Patient.contact[0]: pat-1: SHALL at least contain a contact's details or a reference to an organization",
      "broken.json:16:3  error    structure    Patient.nickname: Unknown element 'nickname'",
      '1 file: 4 errors, 0 other issues',
      '',
    ])
  })

  it('writes one OperationOutcome that is itself valid FHIR', () => {
    const r = cli(['fhir', 'validate', 'broken.json', '--format', 'operation-outcome'], { cwd: dir })
    const outcome = JSON.parse(r.stdout)
    expect(outcome.resourceType).toBe('OperationOutcome')
    expect(outcome.issue).toHaveLength(4)
    expect(outcome.issue[3]).toMatchObject({
      severity: 'error',
      code: 'structure',
      expression: ['Patient.nickname'],
      diagnostics: "broken.json:16:3: Unknown element 'nickname'",
    })
    expect(validateResource(outcome)).toEqual([])
    const clean = cli(['fhir', 'validate', `${GOOD}/bundle-visit.json`, '-f', 'operation-outcome'])
    expect(JSON.parse(clean.stdout).issue).toEqual([
      { severity: 'information', code: 'informational', diagnostics: 'No issues found.' },
    ])
  })

  it('answers files that are missing or not JSON with exit 2 and the file', () => {
    for (const [file, message] of [
      ['gone.json', 'interop: gone.json: File not found.'],
      ['not-json.xml', 'interop: not-json.xml: Not FHIR JSON: a resource or Bundle in JSON starts with {.'],
    ] as const) {
      const r = cli(['fhir', 'validate', file], { cwd: dir })
      expect(r.status).toBe(2)
      expect(r.stderr.trim()).toBe(message)
      expect(r.stdout).toBe('')
    }
    const truncated = cli(['fhir', 'validate', 'truncated.json'], { cwd: dir })
    expect(truncated.status).toBe(2)
    expect(truncated.stderr).toMatch(/^interop: truncated\.json:1:\d+: /)
  })
})

describe('interop check with FHIR resources in the manifest', () => {
  it('validates the resources a glob names, and lists them among the inputs with their hashes', () => {
    const r = cli(['check', 'fixtures/services/care-journal/interop.yaml', '-r', 'fhir', '-f', 'json'])
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(
      report.rulesets[0].rules.map((x: { ruleId: string; status: string }) => `${x.ruleId} ${x.status}`),
    ).toEqual([
      'fhir-structure pass',
      'fhir-cardinality pass',
      'fhir-invariants pass',
      'fhir-required-bindings pass',
      'fhir-extensible-bindings pass',
      'fhir-references pass',
      'fhir-national-identifiers pass',
      'fhir-profiles pass',
      // The heartrate profile comes from hl7.fhir.r4.examples, not given here.
      'fhir-profile-coverage fail',
      // The FHIR server is judged only with --live.
      'fhir-capability-live not-checked',
      'fhir-http-live not-checked',
      'fhir-smart-live not-checked',
      'fhir-conformance-live not-checked',
    ])
    expect(report.inputs[0].files.map((f: { source: string }) => f.source)).toEqual([
      'fixtures/services/care-journal/fhir/bundle-visit.json',
      'fixtures/services/care-journal/fhir/observation-pulse.json',
      'fixtures/services/care-journal/fhir/patient-tolvan.json',
    ])
  })

  it('refuses globs that match nothing or reach outside the manifest’s folder: exit 2, with the line', () => {
    const d = tempFiles({
      'svc/interop.yaml':
        'service: {name: S, vendor: V}\nfhir:\n  resources:\n    - fhir/*.json\n    - ../*.json\n',
      'secret.json': '{"resourceType": "Patient"}',
    })
    const r = cli(['check', 'svc/interop.yaml'], { cwd: d })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("svc/interop.yaml:4:7: 'fhir/*.json' matches no file.")
    expect(r.stderr).toContain("svc/interop.yaml:5:7: '../*.json' reaches outside the manifest's folder")
  })
})
