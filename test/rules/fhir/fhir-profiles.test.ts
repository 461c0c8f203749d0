import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadFhirPackages, validateClaimedProfiles } from '../../../src/fhir/profiles.js'
import { cli, ROOT } from '../../helpers/cli.js'
import { tempFiles } from '../../helpers/tmp.js'

/**
 * fhir-profiles: resources against the profiles they claim, loaded from a package folder (the
 * manifest's fhir.packages) or an installed npm package (--fhir-package hl7.fhir.r4.examples).
 */
const SERVICE = path.join(ROOT, 'fixtures/services/care-journal')
const profiles = loadFhirPackages(['profiles/homecare'], SERVICE)
const tolvan = JSON.parse(readFileSync(path.join(SERVICE, 'fhir/patient-tolvan.json'), 'utf8')) as Record<
  string,
  unknown
>

describe('rule fhir-profiles', () => {
  it('loads the profiles of a package folder', () => {
    expect([...profiles.keys()]).toEqual([
      'http://vardkedjan.example/fhir/StructureDefinition/HomecarePatient',
    ])
  })

  it("reads a package's odd snapshot fields as absent rather than trusting their types", () => {
    const sd = JSON.parse(
      readFileSync(path.join(SERVICE, 'profiles/homecare/StructureDefinition-HomecarePatient.json'), 'utf8'),
    ) as { snapshot: { element: Record<string, unknown>[] } }
    const [first, second, ...rest] = sd.snapshot.element
    sd.snapshot.element = [
      { ...first, max: 1, min: '1', type: 'string' },
      { ...second, id: 42, path: ['x'] },
      7 as unknown as Record<string, unknown>,
      ...rest.map((e) => ({ ...e, type: [{ code: 5 }, 'x', { code: 'string', profile: [1, 'u'] }] })),
    ]
    const dir = tempFiles({ 'odd/StructureDefinition-Odd.json': JSON.stringify(sd) })
    const odd = loadFhirPackages(['odd'], dir)
    const profile = [...odd.values()][0]!
    expect(profile.elements).toHaveLength(sd.snapshot.element.length - 2)
    expect(profile.elements[0]).not.toHaveProperty('max')
    expect(profile.elements[1]!.type).toEqual([{ code: 'string', profile: ['u'] }])
    expect(() => validateClaimedProfiles(tolvan, odd)).not.toThrow()
  })

  it('passes a resource that meets its profile: slices, fixed and pattern values, cardinality', () => {
    expect(validateClaimedProfiles(tolvan, profiles).issues.filter((i) => i.severity === 'error')).toEqual([])
  })

  it('finds a missing slice, a pattern not matched and an element the profile forbids', () => {
    const broken = {
      ...tolvan,
      identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' }],
      address: [{ city: 'Oslo', country: 'NO' }],
      deceasedBoolean: false,
    }
    const { issues } = validateClaimedProfiles(broken, profiles)
    expect(issues.filter((i) => i.severity === 'error').map((i) => [i.pointer, i.message])).toEqual([
      [
        '/identifier',
        'Patient.identifier (slice personnummer): minimum required = 1 by profile HomecarePatient, but only found 0',
      ],
      [
        '/address/0/country',
        'Patient.address[0].country: profile HomecarePatient requires a value matching "SE", not "NO"',
      ],
      ['/deceasedBoolean', 'Patient.deceased: maximum allowed = 0 by profile HomecarePatient, but found 1'],
    ])
  })

  it('checks a Bundle entry against the profile it claims, at its place in the Bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b',
          resource: { ...tolvan, gender: undefined },
        },
      ],
    }
    const { issues } = validateClaimedProfiles(JSON.parse(JSON.stringify(bundle)), profiles)
    expect(issues.map((i) => [i.pointer, i.expression])).toEqual([
      ['/entry/0/resource/gender', 'Bundle.entry[0].resource.gender'],
    ])
  })

  it('runs in interop check, with profiles from the manifest and from an npm package', () => {
    const dir = tempFiles({})
    cpSync(SERVICE, dir, { recursive: true })
    const file = path.join(dir, 'fhir/patient-tolvan.json')
    writeFileSync(file, JSON.stringify({ ...tolvan, address: [{ country: 'DK' }] }, null, 2))
    const r = cli(
      ['check', 'interop.yaml', '-r', 'fhir', '--fhir-package', 'hl7.fhir.r4.examples', '-f', 'json'],
      { cwd: dir },
    )
    const report = JSON.parse(r.stdout)
    const found = report.findings.map((f: { ruleId: string; location: { source: string; line: number } }) => [
      f.ruleId,
      f.location.source,
      f.location.line,
    ])
    expect(found).toEqual([['fhir-profiles', 'fhir/patient-tolvan.json', expect.any(Number)]])
    expect(r.status).toBe(1)
  })
})
