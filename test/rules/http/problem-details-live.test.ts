import rule from '../../../src/rules/http/problem-details-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { document, exchange, live, manifest } from './fixtures.js'

const unknown = (status: number, type: string, body = '') =>
  exchange(
    { 'content-type': type },
    {
      purpose: 'unknown-path',
      status,
      body,
      url: 'https://api.bokslut.example/v1/interop-check-no-such-path',
    },
  )

testRule(rule, {
  valid: [
    {
      name: '404 with problem+json',
      manifest,
      document,
      live: live([unknown(404, 'application/problem+json; charset=utf-8')]),
    },
    {
      name: 'an authentication challenge as problem+json',
      manifest,
      document,
      live: live([unknown(401, 'application/problem+json')]),
    },
  ],
  invalid: [
    {
      name: 'a soft 404: 200 with an HTML page',
      manifest,
      document,
      live: live([unknown(200, 'text/html', '<html>Not found</html>')]),
      errors: [
        { messageId: 'not-an-error', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
      ],
    },
    {
      name: '404 with a proprietary JSON error',
      manifest,
      document,
      live: live([unknown(404, 'application/json', '{"errorCode": 17}')]),
      errors: [{ messageId: 'not-problem-json' }],
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'nothing answered',
      manifest,
      document,
      live: live([{ ...unknown(404, 'x'), response: undefined, error: 'ECONNREFUSED' }]),
    },
  ],
})
