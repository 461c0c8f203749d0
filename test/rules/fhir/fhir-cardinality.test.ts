import cardinality from '../../../src/rules/fhir/fhir-cardinality.js'
import { testRule } from '../../../src/testing/vitest.js'
import { observation, valid, one } from './fixtures.js'

testRule(cardinality, {
  valid: [valid],
  invalid: [
    {
      ...one('an Observation without its status', { ...observation, status: undefined }),
      errors: [{ messageId: 'issue', pointer: '/status' }],
    },
  ],
})
