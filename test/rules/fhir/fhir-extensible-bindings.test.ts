import extensible from '../../../src/rules/fhir/fhir-extensible-bindings.js'
import { testRule } from '../../../src/testing/vitest.js'
import { patient, valid, one } from './fixtures.js'

testRule(extensible, {
  valid: [valid],
  invalid: [
    {
      ...one('a marital status code v3-MaritalStatus does not define', {
        ...patient,
        maritalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'X' }],
        },
      }),
      errors: [{ messageId: 'issue', pointer: '/maritalStatus/coding/0' }],
    },
  ],
})
