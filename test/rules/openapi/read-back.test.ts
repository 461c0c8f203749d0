import rule from '../../../src/rules/openapi/read-back.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object) => ({ content: { 'application/json': { schema } } })
const obj = { type: 'object', properties: { title: { type: 'string' } } }
const schemas = {
  Book: obj,
  BookInput: obj,
  NewAuthor: obj,
  Author: obj,
  Loan: obj,
  LoanPage: { type: 'object', properties: { items: { type: 'array', items: ref('Loan') } } },
  Note: obj,
  NoteView: { allOf: [ref('Note'), { type: 'object', properties: { id: { type: 'string' } } }] },
  'retention-request': obj,
  'retention-response': obj,
}
const oas = (paths: object) => ({ openapi: '3.1.0', info, paths, components: { schemas } })
const get = (schema: object) => ({ get: { responses: { '200': { description: 'ok', ...json(schema) } } } })
const write = (method: string, schema: object) => ({
  [method]: { requestBody: json(schema), responses: { '201': { description: 'ok' } } },
})

testRule(rule, {
  valid: [
    {
      name: 'kebab-case write and read forms, as in GitHub’s description',
      document: oas({
        '/retention': { ...write('put', ref('retention-request')), ...get(ref('retention-response')) },
      }),
    },
    {
      name: 'POST Book and GET Book',
      document: oas({
        '/books': { ...write('post', ref('Book')), ...get({ type: 'array', items: ref('Book') }) },
      }),
    },
    {
      name: 'BookInput written, Book read; NewAuthor written, Author read',
      document: oas({
        '/books': write('post', ref('BookInput')),
        '/books/{id}': get(ref('Book')),
        '/authors': { ...write('put', ref('NewAuthor')), ...get(ref('Author')) },
      }),
    },
    {
      name: 'read through a page envelope and through allOf',
      document: oas({
        '/loans': { ...write('post', { type: 'array', items: ref('Loan') }), ...get(ref('LoanPage')) },
        '/notes': { ...write('patch', ref('Note')), ...get(ref('NoteView')) },
      }),
    },
    {
      name: 'Swagger 2: body parameter Book, GET returns an array of Book',
      document: {
        swagger: '2.0',
        info,
        definitions: { Book: obj },
        paths: {
          '/books': {
            post: {
              parameters: [{ in: 'body', name: 'b', schema: { $ref: '#/definitions/Book' } }],
              responses: { '201': { description: 'ok' } },
            },
            get: {
              responses: {
                '200': {
                  description: 'ok',
                  schema: { type: 'array', items: { $ref: '#/definitions/Book' } },
                },
              },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'written but never returned',
      document: oas({
        '/books': write('post', ref('BookInput')),
        '/authors': { ...write('post', { type: 'array', items: ref('Author') }), ...get(ref('Loan')) },
      }),
      errors: [
        {
          messageId: 'not-readable',
          pointer: '/paths/~1books/post/requestBody/content/application~1json/schema',
        },
        {
          messageId: 'not-readable',
          pointer: '/paths/~1authors/post/requestBody/content/application~1json/schema/items',
        },
      ],
    },
    {
      name: 'only returned by a POST, not a GET',
      document: oas({
        '/books': {
          post: {
            requestBody: json(ref('Book')),
            responses: { '200': { description: 'ok', ...json(ref('Book')) } },
          },
        },
      }),
      errors: [
        {
          messageId: 'not-readable',
          pointer: '/paths/~1books/post/requestBody/content/application~1json/schema',
        },
      ],
    },
    {
      name: 'Swagger 2 definition written, a different one read',
      document: {
        swagger: '2.0',
        info,
        definitions: { Book: obj, Author: obj },
        paths: {
          '/books': {
            put: {
              parameters: [{ in: 'body', name: 'b', schema: { $ref: '#/definitions/Book' } }],
              responses: { '200': { description: 'ok' } },
            },
            get: { responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Author' } } } },
          },
        },
      },
      errors: [{ messageId: 'not-readable', pointer: '/paths/~1books/put/parameters/0/schema' }],
    },
  ],
  notApplicable: [
    {
      name: 'writes only inline schemas',
      document: oas({ '/books': write('post', obj) }),
    },
  ],
})
