/** The fhir ruleset's rules on resource files a manifest names. */
export const manifest = (...files: string[]) => ({
  service: { name: 'Omsorgsjournalen', vendor: 'Vårdkedjan AB' },
  fhir: { resources: files },
})
export const patient = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [{ system: 'http://electronichealth.se/identifier/personnummer', value: '191212121212' }],
  name: [{ family: 'Tolvansson', given: ['Tolvan'] }],
  gender: 'male',
  birthDate: '1912-12-12',
}
export const observation = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
  valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
}
export const valid = {
  name: 'a valid Patient and Observation',
  manifest: manifest('fhir/patient.json', 'fhir/observation.json'),
  files: { 'fhir/patient.json': patient, 'fhir/observation.json': observation },
}
export const notChecked = [{ name: 'a manifest naming no FHIR resources', manifest: manifest() }]
export const notApplicable = [
  {
    name: 'a service that does not speak FHIR',
    manifest: { service: { name: 'Bibliotek', vendor: 'Bokslut AB' } },
  },
]
export const one = (name: string, resource: object) => ({
  name,
  manifest: manifest('fhir/r.json'),
  files: { 'fhir/r.json': resource },
})
