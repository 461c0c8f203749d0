import rule from '../../../src/rules/openapi/casing-convention.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const q = (name: string) => ({ name, in: 'query', schema: { type: 'string' } })
const props = (...names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
})
const doc = (params: string[], properties: string[], extra: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: {
    '/books': {
      get: {
        parameters: params.map(q),
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Book' } } },
          },
        },
      },
    },
  },
  components: { schemas: { Book: props(...properties) } },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'camelCase names, OData options, HAL and JSON-LD keywords',
      document: doc(
        ['publishedFrom', 'limit', '$filter', '$orderby'],
        ['bookId', 'isbn', 'publishedDate', '_links', '_embedded', '@id', '@context'],
      ),
    },
    {
      name: 'path and header parameters are not checked',
      document: {
        ...doc(['q'], ['title']),
        paths: {
          '/books/{book_id}': {
            get: {
              parameters: [
                { name: 'book_id', in: 'path', required: true, schema: { type: 'string' } },
                { name: 'API-Version', in: 'header', schema: { type: 'string' } },
              ],
              responses: { '200': { description: 'OK' } },
            },
          },
        },
      },
    },
    {
      name: 'snake_case when asked for',
      document: doc(['page_size', 'offset'], ['book_id', 'published_date']),
      options: { convention: 'snake_case' },
    },
    {
      name: 'consistent snake_case with single words',
      document: doc(['page_size', 'q'], ['book_id', 'title', 'published_date']),
      options: { convention: 'consistent' },
    },
    {
      name: 'schemas kept under an extension in another file',
      document: doc([], ['title'], {
        components: { schemas: { Book: props('title'), Legacy: { $ref: 'legacy.yaml#/x-internal/Old' } } },
      }),
      files: { 'legacy.yaml': { 'x-internal': { Old: props('OLD_NAME') } } },
    },
    {
      name: 'Swagger 2 camelCase',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': {
            get: {
              parameters: [{ name: 'pageSize', in: 'query', type: 'integer' }],
              responses: { '200': { description: 'OK' } },
            },
          },
        },
        definitions: { Book: props('bookId', 'title') },
      },
    },
  ],
  invalid: [
    {
      name: 'query keys that are not lower camelCase',
      document: doc(
        [
          'lowerCamelCase',
          'kebab-case',
          '_startWithUnderscore',
          '9startWithDigit',
          'snake_case',
          'UpperCamelCase',
        ],
        ['title'],
      ),
      errors: [1, 2, 3, 4, 5].map((i) => ({
        messageId: 'query-param',
        pointer: `/paths/~1books/get/parameters/${i}/name`,
      })),
    },
    {
      name: 'property names that are not camelCase',
      document: doc([], ['bookId', 'page_count', 'Title']),
      errors: [
        { messageId: 'property', pointer: '/components/schemas/Book/properties/page_count', line: 23 },
        { messageId: 'property', pointer: '/components/schemas/Book/properties/Title' },
      ],
    },
    {
      name: 'nested and inline properties',
      document: doc([], ['address'], {
        components: {
          schemas: {
            Book: {
              type: 'object',
              properties: { address: props('street_name'), tags: { type: 'array', items: props('TagName') } },
            },
          },
        },
      }),
      errors: [
        {
          messageId: 'property',
          pointer: '/components/schemas/Book/properties/address/properties/street_name',
        },
        {
          messageId: 'property',
          pointer: '/components/schemas/Book/properties/tags/items/properties/TagName',
        },
      ],
    },
    {
      name: 'camelCase flagged when snake_case is asked for',
      document: doc(['pageSize'], ['book_id', 'publishedDate']),
      options: { convention: 'snake_case' },
      errors: [
        { messageId: 'query-param', pointer: '/paths/~1books/get/parameters/0/name' },
        { messageId: 'property', pointer: '/components/schemas/Book/properties/publishedDate' },
      ],
    },
    {
      name: 'consistent: the minority convention and unclassifiable names are flagged',
      document: doc(['page_size', 'sortBy'], ['book_id', 'published_date', 'Title']),
      options: { convention: 'consistent' },
      errors: [
        { messageId: 'query-param', pointer: '/paths/~1books/get/parameters/1/name' },
        { messageId: 'property', pointer: '/components/schemas/Book/properties/Title' },
      ],
    },
    {
      name: 'consistent: a tie goes to camelCase',
      document: doc(['pageSize'], ['book_id']),
      options: { convention: 'consistent' },
      errors: [{ messageId: 'property', pointer: '/components/schemas/Book/properties/book_id' }],
    },
    {
      name: 'Swagger 2 with definitions in another file',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/cases': {
            get: {
              parameters: [
                { name: 'PageNumber', in: 'query', type: 'integer' },
                { name: 'id', in: 'formData', type: 'string' },
              ],
              responses: { '200': { description: 'OK', schema: { $ref: 'definitions.json#/Case' } } },
            },
          },
        },
      },
      files: { 'definitions.json': { Case: props('caseId', 'case_title') } },
      errors: [
        { messageId: 'query-param', pointer: '/paths/~1cases/get/parameters/0/name' },
        { messageId: 'property', pointer: '/Case/properties/case_title', source: 'definitions.json' },
      ],
    },
    {
      name: 'a YAML alias: the properties it repeats are judged at each place',
      document: [
        'openapi: 3.0.3',
        'info: {title: T, version: "1"}',
        'paths: {}',
        'components:',
        '  schemas:',
        '    A:',
        '      type: object',
        '      properties:',
        '        inner: &shared',
        '          type: object',
        '          properties:',
        '            Bad_Name: {type: string}',
        '    B:',
        '      type: object',
        '      properties:',
        '        inner: *shared',
        '',
      ].join('\n'),
      errors: [
        {
          messageId: 'property',
          pointer: '/components/schemas/A/properties/inner/properties/Bad_Name',
          line: 12,
        },
        {
          messageId: 'property',
          pointer: '/components/schemas/B/properties/inner/properties/Bad_Name',
          line: 12,
        },
      ],
    },
  ],
})
