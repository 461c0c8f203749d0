import rule from '../../../src/rules/http/security-headers.js'
import { testRule } from '../../../src/testing/vitest.js'
import { document, exchange, live, manifest } from './fixtures.js'

const secure = { 'strict-transport-security': 'max-age=31536000', 'x-content-type-options': 'nosniff' }

testRule(rule, {
  valid: [
    {
      name: 'HSTS and nosniff everywhere, no-store on authenticated responses',
      manifest,
      document,
      live: live([
        exchange(secure),
        exchange(
          { ...secure, 'cache-control': 'private, no-store' },
          { authenticated: true, url: 'https://api.bokslut.example/v1/loans' },
        ),
      ]),
    },
  ],
  invalid: [
    {
      name: 'no HSTS, no nosniff, an authenticated response that may be cached',
      manifest,
      document,
      live: live([
        exchange({ 'x-content-type-options': 'sniff' }),
        exchange(
          { 'cache-control': 'max-age=60' },
          { authenticated: true, url: 'https://api.bokslut.example/v1/loans' },
        ),
      ]),
      errors: [
        { messageId: 'no-hsts', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
        { messageId: 'no-nosniff', pointer: '/apis/0/environments/production' },
        { messageId: 'cacheable-authenticated', pointer: '/apis/0/environments/production' },
      ],
    },
    {
      name: 'reported per environment',
      manifest,
      document,
      live: live([
        exchange(secure),
        exchange({ 'x-content-type-options': 'nosniff' }, { environment: 'sandbox' }),
      ]),
      errors: [{ messageId: 'no-hsts', pointer: '/apis/0/environments/sandbox' }],
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'nothing answered',
      manifest,
      document,
      live: live([{ ...exchange(secure), response: undefined, error: 'timeout after 10 s' }]),
    },
  ],
})
