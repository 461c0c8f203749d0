import { describe, expect, it } from 'vitest'
import { searchParam, searchValueOf } from '../../src/fhir/search.js'

const patient = {
  resourceType: 'Patient',
  id: 'tolvan',
  meta: { lastUpdated: '2026-03-01T10:15:00+01:00' },
  identifier: [{ system: 'http://electronichealth.se/identifier/personnummer', value: '191212121212' }],
  name: [{ family: 'Tolvansson', given: ['Tolvan'] }],
  telecom: [{ system: 'phone', value: '+46 60 123 45 67' }],
  gender: 'male',
  birthDate: '1912-12-12',
  address: [{ city: 'Sundsvall' }],
}
const observation = {
  resourceType: 'Observation',
  id: 'pulse',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/tolvan' },
  effectivePeriod: { start: '2026-03-01T09:30:00+01:00' },
  valueQuantity: { value: 72, unit: '/min' },
}

describe('search values taken from a resource', () => {
  const cases: [{ resourceType: string }, string, string][] = [
    [patient, 'identifier', 'http://electronichealth.se/identifier/personnummer|191212121212'],
    [patient, '_id', 'tolvan'],
    [patient, '_lastUpdated', '2026-03-01T10:15:00+01:00'],
    [patient, 'name', 'Tolvansson'],
    [patient, 'family', 'Tolvansson'],
    [patient, 'given', 'Tolvan'],
    [patient, 'birthdate', '1912-12-12'],
    [patient, 'gender', 'male'],
    [patient, 'address-city', 'Sundsvall'],
    [patient, 'phone', '+46 60 123 45 67'],
    // clinical-patient is shared by many types; Observation keeps its own part of the expression.
    [observation, 'patient', 'Patient/tolvan'],
    [observation, 'subject', 'Patient/tolvan'],
    [observation, 'code', 'http://loinc.org|8867-4'],
    [observation, 'category', 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs'],
    [observation, 'status', 'final'],
    // A choice type through `as`, and a Period searched by its start.
    [observation, 'date', '2026-03-01T09:30:00+01:00'],
  ]
  it.each(cases.map(([r, code, value]) => [`${r.resourceType}.${code}`, r, code, value] as const))(
    '%s',
    (_, resource, code, value) => {
      expect(searchValueOf(resource, code)).toEqual({ value })
    },
  )

  it('says why there is no value', () => {
    expect(searchValueOf(observation, 'value-quantity')).toEqual({
      why: 'value-quantity is a quantity parameter, which the check does not search by',
    })
    expect(searchValueOf(observation, 'identifier')).toEqual({
      why: 'the Observation found has no value for identifier',
    })
    expect(searchValueOf(patient, 'colour')).toEqual({
      why: 'FHIR R4 defines no search parameter colour on Patient',
    })
    // A patient reference that is not to a Patient is no value for `patient`.
    expect(searchValueOf({ ...observation, subject: { reference: 'Group/g1' } }, 'patient')).toHaveProperty(
      'why',
    )
  })

  it('knows the R4 search parameters of each type, and the ones of every resource', () => {
    expect(searchParam('Patient', 'identifier')).toEqual({ type: 'token', expression: 'Patient.identifier' })
    expect(searchParam('Encounter', '_id')).toEqual({ type: 'token', expression: 'Encounter.id' })
    expect(searchParam('Observation', 'patient')?.expression).not.toMatch(/resolve\(\)/)
  })
})
