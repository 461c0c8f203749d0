import { describe, expect, it } from 'vitest'
import { validateResource, type FhirIssue } from '../../src/fhir/validate.js'

/** Each kind of problem the FHIR R4 validation must find, and where it says it is. */
const patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ family: 'Lindqvist', given: ['Maja'] }],
  gender: 'female',
  birthDate: '1971-06-03',
}
const observation = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
  valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
}
const brief = (issues: FhirIssue[]) =>
  issues.map((i) => ({
    check: i.check,
    severity: i.severity,
    code: i.code,
    pointer: i.pointer,
    expression: i.expression,
  }))

describe('FHIR R4 validation', () => {
  it('passes valid resources', () => {
    expect(validateResource(patient)).toEqual([])
    expect(validateResource(observation)).toEqual([])
  })

  it('finds unknown elements and wrong types, against the FHIR JSON Schema', () => {
    expect(brief(validateResource({ ...patient, nickname: 'Mia', active: 'yes' }))).toEqual([
      {
        check: 'structure',
        severity: 'error',
        code: 'structure',
        pointer: '/nickname',
        expression: 'Patient.nickname',
      },
      {
        check: 'structure',
        severity: 'error',
        code: 'structure',
        pointer: '/active',
        expression: 'Patient.active',
      },
    ])
  })

  it('finds wrong primitive formats and impossible calendar dates', () => {
    const issues = validateResource({ ...patient, birthDate: '1971-6-3', deceasedDateTime: '2023-02-30' })
    expect(issues.map((i) => [i.expression, i.code])).toEqual([
      ['Patient.birthDate', 'value'],
      ['Patient.deceasedDateTime', 'value'],
    ])
    expect(issues[1]!.message).toBe('Invalid dateTime "2023-02-30": not a real calendar date')
    expect(validateResource({ ...patient, birthDate: '2024-02-29' })).toEqual([])
    expect(validateResource({ ...patient, birthDate: '2023-02-29' })).toHaveLength(1)
  })

  it('finds missing required elements, required primitives included', () => {
    const { status: _status, ...noStatus } = observation
    void _status
    expect(validateResource(noStatus).map((i) => [i.check, i.expression, i.message])).toEqual([
      ['cardinality', 'Observation.status', 'Observation.status: minimum required = 1, but only found 0'],
    ])
    // A primitive given only through its extension sibling is present.
    expect(
      validateResource({
        ...noStatus,
        _status: { extension: [{ url: 'http://example.org/x', valueString: 'x' }] },
      }),
    ).toEqual([])
  })

  it('evaluates error-level invariants: pat-1, obs-6, bdl-7', () => {
    const pat1 = validateResource({ ...patient, contact: [{ gender: 'male' }] })
    expect(pat1.map((i) => [i.key, i.expression, i.code])).toEqual([
      ['pat-1', 'Patient.contact[0]', 'invariant'],
    ])
    const obs6 = validateResource({ ...observation, dataAbsentReason: { text: 'not measured' } })
    expect(obs6.map((i) => i.key)).toEqual(['obs-6'])
    const entry = { fullUrl: 'urn:uuid:3f2c9a1e-8b4d-4c7e-9a56-2d1f0e7b8c43', resource: patient }
    const bdl7 = validateResource({ resourceType: 'Bundle', type: 'collection', entry: [entry, entry] })
    expect(bdl7.map((i) => [i.key, i.expression])).toEqual([['bdl-7', 'Bundle']])
  })

  it('checks the universal element rules ele-1 and ext-1 natively', () => {
    const issues = validateResource({
      ...patient,
      maritalStatus: {},
      extension: [
        { url: 'http://example.org/a', valueString: 'x', extension: [{ url: 'b', valueString: 'y' }] },
      ],
    })
    // Issues come in the order the elements are written.
    expect(issues.map((i) => [i.key, i.expression])).toEqual([
      ['ele-1', 'Patient.maritalStatus'],
      ['ext-1', 'Patient.extension[0]'],
    ])
  })

  it('checks required bindings offline, and extensible ones as warnings', () => {
    // Patient.gender is bound (required) to administrative-gender; the schema's enumeration says so
    // first, and the binding does not repeat it.
    const gender = validateResource({ ...patient, gender: 'f' })
    expect(gender.map((i) => [i.check, i.severity, i.code])).toEqual([['structure', 'error', 'code-invalid']])
    // AllergyIntolerance.clinicalStatus is a CodeableConcept bound (required) to allergyintolerance-clinical.
    const allergy = validateResource({
      resourceType: 'AllergyIntolerance',
      patient: { reference: 'Patient/p1' },
      clinicalStatus: { coding: [{ system: 'http://snomed.info/sct', code: '55561003' }] },
    })
    expect(allergy.map((i) => [i.check, i.severity, i.code, i.expression])).toEqual([
      ['binding', 'error', 'code-invalid', 'AllergyIntolerance.clinicalStatus'],
    ])
    // Observation.status codes must come from observation-status.
    const status = validateResource({
      ...observation,
      category: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vitals' }],
        },
      ],
    })
    // observation-category is bound 'preferred' in R4: no finding.
    expect(status).toEqual([])
    const marital = validateResource({
      ...patient,
      maritalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'X' }],
      },
    })
    expect(marital.map((i) => [i.check, i.severity, i.expression])).toEqual([
      ['binding', 'warning', 'Patient.maritalStatus.coding[0]'],
    ])
  })

  it('points into Bundle entries without one error per resource type', () => {
    const issues = validateResource({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:3f2c9a1e-8b4d-4c7e-9a56-2d1f0e7b8c43', resource: { ...patient, gender: 5 } },
      ],
    })
    expect(issues.length).toBeLessThanOrEqual(3)
    expect(issues[0]!.pointer).toBe('/entry/0/resource/gender')
    expect(issues[0]!.expression).toBe('Bundle.entry[0].resource.gender')
  })

  it('says so when the resource type is unknown', () => {
    expect(validateResource({ resourceType: 'Patiënt' }).map((i) => i.message)).toEqual([
      "Unknown resource type 'Patiënt'",
    ])
  })
})

