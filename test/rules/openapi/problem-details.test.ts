import rule from '../../../src/rules/openapi/problem-details.js'
import { testRule } from '../../../src/testing/vitest.js'

const problem = { 'application/problem+json': { schema: { type: 'object' } } }
const doc = (responses: object, extra: object = {}) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1.0.0' },
  paths: { '/books': { get: { responses: { '200': { description: 'ok' }, ...responses } } } },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'problem+json on 404 and default',
      document: doc({
        '404': { description: 'x', content: problem },
        default: { description: 'x', content: problem },
      }),
    },
    {
      name: 'problem+xml is also RFC 9457',
      document: doc({ '500': { description: 'x', content: { 'application/problem+xml': {} } } }),
    },
    {
      name: 'through a $ref in another file',
      document: doc({ '404': { $ref: 'responses.yaml#/NotFound' } }),
      files: { 'responses.yaml': { NotFound: { description: 'nf', content: problem } } },
    },
    {
      name: 'Swagger 2 producing problem+json',
      document: {
        swagger: '2.0',
        info: { title: 't', version: '1.0.0' },
        produces: ['application/json', 'application/problem+json'],
        paths: {
          '/a': { get: { responses: { '200': { description: 'ok' }, '404': { description: 'nf' } } } },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'plain JSON error body',
      document: doc({
        '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } },
      }),
      errors: [{ messageId: 'missing', pointer: '/paths/~1books/get/responses/400/content' }],
    },
    {
      name: 'error response without body',
      document: doc({ '503': { description: 'down' }, '4XX': { description: 'client' } }),
      errors: [
        { messageId: 'no-content', pointer: '/paths/~1books/get/responses/503' },
        { messageId: 'no-content', pointer: '/paths/~1books/get/responses/4XX' },
      ],
    },
    {
      name: 'points into the referenced file',
      document: doc({ '404': { $ref: 'responses.yaml#/NotFound' } }),
      files: { 'responses.yaml': { NotFound: { description: 'nf', content: { 'text/plain': {} } } } },
      errors: [{ messageId: 'missing', pointer: '/NotFound/content', source: 'responses.yaml', line: 4 }],
    },
    {
      name: 'Swagger 2 without problem+json',
      document: {
        swagger: '2.0',
        info: { title: 't', version: '1.0.0' },
        produces: ['application/json'],
        paths: {
          '/a': { get: { responses: { '200': { description: 'ok' }, '404': { description: 'nf' } } } },
        },
      },
      errors: [{ messageId: 'missing', pointer: '/paths/~1a/get/responses/404' }],
    },
  ],
})
