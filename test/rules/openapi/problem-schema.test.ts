import rule from '../../../src/rules/openapi/problem-schema.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const fullProblem = {
  type: 'object',
  properties: {
    type: { type: 'string', format: 'uri-reference', default: 'about:blank' },
    title: { type: 'string' },
    status: { type: 'integer', format: 'int32', minimum: 100, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', format: 'uri-reference' },
  },
}
const doc = (problemSchema: object | undefined, extra: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: {
    '/books/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
          '404': {
            description: 'not found',
            content: { 'application/problem+json': problemSchema ? { schema: problemSchema } : {} },
          },
        },
      },
    },
  },
  ...extra,
})
const swagger = (produces: string[], problem: object) => ({
  swagger: '2.0',
  info,
  produces,
  paths: {
    '/books': {
      get: {
        responses: {
          '200': { description: 'ok', schema: { type: 'array', items: { type: 'object' } } },
          '400': { description: 'bad', schema: { $ref: '#/definitions/Problem' } },
          '500': { description: 'fail', schema: { $ref: '#/definitions/Problem' } },
        },
      },
    },
  },
  definitions: { Problem: problem },
})

testRule(rule, {
  valid: [
    { name: 'inline schema with all five members', document: doc(fullProblem) },
    {
      name: 'allOf of a Problem schema in another file plus an extension member',
      document: doc({
        allOf: [
          { $ref: 'schemas/problem.yaml#/Problem' },
          { type: 'object', properties: { invalidParams: { type: 'array', items: { type: 'object' } } } },
        ],
      }),
      files: { 'schemas/problem.yaml': { Problem: fullProblem } },
    },
    {
      name: 'nullable status in OpenAPI 3.1 still an integer',
      document: doc({
        type: 'object',
        properties: { ...fullProblem.properties, status: { type: ['integer', 'null'] } },
      }),
    },
    {
      name: 'option: only status, title and detail required (NL ADR minimum)',
      document: doc({
        type: 'object',
        properties: { status: { type: 'integer' }, title: { type: 'string' }, detail: { type: 'string' } },
      }),
      options: { required: ['status', 'title', 'detail'] },
    },
    {
      name: 'problem body in a shared component response',
      document: doc(undefined, {
        paths: {},
        components: {
          responses: {
            Problem: {
              description: 'error',
              content: { 'application/problem+xml': { schema: fullProblem } },
            },
          },
        },
      }),
    },
    {
      name: 'Swagger 2 producing problem+json with a complete Problem definition',
      document: swagger(['application/json', 'application/problem+json'], fullProblem),
    },
  ],
  invalid: [
    {
      name: 'schema without detail and instance',
      document: doc({
        type: 'object',
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' } },
      }),
      errors: [
        {
          messageId: 'missing',
          pointer: '/paths/~1books~1{id}/get/responses/404/content/application~1problem+json/schema',
        },
      ],
    },
    {
      name: 'status as a string and type as an integer',
      document: doc({
        type: 'object',
        properties: { ...fullProblem.properties, status: { type: 'string' }, type: { type: 'integer' } },
      }),
      errors: [
        {
          messageId: 'wrong-type',
          pointer:
            '/paths/~1books~1{id}/get/responses/404/content/application~1problem+json/schema/properties/status/type',
        },
        {
          messageId: 'wrong-type',
          pointer:
            '/paths/~1books~1{id}/get/responses/404/content/application~1problem+json/schema/properties/type/type',
        },
      ],
    },
    {
      name: 'problem+json without a schema',
      document: doc(undefined),
      errors: [
        {
          messageId: 'no-schema',
          pointer: '/paths/~1books~1{id}/get/responses/404/content/application~1problem+json',
        },
      ],
    },
    {
      name: 'shared Problem schema in another file lacks instance, reported once in that file',
      document: doc(
        { $ref: 'schemas/problem.yaml#/Problem' },
        {
          components: {
            responses: {
              Error: {
                description: 'e',
                content: {
                  'application/problem+json': { schema: { $ref: 'schemas/problem.yaml#/Problem' } },
                },
              },
            },
          },
        },
      ),
      files: {
        'schemas/problem.yaml': {
          Problem: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              title: { type: 'string' },
              status: { type: 'number' },
              detail: { type: 'string' },
            },
          },
        },
      },
      errors: [
        { messageId: 'missing', pointer: '/Problem', source: 'schemas/problem.yaml', line: 2 },
        {
          messageId: 'wrong-type',
          pointer: '/Problem/properties/status/type',
          source: 'schemas/problem.yaml',
        },
      ],
    },
    {
      name: 'member typed wrongly through allOf',
      document: doc(
        {
          allOf: [
            { $ref: '#/components/schemas/Base' },
            { type: 'object', properties: { detail: { type: 'string' }, instance: { type: 'string' } } },
          ],
        },
        {
          components: {
            schemas: {
              Base: {
                type: 'object',
                properties: {
                  type: { type: 'string' },
                  title: { type: 'string' },
                  status: { allOf: [{ $ref: '#/components/schemas/StatusText' }] },
                },
              },
              StatusText: { type: 'string' },
            },
          },
        },
      ),
      errors: [{ messageId: 'wrong-type', pointer: '/components/schemas/StatusText/type' }],
    },
    {
      name: 'option: extra required member',
      document: doc(fullProblem),
      options: { required: ['type', 'title', 'status', 'detail', 'instance', 'code'] },
      errors: [{ messageId: 'missing' }],
    },
    {
      name: 'Swagger 2 error responses with an incomplete Problem definition',
      document: swagger(['application/problem+json'], {
        type: 'object',
        properties: { title: { type: 'string' }, status: { type: 'integer' } },
      }),
      errors: [{ messageId: 'missing', pointer: '/definitions/Problem' }],
    },
  ],
  notApplicable: [
    {
      name: 'no problem details bodies',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/a': { get: { responses: { '200': { description: 'ok' }, '404': { description: 'nf' } } } },
        },
      },
    },
    {
      name: 'Swagger 2 that does not produce problem+json',
      document: swagger(['application/json'], {
        type: 'object',
        properties: { message: { type: 'string' } },
      }),
    },
  ],
})
