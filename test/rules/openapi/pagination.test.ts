import rule from '../../../src/rules/openapi/pagination.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const list = { type: 'array', items: { $ref: '#/components/schemas/Book' } }
const book = { type: 'object', properties: { bookId: { type: 'string' }, title: { type: 'string' } } }
const q = (name: string, schema: object = { type: 'integer' }) => ({ name, in: 'query', schema })
const ok = (schema: object, headers?: object) => ({
  description: 'A page of books',
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
})
const doc = (get: object, path = '/books', schemas: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: { [path]: { get } },
  components: { schemas: { Book: book, ...schemas } },
})
const op = (params: object[] | undefined, schema: object = list, headers?: object) => ({
  ...(params ? { parameters: params } : {}),
  responses: { '200': ok(schema, headers) },
})

testRule(rule, {
  valid: [
    {
      name: 'limit and offset from reusable parameters',
      document: {
        ...doc(op([{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Offset' }])),
        components: { schemas: { Book: book }, parameters: { Limit: q('limit'), Offset: q('offset') } },
      },
    },
    { name: 'page and page_size', document: doc(op([q('page'), q('page_size')])) },
    { name: 'a cursor alone', document: doc(op([q('cursor', { type: 'string' })])) },
    { name: 'pageToken alone', document: doc(op([q('pageToken', { type: 'string' })])) },
    { name: 'OData $top and $skip', document: doc(op([q('$top'), q('$skip')])) },
    { name: 'JSON:API page[number] and page[size]', document: doc(op([q('page[number]'), q('page[size]')])) },
    {
      name: 'deepObject page parameter',
      document: doc(
        op([
          {
            name: 'page',
            in: 'query',
            style: 'deepObject',
            schema: {
              type: 'object',
              properties: { number: { type: 'integer' }, size: { type: 'integer' } },
            },
          },
        ]),
      ),
    },
    {
      name: 'a Link response header (RFC 8288)',
      document: doc(op(undefined, list, { link: { schema: { type: 'string' } } })),
    },
    {
      name: 'a wrapper object paginated with limit and offset',
      document: doc(op([q('limit'), q('offset')], { $ref: '#/components/schemas/BookPage' }), '/books', {
        BookPage: { type: 'object', properties: { items: list, totalCount: { type: 'integer' } } },
      }),
    },
    {
      name: 'Swagger 2 page and pageSize',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/cases': {
            get: {
              parameters: [
                { name: 'PageNumber', in: 'query', type: 'integer' },
                { name: 'page_size', in: 'query', type: 'integer' },
              ],
              responses: {
                '200': { description: 'OK', schema: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'an array without parameters',
      document: doc(op(undefined)),
      errors: [{ messageId: 'missing', pointer: '/paths/~1books/get' }],
    },
    {
      name: 'a limit without an offset or page',
      document: doc(op([q('q', { type: 'string' }), q('limit')])),
      errors: [{ messageId: 'missing', pointer: '/paths/~1books/get/parameters', line: 8 }],
    },
    {
      name: 'a wrapper made of allOf parts',
      document: doc(op([q('q', { type: 'string' })], { $ref: '#/components/schemas/BookList' }), '/books', {
        Envelope: { type: 'object', properties: { generatedAt: { type: 'string', format: 'date-time' } } },
        BookList: {
          allOf: [{ $ref: '#/components/schemas/Envelope' }, { type: 'object', properties: { books: list } }],
        },
      }),
      errors: [{ messageId: 'missing', pointer: '/paths/~1books/get/parameters' }],
    },
    {
      name: 'a HAL collection under _embedded',
      document: doc(
        op(undefined, {
          type: 'object',
          properties: {
            _links: { type: 'object' },
            _embedded: { type: 'object', properties: { books: list } },
          },
        }),
      ),
      errors: [{ messageId: 'missing', pointer: '/paths/~1books/get' }],
    },
    {
      name: 'OpenAPI 3.1 type list',
      document: doc(
        op([q('sort', { type: 'string' })], { type: ['array', 'null'], items: book }),
        '/branches/{branchId}/opening-hours',
      ),
      errors: [
        { messageId: 'missing', pointer: '/paths/~1branches~1{branchId}~1opening-hours/get/parameters' },
      ],
    },
    {
      name: 'Swagger 2 path item in another file',
      document: {
        swagger: '2.0',
        info,
        paths: { '/case_files/{id}/documents': { $ref: 'paths.yaml#/Documents' } },
      },
      files: {
        'paths.yaml': {
          Documents: {
            get: {
              parameters: [
                { name: 'id', in: 'path', required: true, type: 'integer' },
                { name: 'SortBy', in: 'query', type: 'string' },
              ],
              responses: {
                '200': { description: 'OK', schema: { type: 'array', items: { type: 'object' } } },
              },
            },
          },
        },
      },
      errors: [{ messageId: 'missing', pointer: '/Documents/get/parameters', source: 'paths.yaml' }],
    },
  ],
  notApplicable: [
    {
      name: 'only single resources and object responses',
      document: {
        ...doc(op(undefined, { $ref: '#/components/schemas/Book' }), '/books/{bookId}'),
        paths: {
          '/books/{bookId}': { get: op(undefined, list) },
          '/health': { get: op(undefined, { type: 'object', properties: { status: { type: 'string' } } }) },
          // A single resource with an array field is not a collection.
          '/app': {
            get: op(undefined, { type: 'object', properties: { name: { type: 'string' }, events: list } }),
          },
          '/loans': { post: op(undefined, list) },
        },
      },
    },
  ],
})
