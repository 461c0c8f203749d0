import { describe, expect, it } from 'vitest'
import rule from '../../../src/rules/openapi/examples-valid.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const book = {
  type: 'object',
  required: ['id', 'title'],
  properties: {
    id: { type: 'integer', format: 'int32' },
    title: { type: 'string' },
    published: { type: 'string', format: 'date', nullable: true },
  },
}
const json = (media: object) => ({ 'application/json': media })
/** OpenAPI 3.0 with one GET /books/{id} whose 200 response has the given content. */
const oas30 = (content: object, components: object = {}, extra: object = {}) => ({
  openapi: '3.0.3',
  info,
  paths: { '/books/{id}': { get: { responses: { '200': { description: 'ok', content } }, ...extra } } },
  components: { schemas: { Book: book }, ...components },
})
const oas31 = (content: object, components: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: { '/books': { get: { responses: { '200': { description: 'ok', content } } } } },
  components,
})
const swagger = (response: object, definitions: object = {}) => ({
  swagger: '2.0',
  info,
  produces: ['application/json'],
  paths: { '/books': { get: { responses: { '200': { description: 'ok', ...response } } } } },
  definitions,
})
const ref = { $ref: '#/components/schemas/Book' }
const tree = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
  },
}
const MEDIA = '/paths/~1books~1{id}/get/responses/200/content/application~1json'

