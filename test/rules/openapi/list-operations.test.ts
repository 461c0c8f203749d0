import rule from '../../../src/rules/openapi/list-operations.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const op = { responses: { '200': { description: 'ok' } } }
const oas = (paths: object) => ({ openapi: '3.1.0', info, paths })

testRule(rule, {
  valid: [
    {
      name: 'collection GET beside the item GET, with other parameter names',
      document: oas({
        '/books': { get: op },
        '/books/{bookId}': { get: op },
        '/libraries/{id}/loans': { get: op },
        '/libraries/{libraryId}/loans/{loanId}/': { get: op },
        '/libraries': { get: op },
        '/libraries/{id}': { get: op },
      }),
    },
    {
      name: 'a POST /…/search or a :search custom method',
      document: oas({
        '/patients/{id}': { get: op },
        '/patients/_search': { post: op },
        '/cases/{id}': { get: op },
        '/cases:search': { get: op },
      }),
    },
    {
      name: 'Swagger 2 with a collection',
      document: { swagger: '2.0', info, paths: { '/books': { get: op }, '/books/{id}': { get: op } } },
    },
  ],
  invalid: [
    {
      name: 'only GET by id; a POST on the collection is not a list',
      document: oas({
        '/books': { post: op },
        '/books/{id}': { get: op },
        '/authors/{id}': { get: op, put: op },
      }),
      errors: [
        { messageId: 'id-only', pointer: '/paths/~1books~1{id}' },
        { messageId: 'id-only', pointer: '/paths/~1authors~1{id}' },
      ],
    },
    {
      name: 'nested resource without its collection',
      document: oas({
        '/libraries': { get: op },
        '/libraries/{id}': { get: op },
        '/libraries/{id}/loans/{loanId}': { get: op },
      }),
      errors: [{ messageId: 'id-only', pointer: '/paths/~1libraries~1{id}~1loans~1{loanId}' }],
    },
    {
      name: 'Swagger 2 id-only',
      document: { swagger: '2.0', info, paths: { '/books/{id}': { get: op } } },
      errors: [{ messageId: 'id-only', pointer: '/paths/~1books~1{id}' }],
    },
  ],
  notApplicable: [
    {
      name: 'no item paths',
      document: oas({ '/books': { get: op }, '/me': { get: op } }),
    },
    {
      name: 'item paths without GET are not read by id',
      document: oas({ '/books/{id}': { delete: op } }),
    },
  ],
})
