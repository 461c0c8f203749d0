import rule from '../../../src/rules/openapi/complete-description.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const book = { type: 'object', properties: { id: { type: 'string' } } }
const json = (schema?: object) => ({ 'application/json': schema ? { schema } : {} })
const doc = (operation: object, extra: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: { '/books': { post: operation } },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'summary, 201 with a described body, described request body',
      document: doc(
        {
          summary: 'Add a book',
          requestBody: { content: json({ $ref: '#/components/schemas/Book' }) },
          responses: { '201': { description: 'created', content: json(book) } },
        },
        { components: { schemas: { Book: book } } },
      ),
    },
    {
      name: 'description only, 204 without body, binary and text bodies without schemas',
      document: doc({
        description: 'Upload a scan',
        requestBody: { content: { 'application/pdf': {}, 'text/plain': {} } },
        responses: { '204': { description: 'stored', content: json({}) } },
      }),
    },
    {
      name: 'a 3xx redirect and default count as answers; arrays with items and maps are described',
      document: doc({
        summary: 'Find',
        requestBody: { content: json({ type: 'object', additionalProperties: { type: 'string' } }) },
        responses: {
          '303': { description: 'see other' },
          default: { description: 'list', content: json({ type: 'array', items: book }) },
        },
      }),
    },
    {
      name: 'Swagger 2 with a described body parameter and response',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': {
            post: {
              summary: 'Add',
              parameters: [{ in: 'body', name: 'b', schema: book }],
              responses: { '200': { description: 'ok', schema: { type: 'string' } } },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'no summary or description, only error responses',
      document: doc({ responses: { '400': { description: 'bad' } } }),
      errors: [
        { messageId: 'no-description', pointer: '/paths/~1books/post' },
        { messageId: 'no-success-response', pointer: '/paths/~1books/post/responses' },
      ],
    },
    {
      name: 'media type without schema, {} and bare object schemas',
      document: doc({
        summary: 'Add',
        requestBody: { content: json() },
        responses: {
          '200': { description: 'ok', content: json({}) },
          '201': { description: 'ok', content: { 'application/hal+json': { schema: { type: 'object' } } } },
          '202': { description: 'ok', content: json({ type: 'array' }) },
        },
      }),
      errors: [
        { messageId: 'empty-schema', pointer: '/paths/~1books/post/requestBody/content/application~1json' },
        {
          messageId: 'empty-schema',
          pointer: '/paths/~1books/post/responses/200/content/application~1json/schema',
        },
        {
          messageId: 'empty-schema',
          pointer: '/paths/~1books/post/responses/201/content/application~1hal+json/schema',
        },
        {
          messageId: 'empty-schema',
          pointer: '/paths/~1books/post/responses/202/content/application~1json/schema',
        },
      ],
    },
    {
      name: 'an empty component schema is reported once where it is defined',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/a': {
            get: {
              summary: 'a',
              responses: {
                '200': { description: 'ok', content: json({ $ref: '#/components/schemas/Any' }) },
              },
            },
          },
          '/b': {
            get: {
              summary: 'b',
              responses: {
                '200': { description: 'ok', content: json({ $ref: '#/components/schemas/Any' }) },
              },
            },
          },
        },
        components: { schemas: { Any: { type: 'object', additionalProperties: true } } },
      },
      errors: [{ messageId: 'empty-schema', pointer: '/components/schemas/Any' }],
    },
    {
      name: 'Swagger 2: no description, empty response schema, body without schema',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': {
            post: {
              parameters: [{ in: 'body', name: 'b' }],
              responses: { '200': { description: 'ok', schema: {} } },
            },
          },
        },
      },
      errors: [
        { messageId: 'no-description', pointer: '/paths/~1books/post' },
        { messageId: 'empty-schema', pointer: '/paths/~1books/post/parameters/0' },
        { messageId: 'empty-schema', pointer: '/paths/~1books/post/responses/200/schema' },
      ],
    },
  ],
})
