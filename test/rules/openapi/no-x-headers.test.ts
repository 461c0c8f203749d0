import rule from '../../../src/rules/openapi/no-x-headers.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Case archive', version: '1.0.0' }
const str = { schema: { type: 'string' } }
const doc = (params: object[], headers: object, components: object = {}) => ({
  openapi: '3.0.3',
  info,
  paths: {
    '/cases': {
      get: { parameters: params, responses: { '200': { description: 'OK', headers } } },
    },
  },
  components,
})
const hp = (name: string) => ({ name, in: 'header', ...str })

testRule(rule, {
  valid: [
    {
      name: 'standard and unprefixed headers',
      document: doc([hp('traceparent'), hp('API-Version'), hp('Accept-Language')], {
        Link: str,
        RateLimit: str,
        'Retry-After': str,
        'API-Version': str,
      }),
    },
    {
      name: 'registered X- fields are left alone',
      document: doc([], { 'X-Content-Type-Options': str, 'X-Frame-Options': str }),
    },
    {
      name: 'x- query parameters and non-object header values are skipped',
      document: doc([{ name: 'x-coordinate', in: 'query', ...str }], { 'x-internal': true }),
    },
    {
      name: 'Swagger 2 API key in Authorization',
      document: {
        swagger: '2.0',
        info,
        securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'Authorization' } },
        paths: {
          '/cases': {
            get: { responses: { '200': { description: 'OK', headers: { Location: { type: 'string' } } } } },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'request header parameters',
      document: doc([hp('X-Request-Id'), hp('x-correlation-id'), hp('X-CaseVault-Session')], {}),
      errors: [
        { messageId: 'x-header', pointer: '/paths/~1cases/get/parameters/0/name' },
        { messageId: 'x-header', pointer: '/paths/~1cases/get/parameters/1/name' },
        { messageId: 'x-header', pointer: '/paths/~1cases/get/parameters/2/name' },
      ],
    },
    {
      name: 'response headers, reported at their name even when the header is a $ref',
      document: doc(
        [],
        { 'X-RateLimit-Remaining': str, 'X-Total-Count': { $ref: '#/components/headers/TotalCount' } },
        { headers: { TotalCount: { schema: { type: 'integer' } } } },
      ),
      errors: [
        { messageId: 'x-header', pointer: '/paths/~1cases/get/responses/200/headers/X-RateLimit-Remaining' },
        {
          messageId: 'x-header',
          pointer: '/paths/~1cases/get/responses/200/headers/X-Total-Count',
          line: 16,
        },
      ],
    },
    {
      name: 'reusable headers, parameters, responses and security schemes',
      document: doc(
        [],
        {},
        {
          headers: { 'X-Forwarded-For': str },
          parameters: { Session: hp('X-Session') },
          responses: { Paged: { description: 'A page', headers: { 'X-Next-Page': str } } },
          securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
        },
      ),
      errors: [
        { messageId: 'x-header', pointer: '/components/headers/X-Forwarded-For' },
        { messageId: 'x-header', pointer: '/components/parameters/Session/name' },
        { messageId: 'x-header', pointer: '/components/responses/Paged/headers/X-Next-Page' },
        { messageId: 'x-header', pointer: '/components/securitySchemes/apiKey/name' },
      ],
    },
    {
      name: 'Swagger 2 with parameters and responses in another file',
      document: {
        swagger: '2.0',
        info,
        securityDefinitions: { session: { type: 'apiKey', in: 'header', name: 'X-CaseVault-Session' } },
        paths: { '/cases': { $ref: 'paths.yaml#/Cases' } },
      },
      files: {
        'paths.yaml': {
          Cases: {
            get: {
              parameters: [{ name: 'X-Request-Id', in: 'header', type: 'string' }],
              responses: { '200': { description: 'OK', headers: { 'X-Total-Hits': { type: 'integer' } } } },
            },
          },
        },
      },
      errors: [
        { messageId: 'x-header', pointer: '/securityDefinitions/session/name', source: 'openapi.yaml' },
        { messageId: 'x-header', pointer: '/Cases/get/parameters/0/name', source: 'paths.yaml' },
        {
          messageId: 'x-header',
          pointer: '/Cases/get/responses/200/headers/X-Total-Hits',
          source: 'paths.yaml',
        },
      ],
    },
  ],
})
