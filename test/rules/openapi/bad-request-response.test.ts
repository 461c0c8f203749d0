import rule from '../../../src/rules/openapi/bad-request-response.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const ok = { description: 'ok' }
const bad = {
  description: 'bad request',
  content: { 'application/problem+json': { schema: { type: 'object' } } },
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const body = { required: true, content: { 'application/json': { schema: { type: 'object' } } } }
const doc = (paths: object) => ({ openapi: '3.0.3', info, paths })

testRule(rule, {
  valid: [
    {
      name: 'GET with a path parameter and POST with a body both declare 400',
      document: doc({
        '/books': {
          get: { responses: { '200': ok } },
          post: { requestBody: body, responses: { '201': ok, '400': bad } },
        },
        '/books/{id}': { get: { parameters: [idParam], responses: { '200': ok, '400': bad } } },
      }),
    },
    {
      name: 'a 4XX range covers bad input',
      document: doc({ '/books': { put: { requestBody: body, responses: { '204': ok, '4XX': bad } } } }),
    },
    {
      name: 'shared 400 response from another file',
      document: doc({
        '/books/{id}': {
          delete: {
            parameters: [idParam],
            responses: { '204': ok, '400': { $ref: 'responses.yaml#/BadRequest' } },
          },
        },
      }),
      files: { 'responses.yaml': { BadRequest: bad } },
    },
    {
      name: 'Swagger 2 body parameter with 400',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': {
            post: {
              parameters: [{ name: 'book', in: 'body', required: true, schema: { type: 'object' } }],
              responses: { '201': ok, '400': { description: 'bad' } },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'query parameter with only a default response',
      document: doc({
        '/books': {
          get: {
            parameters: [{ name: 'author', in: 'query', schema: { type: 'string' } }],
            responses: { '200': ok, default: bad },
          },
        },
      }),
      errors: [{ messageId: 'missing', pointer: '/paths/~1books/get/responses' }],
    },
    {
      name: 'path-item parameters apply to every operation',
      document: doc({
        '/books/{id}': {
          parameters: [idParam],
          get: { responses: { '200': ok, '404': bad } },
          delete: { responses: { '204': ok, '400': bad } },
          patch: { requestBody: body, responses: { '200': ok, '500': bad } },
        },
      }),
      errors: [
        { messageId: 'missing', pointer: '/paths/~1books~1{id}/get/responses' },
        { messageId: 'missing', pointer: '/paths/~1books~1{id}/patch/responses' },
      ],
    },
    {
      name: 'request body without parameters, header parameter counts too',
      document: doc({
        '/loans': {
          post: { requestBody: body, responses: { '201': ok } },
          get: {
            parameters: [{ name: 'Accept-Language', in: 'header', schema: { type: 'string' } }],
            responses: { '200': ok },
          },
        },
      }),
      errors: [
        { messageId: 'missing', pointer: '/paths/~1loans/post/responses' },
        { messageId: 'missing', pointer: '/paths/~1loans/get/responses' },
      ],
    },
    {
      name: 'path item in another file',
      document: doc({ '/books/{id}': { $ref: 'paths/book.yaml' } }),
      files: {
        'paths/book.yaml': { get: { parameters: [idParam], responses: { '200': ok, '404': bad } } },
      },
      errors: [{ messageId: 'missing', pointer: '/get/responses', source: 'paths/book.yaml', line: 9 }],
    },
    {
      name: 'Swagger 2 formData upload without 400',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/covers': {
            post: {
              consumes: ['multipart/form-data'],
              parameters: [{ name: 'file', in: 'formData', type: 'file' }],
              responses: { '201': ok },
            },
          },
        },
      },
      errors: [{ messageId: 'missing', pointer: '/paths/~1covers/post/responses' }],
    },
  ],
  notApplicable: [
    {
      name: 'only parameterless reads',
      document: doc({
        '/books': { get: { responses: { '200': ok } } },
        '/health': { get: { responses: { '200': ok } } },
      }),
    },
  ],
})
