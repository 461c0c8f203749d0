import required from '../../../src/rules/fhir/fhir-required-bindings.js'
import { testRule } from '../../../src/testing/vitest.js'
import { valid, one } from './fixtures.js'

const allergy = (coding: object) => ({
  resourceType: 'AllergyIntolerance',
  patient: { reference: 'Patient/p1' },
  code: { text: 'Penicillin' },
  clinicalStatus: { coding: [coding] },
})

testRule(required, {
  valid: [
    valid,
    one(
      'a clinical status from allergyintolerance-clinical',
      allergy({
        system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
        code: 'active',
      }),
    ),
  ],
  invalid: [
    {
      ...one(
        'a clinical status its code system does not define',
        allergy({
          system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
          code: 'gone',
        }),
      ),
      errors: [{ messageId: 'issue', pointer: '/clinicalStatus/coding/0' }],
    },
    {
      ...one(
        'a clinical status from another system',
        allergy({ system: 'http://snomed.info/sct', code: '55561003' }),
      ),
      errors: [{ messageId: 'issue', pointer: '/clinicalStatus' }],
    },
  ],
})