describe('FHIR R4 bindings on codings', () => {
  it('warns of a code that its own code system does not define, under an extensible binding', () => {
    const issues = validateResource({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Heart rate' },
      // Observation.interpretation is bound extensibly: a code its own system does not define is a warning.
      interpretation: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HIGH' },
          ],
        },
      ],
    })
    expect(issues.map((i) => [i.check, i.severity, i.expression])).toEqual([
      ['binding', 'warning', 'Observation.interpretation[0].coding[0]'],
    ])
  })
})

describe('FHIR R4 invariants checked in plain code', () => {
  it('dom-3: a contained resource nothing refers to', () => {
    const contained = [{ resourceType: 'Organization', id: 'org1', name: 'Hemtjänst Norr' }]
    const base = { resourceType: 'Patient', id: 'p1', contained }
    expect(validateResource(base).map((i) => i.key)).toEqual(['dom-3'])
    expect(validateResource({ ...base, managingOrganization: { reference: '#org1' } })).toEqual([])
  })

  it('ref-1: a local reference to a contained resource that is not there', () => {
    const issues = validateResource({
      resourceType: 'Patient',
      id: 'p1',
      managingOrganization: { reference: '#org9' },
    })
    expect(issues.map((i) => [i.key, i.expression])).toEqual([['ref-1', 'Patient.managingOrganization']])
  })

  it('per-1: a period that ends before it starts, in any precision', () => {
    const period = (start: string, end: string) =>
      validateResource({
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'HH' },
        period: { start, end },
      }).map((i) => i.key)
    expect(period('2026-03-01T09:45:00+01:00', '2026-03-01T09:00:00+01:00')).toEqual(['per-1'])
    expect(period('2026-03-02', '2026-03-01')).toEqual(['per-1'])
    expect(period('2026-03-01T09:00:00+01:00', '2026-03-01T08:30:00Z')).toEqual([])
  })
})

describe('FHIR R4 Bundle invariants checked in plain code', () => {
  const entry = (extra: object = {}) => ({
    fullUrl: 'urn:uuid:3f2c9a1e-8b4d-4c7e-9a56-2d1f0e7b8c43',
    resource: { resourceType: 'Patient', id: 'p1', active: true },
    ...extra,
  })
  const keys = (bundle: object) => validateResource(bundle).map((i) => i.key)

  it('bdl-3: a request exactly in batches, transactions and histories', () => {
    expect(
      keys({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [entry({ request: { method: 'POST', url: 'Patient' } })],
      }),
    ).toEqual(['bdl-3'])
    expect(keys({ resourceType: 'Bundle', type: 'transaction', entry: [entry()] })).toEqual(['bdl-3'])
    expect(
      keys({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [entry({ request: { method: 'POST', url: 'Patient' } })],
      }),
    ).toEqual([])
  })

  it('bdl-4: a response exactly in batch and transaction responses and histories', () => {
    expect(
      keys({ resourceType: 'Bundle', type: 'searchset', entry: [entry({ response: { status: '200' } })] }),
    ).toEqual(['bdl-4'])
    expect(
      keys({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [entry({ response: { status: '201 Created' } })],
      }),
    ).toEqual([])
  })
})
