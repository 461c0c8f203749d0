import { describe, expect, it } from 'vitest'
import { cli } from '../../helpers/cli.js'

/** fhir-profile-coverage: a profile a resource claims but nobody loaded is reported, not silently passed. */
describe('rule fhir-profile-coverage', () => {
  it('names each claimed profile that was not loaded, and is satisfied once its package is given', () => {
    const without = cli(['check', 'fixtures/services/care-journal/interop.yaml', '-r', 'fhir', '-f', 'json'])
    const report = JSON.parse(without.stdout)
    expect(report.findings.map((f: { ruleId: string; message: string }) => [f.ruleId, f.message])).toEqual([
      [
        'fhir-profile-coverage',
        'Observation.meta.profile[0] names the profile http://hl7.org/fhir/StructureDefinition/heartrate, which was not loaded, so it was not checked.',
      ],
    ])
    const withPackage = cli([
      'check',
      'fixtures/services/care-journal/interop.yaml',
      '-r',
      'fhir',
      '--fhir-package',
      'hl7.fhir.r4.examples',
      '-f',
      'json',
    ])
    expect(JSON.parse(withPackage.stdout).findings).toEqual([])
  })

  it('refuses a package that is neither a folder nor an installed npm package: exit 2', () => {
    const r = cli([
      'check',
      'fixtures/services/care-journal/interop.yaml',
      '--fhir-package',
      'hl7.fhir.no.such',
    ])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(
      "FHIR package 'hl7.fhir.no.such' is neither a folder nor an installed npm package (npm install hl7.fhir.no.such).",
    )
  })
})
