import rule from '../../../src/rules/openapi/rate-limiting.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const header = { schema: { type: 'string' } }
const limited = { RateLimit: header, 'RateLimit-Policy': header }
const ok = (headers: object = limited) => ({ description: 'ok', headers })
const tooMany = (headers: object = { 'Retry-After': header }) => ({ description: 'slow down', headers })
const doc = (paths: object, extra: object = {}) => ({ openapi: '3.1.0', info, paths, ...extra })

testRule(rule, {
  valid: [
    {
      name: '429 and 503 with Retry-After, RateLimit headers on 200',
      document: doc({
        '/books': {
          get: { responses: { '200': ok(), '429': tooMany(), '503': tooMany() } },
          post: { responses: { '201': ok(), '429': tooMany() } },
        },
      }),
    },
    {
      name: 'header names are case-insensitive; the older RateLimit-Limit trio is accepted',
      document: doc({
        '/books': {
          get: {
            responses: {
              '200': ok({
                'ratelimit-limit': header,
                'RATELIMIT-REMAINING': header,
                'RateLimit-Reset': header,
              }),
              '429': tooMany({ 'retry-after': header }),
            },
          },
        },
      }),
    },
    {
      name: 'a shared 429 response component',
      document: doc(
        {
          '/books': {
            get: { responses: { '200': ok(), '429': { $ref: '#/components/responses/TooMany' } } },
          },
          '/loans': {
            get: { responses: { '200': ok(), '429': { $ref: '#/components/responses/TooMany' } } },
          },
        },
        { components: { responses: { TooMany: tooMany() } } },
      ),
    },
    {
      name: 'Swagger 2 response headers',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/cases': {
            get: {
              responses: {
                '200': { description: 'ok', headers: { RateLimit: { type: 'string' } } },
                '429': { description: 'slow down', headers: { 'Retry-After': { type: 'integer' } } },
              },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'no 429 and no rate-limit headers anywhere',
      document: doc({ '/books': { get: { responses: { '200': { description: 'ok' } } } } }),
      errors: [
        { messageId: 'no-429', pointer: '/paths' },
        { messageId: 'no-ratelimit-headers', pointer: '/paths' },
      ],
    },
    {
      name: '429 and 503 without Retry-After',
      document: doc({
        '/books': {
          get: {
            responses: { '200': ok(), '429': { description: 'slow down' }, '503': { description: 'down' } },
          },
        },
      }),
      errors: [
        { messageId: '429-no-retry-after', pointer: '/paths/~1books/get/responses/429' },
        { messageId: '503-no-retry-after', pointer: '/paths/~1books/get/responses/503' },
      ],
    },
    {
      name: 'a shared 429 without Retry-After is reported once, where it is written',
      document: doc(
        {
          '/books': {
            get: { responses: { '200': ok(), '429': { $ref: '#/components/responses/TooMany' } } },
          },
          '/loans': {
            get: { responses: { '200': ok(), '429': { $ref: '#/components/responses/TooMany' } } },
          },
        },
        { components: { responses: { TooMany: { description: 'slow down' } } } },
      ),
      errors: [{ messageId: '429-no-retry-after', pointer: '/components/responses/TooMany' }],
    },
    {
      name: 'X-RateLimit headers are not the standard ones',
      document: doc({
        '/books': {
          get: { responses: { '200': ok({ 'X-RateLimit-Limit': header }), '429': tooMany() } },
        },
      }),
      errors: [{ messageId: 'no-ratelimit-headers', pointer: '/paths' }],
    },
    {
      name: 'Swagger 2 503 without Retry-After',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/cases': {
            get: {
              responses: {
                '200': { description: 'ok', headers: { RateLimit: { type: 'string' } } },
                '503': { description: 'down' },
              },
            },
          },
        },
      },
      errors: [
        { messageId: 'no-429', pointer: '/paths' },
        { messageId: '503-no-retry-after', pointer: '/paths/~1cases/get/responses/503' },
      ],
    },
  ],
  notApplicable: [{ name: 'no operations', document: doc({}) }],
})
