import { expect, it } from 'vitest'
import rule from '../../../src/rules/http/rate-limit-live.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'
import { exchange, live, manifest } from './fixtures.js'

const info = { title: 'Open Loans', version: '1.4.0' }
const BASE = 'https://api.bokslut.example/v1'
const SANDBOX = 'https://sandbox.bokslut.example/v1'

/** Open Loans documents 429 with Retry-After and RateLimit headers on its list of loans. */
const documented = {
  openapi: '3.1.0',
  info,
  paths: {
    '/loans': {
      get: {
        operationId: 'listLoans',
        responses: {
          '200': {
            description: 'The loans',
            headers: {
              RateLimit: { schema: { type: 'string' } },
              'RateLimit-Policy': { schema: { type: 'string' } },
            },
          },
          '429': {
            description: 'Too many requests',
            headers: { 'Retry-After': { schema: { type: 'integer' } } },
          },
        },
      },
    },
  },
}
/** Only X-RateLimit-Remaining, written in another case, on a shared response component. */
const xHeaderDocument = {
  openapi: '3.0.3',
  info,
  paths: { '/loans': { get: { responses: { '200': { $ref: '#/components/responses/Loans' } } } } },
  components: {
    responses: {
      Loans: {
        description: 'The loans',
        headers: { 'x-ratelimit-remaining': { schema: { type: 'integer' } } },
      },
    },
  },
}
const swaggerDocument = {
  swagger: '2.0',
  info,
  host: 'api.bokslut.example',
  basePath: '/v1',
  paths: {
    '/loans': {
      get: {
        responses: {
          '200': { description: 'The loans' },
          '429': { description: 'Too many requests', headers: { 'Retry-After': { type: 'integer' } } },
        },
      },
    },
  },
}
const undocumented = {
  openapi: '3.1.0',
  info,
  paths: { '/loans': { get: { responses: { '200': { description: 'The loans' } } } } },
}

const listLoans = { method: 'GET', path: '/loans', operationId: 'listLoans' }
const call = (
  headers: Record<string, string>,
  over: { status?: number; environment?: 'production' | 'sandbox'; purpose?: 'operation' | 'base' } = {},
) => {
  const base = over.environment === 'sandbox' ? SANDBOX : BASE
  const purpose = over.purpose ?? 'operation'
  return exchange(headers, {
    purpose,
    ...(purpose === 'operation' ? { operation: listLoans } : {}),
    url: purpose === 'operation' ? `${base}/loans?limit=10` : base,
    status: over.status ?? 200,
    body: over.status === 429 ? '{"title": "Too Many Requests"}' : '{"items": []}',
    ...(over.environment ? { environment: over.environment } : {}),
  })
}
const draftHeaders = { ratelimit: '"default";r=42;t=30', 'ratelimit-policy': '"default";q=100;w=60' }

testRule(rule, {
  valid: [
    {
      name: 'RateLimit and RateLimit-Policy on the list of loans',
      manifest,
      document: documented,
      live: live([call(draftHeaders), call({}, { purpose: 'base' })]),
    },
    {
      name: 'X-RateLimit headers on a shared response component',
      manifest,
      document: xHeaderDocument,
      live: live([call({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '97' })]),
    },
    {
      name: 'the earlier draft trio',
      manifest,
      document: swaggerDocument,
      live: live([call({ 'ratelimit-limit': '100', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' })]),
    },
    {
      name: 'a 429 with Retry-After',
      manifest,
      document: documented,
      live: live([call(draftHeaders), call({ 'retry-after': '30' }, { status: 429 })]),
    },
    {
      name: 'a 429 with a RateLimit reset instead of Retry-After',
      manifest,
      document: documented,
      live: live([call({ ratelimit: '"default";r=0;t=30' }, { status: 429 })]),
    },
    {
      name: 'only the base URL answered, with headers',
      manifest,
      document: documented,
      live: live([
        call({ 'x-ratelimit-remaining': '9' }, { purpose: 'base' }),
        { ...call({}), response: undefined, error: 'timeout' },
      ]),
    },
  ],
  invalid: [
    {
      name: 'documented headers never sent',
      manifest,
      document: documented,
      live: live([call({})]),
      errors: [
        { messageId: 'no-headers', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
      ],
    },
    {
      name: 'once per base URL, on both environments',
      manifest,
      document: swaggerDocument,
      live: live([
        call({}),
        call({}, { purpose: 'base' }),
        call({}, { environment: 'sandbox' }),
        call({}, { environment: 'sandbox', purpose: 'base' }),
      ]),
      errors: [
        { messageId: 'no-headers', pointer: '/apis/0/environments/production' },
        { messageId: 'no-headers', pointer: '/apis/0/environments/sandbox' },
      ],
    },
    {
      name: 'a bare 429',
      manifest,
      document: documented,
      live: live([call(draftHeaders), call({ 'ratelimit-policy': '"default";q=100;w=60' }, { status: 429 })]),
      errors: [{ messageId: 'no-retry-after' }],
    },
    {
      name: 'a bare 429 and nothing else answered',
      manifest,
      document: documented,
      live: live([call({}, { status: 429 })]),
      errors: [{ messageId: 'no-retry-after' }],
    },
  ],
  notApplicable: [
    {
      name: 'the description documents no rate limiting',
      manifest,
      document: undocumented,
      live: live([call({})]),
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document: documented },
    {
      name: 'no operation was called',
      manifest,
      document: documented,
      live: live([exchange({}, { purpose: 'health' })]),
    },
    {
      name: 'operations only answered 401',
      manifest,
      document: documented,
      live: live([call({ 'www-authenticate': 'Bearer' }, { status: 401 })]),
    },
    {
      name: 'nothing answered',
      manifest,
      document: documented,
      live: live([{ ...call({}), response: undefined, error: 'ECONNREFUSED' }]),
    },
  ],
})

it('says which operations answered without 2xx', async () => {
  const outcome = await runRuleCase(rule, {
    name: 'unauthorised',
    manifest,
    document: documented,
    live: live([call({}, { status: 401 })]),
  })
  expect(outcome.reason).toContain(`GET ${BASE}/loans?limit=10 answered 401`)
})
