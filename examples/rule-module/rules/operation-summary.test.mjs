// Run with vitest: the same rule tester interop's own rules use.
import { testRule } from 'interop-checker/testing'
import { operationSummary } from './operation-summary.mjs'

testRule(operationSummary, {
  valid: [
    {
      name: 'an operation with a summary',
      document: {
        openapi: '3.1.0',
        info: { title: 'T', version: '1.0.0' },
        paths: { '/a': { get: { summary: 'Lists the permits', responses: { 200: { description: 'OK' } } } } },
      },
    },
  ],
  invalid: [
    {
      name: 'an operation without one',
      document: {
        openapi: '3.1.0',
        info: { title: 'T', version: '1.0.0' },
        paths: { '/a': { get: { responses: { 200: { description: 'OK' } } } } },
      },
      errors: [{ messageId: 'missing', pointer: '/paths/~1a/get' }],
    },
  ],
})
