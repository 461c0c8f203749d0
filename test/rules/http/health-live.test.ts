import rule from '../../../src/rules/http/health-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { document, exchange, live, manifest } from './fixtures.js'

const healthJson = { 'content-type': 'application/health+json' }

testRule(rule, {
  valid: [
    {
      name: 'health+json with status pass',
      manifest,
      document,
      live: live([exchange(healthJson, { body: '{"status":"pass"}' })]),
    },
    {
      name: 'a failing service answers 503 with status fail',
      manifest,
      document,
      live: live([exchange(healthJson, { status: 503, body: '{"status": "fail", "output": "db down"}' })]),
    },
  ],
  invalid: [
    {
      name: 'plain JSON without a status',
      manifest,
      document,
      live: live([exchange({}, { body: '{"healthy": true}' })]),
      errors: [
        { messageId: 'not-health-json', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
        { messageId: 'no-status', pointer: '/apis/0/environments/production' },
      ],
    },
    {
      name: 'a 500 from the health endpoint',
      manifest,
      document,
      live: live([exchange(healthJson, { status: 500, body: 'oops' })]),
      errors: [{ messageId: 'bad-status' }],
    },
  ],
  notApplicable: [
    {
      name: 'no health endpoint described, none called',
      manifest,
      document,
      live: live([exchange({}, { purpose: 'base' })]),
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'the health endpoint did not answer',
      manifest,
      document,
      live: live([{ ...exchange(healthJson), response: undefined, error: 'timeout' }]),
    },
  ],
})
