import invariants from '../../../src/rules/fhir/fhir-invariants.js'
import { testRule } from '../../../src/testing/vitest.js'
import { observation, valid, one } from './fixtures.js'

testRule(invariants, {
  valid: [valid],
  invalid: [
    {
      ...one('obs-6: a value and a dataAbsentReason', {
        ...observation,
        dataAbsentReason: { text: 'error' },
      }),
      errors: [{ messageId: 'issue', pointer: '' }],
    },
  ],
})
