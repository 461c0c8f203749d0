import rule from '../../../src/rules/openapi/http-methods.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const ok = { '200': { description: 'ok' } }
const body = { content: { 'application/json': { schema: { type: 'object' } } } }

testRule(rule, {
  valid: [
    {
      name: 'every standard method, path-item fields and an extension',
      document: {
        openapi: '3.1.0',
        info,
        paths: {
          '/books/{id}': {
            summary: 'A book',
            description: 'One book of the catalogue',
            servers: [{ url: 'https://api.example.org' }],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            'x-owner': 'catalogue',
            get: { responses: ok },
            head: { responses: ok },
            put: { requestBody: body, responses: ok },
            patch: { requestBody: body, responses: ok },
            post: { requestBody: body, responses: ok },
            delete: { responses: ok },
            options: { responses: ok },
            trace: { responses: ok },
          },
        },
      },
    },
    {
      name: 'search through POST instead of a body on GET',
      document: {
        openapi: '3.0.3',
        info,
        paths: { '/books/_search': { post: { requestBody: body, responses: ok } } },
      },
    },
    {
      name: 'Swagger 2 GET with query parameters only',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': { get: { parameters: [{ name: 'q', in: 'query', type: 'string' }], responses: ok } },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'unknown path item keys, upper-case method and the draft QUERY method',
      document: {
        openapi: '3.1.0',
        info,
        paths: {
          '/books': {
            get: { responses: ok },
            copy: { responses: ok },
            GET: { responses: ok },
            query: { responses: ok },
          },
        },
      },
      errors: [
        { messageId: 'non-standard-method', pointer: '/paths/~1books/copy' },
        { messageId: 'non-standard-method', pointer: '/paths/~1books/GET' },
        { messageId: 'non-standard-method', pointer: '/paths/~1books/query' },
      ],
    },
    {
      name: 'OpenAPI 3.2 additionalOperations',
      document: {
        openapi: '3.2.0',
        info,
        paths: {
          '/books/{id}': {
            get: { responses: ok },
            additionalOperations: {
              LINK: { responses: ok },
              PURGE: { responses: ok },
              CONNECT: { responses: ok },
            },
          },
        },
      },
      errors: [
        { messageId: 'non-standard-method', pointer: '/paths/~1books~1{id}/additionalOperations/LINK' },
        { messageId: 'non-standard-method', pointer: '/paths/~1books~1{id}/additionalOperations/PURGE' },
      ],
    },
    {
      name: 'bodies on GET, DELETE, HEAD and TRACE',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/books': {
            get: { requestBody: body, responses: ok },
            delete: { requestBody: { $ref: '#/components/requestBodies/Ids' }, responses: ok },
            head: { requestBody: body, responses: ok },
            trace: { requestBody: body, responses: ok },
            post: { requestBody: body, responses: ok },
          },
        },
        components: { requestBodies: { Ids: body } },
      },
      errors: [
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/get/requestBody' },
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/delete/requestBody' },
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/head/requestBody' },
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/trace/requestBody' },
      ],
    },
    {
      name: 'path item in another file',
      document: { openapi: '3.0.3', info, paths: { '/loans': { $ref: 'paths/loans.yaml' } } },
      files: {
        'paths/loans.yaml': { get: { requestBody: body, responses: ok }, renew: { responses: ok } },
      },
      errors: [
        { messageId: 'body-not-allowed', pointer: '/get/requestBody', source: 'paths/loans.yaml' },
        { messageId: 'non-standard-method', pointer: '/renew', source: 'paths/loans.yaml' },
      ],
    },
    {
      name: 'Swagger 2 body and formData parameters on GET and DELETE',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': {
            get: { parameters: [{ name: 'filter', in: 'body', schema: { type: 'object' } }], responses: ok },
            delete: {
              consumes: ['application/x-www-form-urlencoded'],
              parameters: [
                { name: 'id', in: 'formData', type: 'string' },
                { name: 'reason', in: 'formData', type: 'string' },
              ],
              responses: ok,
            },
          },
        },
      },
      errors: [
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/get/parameters/0' },
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/delete/parameters/0' },
        { messageId: 'body-not-allowed', pointer: '/paths/~1books/delete/parameters/1' },
      ],
    },
  ],
})
