import structure from '../../../src/rules/fhir/fhir-structure.js'
import { testRule } from '../../../src/testing/vitest.js'
import { patient, valid, notChecked, notApplicable, one } from './fixtures.js'

testRule(structure, {
  valid: [valid],
  invalid: [
    {
      ...one('an unknown element and an impossible date', {
        ...patient,
        nickname: 'T',
        birthDate: '1912-02-30',
      }),
      errors: [
        { messageId: 'issue', pointer: '/nickname', source: 'fhir/r.json' },
        { messageId: 'issue', pointer: '/birthDate', source: 'fhir/r.json' },
      ],
    },
  ],
  notChecked,
  notApplicable,
})
