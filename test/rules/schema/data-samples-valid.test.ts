import rule from '../../../src/rules/schema/data-samples-valid.js'
import { testRule } from '../../../src/testing/vitest.js'

const service = { name: 'Open Loans', vendor: 'Bokslut AB' }
const manifest = (...schemas: object[]) => ({ service, dataFormats: { schemas } })
const D04 = 'http://json-schema.org/draft-04/schema#'
const D06 = 'http://json-schema.org/draft-06/schema#'
const D07 = 'http://json-schema.org/draft-07/schema#'
const D2019 = 'https://json-schema.org/draft/2019-09/schema'
const D2020 = 'https://json-schema.org/draft/2020-12/schema'

/** draft-04: a boolean exclusiveMaximum modifies maximum. */
const rating04 = {
  $schema: D04,
  type: 'object',
  required: ['score'],
  properties: { score: { type: 'number', maximum: 10, exclusiveMaximum: true } },
}
/** 2020-12: prefixItems describes a tuple. */
const point2020 = {
  $schema: D2020,
  type: 'array',
  prefixItems: [{ type: 'number' }, { type: 'number' }],
  items: false,
}
const person07 = {
  $schema: D07,
  type: 'object',
  required: ['email', 'born'],
  properties: { email: { type: 'string', format: 'email' }, born: { type: 'string', format: 'date' } },
}

testRule(rule, {
  valid: [
    {
      name: 'draft-04, draft-06, draft-07, 2019-09 and 2020-12 schemas with valid samples',
      manifest: manifest(
        { schema: 'rating.json', samples: ['rating-1.json'] },
        { schema: 'size.json', samples: ['size-1.json'] },
        { schema: 'person.json', samples: ['person-1.yaml'] },
        { schema: 'tags.json', samples: ['tags-1.json'] },
        { schema: 'point.json', samples: ['point-1.json'] },
      ),
      files: {
        'rating.json': rating04,
        'rating-1.json': { score: 9.5 },
        'size.json': { $schema: D06, type: 'integer', exclusiveMaximum: 100 },
        'size-1.json': '99',
        'person.json': person07,
        'person-1.yaml': { email: 'anna@example.se', born: '1984-02-29' },
        'tags.json': {
          $schema: D2019,
          type: 'array',
          items: { type: 'string' },
          maxContains: 2,
          contains: { const: 'x' },
        },
        'tags-1.json': ['x', 'y'],
        'point.json': point2020,
        'point-1.json': [18.07, 59.33],
      },
    },
    {
      name: 'a $ref to another listed schema, by file and by $id; no $schema means 2020-12',
      manifest: manifest(
        { schema: 'schemas/loan.json', samples: ['loan-1.json'] },
        { schema: 'schemas/book.json', samples: ['book-1.json'] },
        { schema: 'schemas/member.json', samples: ['member-1.json'] },
      ),
      files: {
        'schemas/loan.json': {
          type: 'object',
          properties: {
            book: { $ref: 'book.json' },
            member: { $ref: 'https://bokslut.example/schemas/member' },
            dates: { type: 'array', prefixItems: [{ type: 'string', format: 'date' }] },
          },
        },
        'schemas/book.json': { type: 'object', required: ['isbn'], properties: { isbn: { type: 'string' } } },
        'schemas/member.json': { $id: 'https://bokslut.example/schemas/member', type: 'string' },
        'loan-1.json': { book: { isbn: '978-91-0-012345-6' }, member: 'm-1', dates: ['2024-01-31'] },
        'book-1.json': { isbn: '978-91-0-012345-6' },
        'member-1.json': '"m-1"',
      },
    },
  ],
  invalid: [
    {
      name: 'draft-04: the exclusive maximum is excluded',
      manifest: manifest({ schema: 'rating.json', samples: ['rating-1.json', 'rating-2.json'] }),
      files: { 'rating.json': rating04, 'rating-1.json': { score: 10 }, 'rating-2.json': { score: 3 } },
      errors: [{ messageId: 'invalid-sample', pointer: '', source: 'rating-1.json' }],
    },
    {
      name: 'draft-07: a boolean exclusiveMaximum is not a valid schema',
      manifest: manifest({ schema: 'rating.json', samples: ['rating-1.json'] }),
      files: { 'rating.json': { ...rating04, $schema: D07 }, 'rating-1.json': { score: 3 } },
      errors: [{ messageId: 'invalid-schema', pointer: '', source: 'rating.json' }],
    },
    {
      name: '2020-12: a tuple with a wrong member and an extra item',
      manifest: manifest({ schema: 'point.json', samples: ['point-1.json'] }),
      files: { 'point.json': point2020, 'point-1.json': ['north', 59.33, 0] },
      errors: [{ messageId: 'invalid-sample', source: 'point-1.json' }],
    },
    {
      name: 'draft-07 formats: an e-mail address and a date that are not',
      manifest: manifest({ schema: 'person.json', samples: ['p-1.json', 'p-2.json'] }),
      files: {
        'person.json': person07,
        'p-1.json': { email: 'anna-at-example.se', born: '1984-02-29' },
        'p-2.json': { email: 'anna@example.se', born: '1983-02-29' },
      },
      errors: [
        { messageId: 'invalid-sample', source: 'p-1.json' },
        { messageId: 'invalid-sample', source: 'p-2.json' },
      ],
    },
    {
      name: 'remote and unlisted $refs are not fetched',
      manifest: manifest(
        { schema: 'remote.json', samples: ['r-1.json'] },
        { schema: 'local.json', samples: ['r-1.json'] },
      ),
      files: {
        'remote.json': { $schema: D07, $ref: 'https://schemas.example/address.json' },
        'local.json': { properties: { a: { $ref: 'unlisted.json' } } },
        'unlisted.json': { type: 'string' },
        'r-1.json': { a: 'x' },
      },
      errors: [
        { messageId: 'invalid-schema', source: 'remote.json' },
        { messageId: 'invalid-schema', source: 'local.json' },
      ],
    },
    {
      name: 'an unsupported draft and a schema that is not one',
      manifest: manifest(
        { schema: 'old.json', samples: ['s.json'] },
        { schema: 'bad.json', samples: ['s.json'] },
      ),
      files: {
        'old.json': { $schema: 'http://json-schema.org/draft-03/schema#', type: 'object' },
        'bad.json': { type: 'text' },
        's.json': {},
      },
      errors: [
        { messageId: 'invalid-schema', source: 'old.json' },
        { messageId: 'invalid-schema', source: 'bad.json' },
      ],
    },
    {
      name: 'a schema without samples',
      manifest: manifest({ name: 'Book', schema: 'book.json' }),
      files: { 'book.json': { type: 'object' } },
      errors: [{ messageId: 'no-samples', pointer: '/dataFormats/schemas/0', source: 'interop.yaml' }],
    },
  ],
  notChecked: [
    { name: 'a manifest without data format schemas', manifest: { service } },
    {
      name: 'a plain OpenAPI description',
      document: { openapi: '3.1.0', info: { title: 't', version: '1.0.0' }, paths: {} },
    },
  ],
})
