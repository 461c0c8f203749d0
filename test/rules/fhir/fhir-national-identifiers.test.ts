import identifiers from '../../../src/rules/fhir/fhir-national-identifiers.js'
import { testRule } from '../../../src/testing/vitest.js'
import { patient, valid, one } from './fixtures.js'

testRule(identifiers, {
  valid: [
    valid,
    one('an identifier under a system the rule does not know', {
      ...patient,
      identifier: [{ system: 'urn:oid:1.2.3', value: '12' }],
    }),
  ],
  invalid: [
    {
      ...one('a personnummer with a wrong check digit, inside a Bundle', {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            fullUrl: 'urn:uuid:3f2c9a1e-8b4d-4c7e-9a56-2d1f0e7b8c43',
            resource: {
              ...patient,
              identifier: [
                { system: 'http://electronichealth.se/identifier/personnummer', value: '191212121213' },
              ],
            },
          },
        ],
      }),
      errors: [{ messageId: 'invalid', pointer: '/entry/0/resource/identifier/0/value' }],
    },
  ],
})