testRule(rule, {
  valid: [
    {
      name: 'media example through a $ref, null allowed by nullable',
      document: oas30(json({ schema: ref, example: { id: 1, title: 'Dune', published: null } })),
    },
    {
      name: 'named examples, one a $ref, externalValue not fetched',
      document: oas30(
        json({
          schema: ref,
          examples: {
            a: { value: { id: 2, title: 'Emma', published: '1815-12-23' } },
            b: { $ref: '#/components/examples/Book' },
            c: { externalValue: 'https://example.com/book.json' },
          },
        }),
        { examples: { Book: { value: { id: 3, title: 'Ulysses' } } } },
      ),
    },
    {
      name: 'recursive schema',
      document: oas30(
        json({
          schema: { $ref: '#/components/schemas/Tree' },
          example: { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] },
        }),
        {
          schemas: { Tree: tree },
        },
      ),
    },
    {
      name: 'schema in another file with a ref back',
      document: oas30(
        json({ schema: { $ref: 'schemas.yaml#/Shelf' }, example: { books: [{ id: 1, title: 'x' }] } }),
      ),
      files: {
        'schemas.yaml': {
          Shelf: {
            type: 'object',
            properties: {
              books: { type: 'array', items: { $ref: 'openapi.yaml#/components/schemas/Book' } },
            },
          },
        },
      },
    },
    {
      name: 'OpenAPI 3.0 keywords: boolean exclusiveMinimum, nullable allOf, non-Unicode pattern',
      document: oas30(
        json({
          schema: {
            type: 'object',
            properties: {
              price: { type: 'number', minimum: 0, exclusiveMinimum: true },
              book: { nullable: true, allOf: [ref] },
              code: { type: 'string', pattern: '^[\\w-\\.]+$' },
              kind: { type: 'string', enum: ['a', 'b'], nullable: true },
            },
            discriminator: { propertyName: 'kind' },
          },
          example: { price: 0.5, book: null, code: 'a-b.c', kind: null },
        }),
      ),
    },
    {
      name: 'XML example written as a string',
      document: oas30({ 'application/xml': { schema: ref, example: '<book><id>1</id></book>' } }),
    },
    {
      name: 'serialized array parameter example',
      document: oas30(
        json({ schema: ref }),
        {},
        {
          parameters: [
            {
              name: 'ids',
              in: 'query',
              style: 'form',
              explode: false,
              schema: { type: 'array', items: { type: 'integer' } },
              example: '1,2',
            },
          ],
        },
      ),
    },
    {
      name: 'OpenAPI 3.1 type arrays and schema examples',
      document: oas31(json({ schema: { type: ['string', 'null'], examples: ['a', null] }, example: null })),
    },
    {
      name: 'Swagger 2 response examples and definition example',
      document: swagger(
        { schema: { $ref: '#/definitions/Book' }, examples: { 'application/json': { id: 1, title: 'x' } } },
        {
          Book: {
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'integer' },
              n: { type: 'integer', 'x-nullable': true, example: null },
            },
          },
        },
      ),
    },
    {
      name: 'readOnly required property left out of a request, writeOnly out of a response',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/users': {
            post: {
              requestBody: {
                content: json({
                  schema: { $ref: '#/components/schemas/User' },
                  example: { name: 'a', password: 'p' },
                }),
              },
              responses: {
                '201': {
                  description: 'ok',
                  content: json({
                    schema: { $ref: '#/components/schemas/User' },
                    example: { id: 1, name: 'a' },
                  }),
                },
              },
            },
          },
        },
        components: {
          schemas: {
            User: {
              type: 'object',
              required: ['id', 'name', 'password'],
              properties: {
                id: { $ref: '#/components/schemas/Id' },
                name: { type: 'string' },
                password: { type: 'string', writeOnly: true },
              },
            },
            Id: { type: 'integer', readOnly: true },
          },
        },
      },
    },
    {
      name: 'unknown format is ignored',
      document: oas30(json({ schema: { type: 'string', format: 'phone-number' }, example: 'call me' })),
    },
  ],
  invalid: [
    {
      name: 'media example of the wrong shape',
      document: oas30(json({ schema: ref, example: { id: 'one', title: 'Dune' } })),
      errors: [{ messageId: 'invalid', pointer: `${MEDIA}/example` }],
    },
    {
      name: 'named example in components points at the component',
      document: oas30(json({ schema: ref, examples: { a: { $ref: '#/components/examples/Bad' } } }), {
        examples: { Bad: { value: { id: 1 } } },
      }),
      errors: [{ messageId: 'invalid', pointer: '/components/examples/Bad/value' }],
    },
    {
      name: 'error deep in a recursive schema',
      document: oas30(
        json({
          schema: { $ref: '#/components/schemas/Tree' },
          example: { name: 'a', children: [{ children: [] }] },
        }),
        {
          schemas: { Tree: tree },
        },
      ),
      errors: [{ messageId: 'invalid', pointer: `${MEDIA}/example` }],
    },
    {
      name: 'example in another file',
      document: oas30(json({ schema: ref, examples: { a: { $ref: 'examples.yaml#/BadBook' } } })),
      files: { 'examples.yaml': { BadBook: { value: { id: 1, title: 'x', published: 'yesterday' } } } },
      errors: [{ messageId: 'invalid', pointer: '/BadBook/value', source: 'examples.yaml', line: 3 }],
    },
    {
      name: 'int32 out of range and additional property',
      document: oas30(
        json({
          schema: { ...book, additionalProperties: false },
          example: { id: 2 ** 40, title: 't', extra: 1 },
        }),
      ),
      errors: [{ messageId: 'invalid', pointer: `${MEDIA}/example` }],
    },
    {
      name: 'parameter example',
      document: oas30(
        json({ schema: ref }),
        {},
        {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, example: 0 },
          ],
        },
      ),
      errors: [{ messageId: 'invalid', pointer: '/paths/~1books~1{id}/get/parameters/0/example' }],
    },
    {
      name: 'parameter examples map',
      document: oas30(
        json({ schema: ref }),
        {},
        {
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'integer' },
              examples: { a: { value: 'x' } },
            },
          ],
        },
      ),
      errors: [{ messageId: 'invalid', pointer: '/paths/~1books~1{id}/get/parameters/0/examples/a/value' }],
    },
    {
      name: 'response header example',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/a': {
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  headers: { 'Retry-After': { schema: { type: 'integer' }, example: 'soon' } },
                },
              },
            },
          },
        },
      },
      errors: [{ messageId: 'invalid', pointer: '/paths/~1a/get/responses/200/headers/Retry-After/example' }],
    },
    {
      name: 'schema example of a property',
      document: oas30(json({ schema: ref }), {
        schemas: {
          Book: {
            ...book,
            properties: {
              ...book.properties,
              published: { type: 'string', format: 'date', example: '12/23/1815' },
            },
          },
        },
      }),
      errors: [{ messageId: 'invalid', pointer: '/components/schemas/Book/properties/published/example' }],
    },
    {
      name: 'OpenAPI 3.1 schema examples array',
      document: oas31(json({ schema: { $ref: '#/components/schemas/Id' } }), {
        schemas: {
          Id: { type: 'string', format: 'uuid', examples: ['9b2f7a4e-4d0e-4c5e-9a3c-1f2e3d4c5b6a', 'nope'] },
        },
      }),
      errors: [{ messageId: 'invalid', pointer: '/components/schemas/Id/examples/1' }],
    },
    {
      name: 'OpenAPI 3.1: nullable is no keyword, $ref siblings apply',
      document: oas31(
        json({ schema: { $ref: '#/components/schemas/Name', maxLength: 3 }, example: 'long' }),
        {
          schemas: { Name: { type: 'string', nullable: true, example: null } },
        },
      ),
      errors: [
        {
          messageId: 'invalid',
          pointer: '/paths/~1books/get/responses/200/content/application~1json/example',
        },
        { messageId: 'invalid', pointer: '/components/schemas/Name/example' },
      ],
    },
    {
      name: 'readOnly required property left out of a response',
      document: oas30(
        json({
          schema: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'integer', readOnly: true } },
          },
          example: {},
        }),
      ),
      errors: [{ messageId: 'invalid', pointer: `${MEDIA}/example` }],
    },
    {
      name: 'Swagger 2 response example',
      document: swagger(
        { schema: { $ref: '#/definitions/Book' }, examples: { 'application/json': { title: 'x' } } },
        { Book: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } },
      ),
      errors: [
        { messageId: 'invalid', pointer: '/paths/~1books/get/responses/200/examples/application~1json' },
      ],
    },
    {
      name: 'Swagger 2 definition example',
      document: swagger(
        {},
        { Book: { type: 'object', properties: { id: { type: 'integer', example: 'x' } } } },
      ),
      errors: [{ messageId: 'invalid', pointer: '/definitions/Book/properties/id/example' }],
    },
    {
      name: 'schema ajv cannot compile, reported once',
      document: oas30(
        {
          'application/json': { schema: { $ref: '#/components/schemas/Bad' }, example: 'a' },
          'application/problem+json': { schema: { $ref: '#/components/schemas/Bad' }, example: 'b' },
        },
        { schemas: { Bad: { type: 'string', pattern: '([a-z' } } },
      ),
      errors: [{ messageId: 'schema-invalid', pointer: '/components/schemas/Bad' }],
    },
  ],
  notApplicable: [
    { name: 'no examples at all', document: oas30(json({ schema: ref })) },
    { name: 'Swagger 2 without examples', document: swagger({ schema: { type: 'string' } }) },
  ],
})

describe('rule examples-valid: messages', () => {
  it('names the first errors with their paths', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'm',
      document: oas30(
        json({
          schema: { ...book, additionalProperties: false },
          examples: { dune: { value: { id: 'one', published: 5, by: 'F. H.' } } },
        }),
      ),
    })
    expect(outcome.findings.map((f) => f.message)).toEqual([
      'Example "dune" does not match its schema: ' +
        "(root) must have required property 'title'; (root) has the property 'by', which the schema does not allow; " +
        '/id must be integer (and 1 more).',
    ])
  })
})

describe('rule examples-valid: untrusted schemas', () => {
  it('takes a member named __proto__ for no keyword (as JSON.parse makes it)', async () => {
    // A schema copied member by member took such a member for its prototype, and its minLength with it.
    const schema = JSON.parse('{"type":"string","__proto__":{"minLength":5}}') as object
    const outcome = await runRuleCase(rule, { name: 'p', document: oas30(json({ schema, example: 'ab' })) })
    expect(outcome.findings).toEqual([])
    const short = await runRuleCase(rule, {
      name: 'q',
      document: oas30(json({ schema: { type: 'string', minLength: 5 }, example: 'ab' })),
    })
    expect(short.findings).toHaveLength(1)
  })
})
