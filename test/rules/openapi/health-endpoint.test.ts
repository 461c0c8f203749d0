import { expect, it } from 'vitest'
import rule, { isHealthPath } from '../../../src/rules/openapi/health-endpoint.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const doc = (paths: object) => ({ openapi: '3.1.0', info, paths })
const answer = (...types: string[]) => ({
  description: 'ok',
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])),
})
const books = { '/books': { get: { responses: { '200': answer('application/json') } } } }
const swagger = (paths: object, produces?: string[]) => ({
  swagger: '2.0',
  info,
  ...(produces ? { produces } : {}),
  paths,
})

testRule(rule, {
  valid: [
    {
      name: '/health answering application/health+json',
      document: doc({
        ...books,
        '/health': {
          get: {
            responses: { '200': answer('application/health+json'), '503': answer('application/health+json') },
          },
        },
      }),
    },
    {
      name: 'an api-info resource (REST API-profil VER.06)',
      document: doc({ ...books, '/api-info': { get: { responses: { '200': answer('application/json') } } } }),
    },
    {
      name: 'a plain-text ping',
      document: doc({ ...books, '/ping': { get: { responses: { '200': answer('text/plain') } } } }),
    },
    {
      name: 'a /healthz probe without a body',
      document: doc({ ...books, '/healthz': { get: { responses: { '204': { description: 'up' } } } } }),
    },
    {
      name: 'a /status resource beside a health+json endpoint',
      document: doc({
        ...books,
        '/health/ready': { get: { responses: { '200': answer('application/health+json') } } },
        '/status': { get: { responses: { '200': answer('application/json') } } },
      }),
    },
    {
      name: 'Swagger 2 health endpoint producing health+json',
      document: swagger(
        {
          '/health': {
            get: { produces: ['application/health+json'], responses: { '200': { description: 'ok' } } },
          },
        },
        ['application/json'],
      ),
    },
  ],
  invalid: [
    {
      name: 'no health endpoint',
      document: doc(books),
      errors: [{ messageId: 'missing', pointer: '/paths' }],
    },
    {
      name: 'a status of one resource is not a health endpoint, nor is POST /health',
      document: doc({
        '/orders/{id}/status': { get: { responses: { '200': answer('application/json') } } },
        '/health': { post: { responses: { '200': answer('application/json') } } },
      }),
      errors: [{ messageId: 'missing', pointer: '/paths' }],
    },
    {
      name: 'a health endpoint answering plain JSON',
      document: doc({
        ...books,
        '/health': {
          get: {
            responses: {
              '200': answer('application/json; charset=utf-8'),
              '503': answer('application/json'),
              '500': answer('application/json'),
            },
          },
        },
      }),
      errors: [
        {
          messageId: 'not-health-json',
          pointer: '/paths/~1health/get/responses/200/content/application~1json; charset=utf-8',
        },
        {
          messageId: 'not-health-json',
          pointer: '/paths/~1health/get/responses/503/content/application~1json',
        },
      ],
    },
    {
      name: 'Swagger 2 without a health endpoint',
      document: swagger({ '/cases': { get: { responses: { '200': { description: 'ok' } } } } }),
      errors: [{ messageId: 'missing', pointer: '/paths' }],
    },
    {
      name: 'Swagger 2 health endpoint producing the global application/json',
      document: swagger({ '/status': { get: { responses: { '200': { description: 'ok' } } } } }, [
        'application/json',
      ]),
      errors: [{ messageId: 'not-health-json', pointer: '/produces/0' }],
    },
  ],
})

it('health-endpoint: recognises health paths', () => {
  expect(isHealthPath('/v1/health')).toBe(true)
  expect(isHealthPath('/actuator/health/liveness')).toBe(true)
  expect(isHealthPath('/health/')).toBe(true)
  expect(isHealthPath('/live')).toBe(false)
  expect(isHealthPath('/books/{id}/status')).toBe(false)
  expect(isHealthPath('/healthy-recipes')).toBe(false)
})
