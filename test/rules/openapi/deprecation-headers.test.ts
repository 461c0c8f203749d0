import rule from '../../../src/rules/openapi/deprecation-headers.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const header = { schema: { type: 'string' } }
const doc = (paths: object, extra: object = {}) => ({ openapi: '3.1.0', info, paths, ...extra })
const ok = (headers?: object) => ({ description: 'ok', ...(headers ? { headers } : {}) })

testRule(rule, {
  valid: [
    {
      name: 'a deprecated operation sends Deprecation and Sunset',
      document: doc({
        '/books': {
          get: {
            deprecated: true,
            responses: { '200': ok({ Deprecation: header, Sunset: header }), '404': { description: 'nf' } },
          },
        },
      }),
    },
    {
      name: 'Sunset alone, case-insensitive, on every 2xx',
      document: doc({
        '/books': {
          post: {
            deprecated: true,
            responses: { '201': ok({ sunset: header }), '202': ok({ SUNSET: header }) },
          },
        },
      }),
    },
    {
      name: 'deprecated parameters and schemas need no header',
      document: doc({
        '/books': {
          get: {
            parameters: [{ name: 'isbn10', in: 'query', deprecated: true, schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { shelf: { type: 'string', deprecated: true } } },
                  },
                },
              },
            },
          },
        },
      }),
    },
    {
      name: 'Swagger 2 deprecated operation with a Deprecation header; x-deprecated on a parameter is its only way',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/cases': {
            get: {
              deprecated: true,
              parameters: [{ name: 'q', in: 'query', type: 'string', 'x-deprecated': true }],
              responses: { '200': { description: 'ok', headers: { Deprecation: { type: 'string' } } } },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'a deprecated operation without the headers',
      document: doc({
        '/books': {
          get: { deprecated: true, responses: { '200': ok(), '204': ok({ Deprecation: header }) } },
        },
      }),
      errors: [{ messageId: 'undocumented-headers', pointer: '/paths/~1books/get/deprecated' }],
    },
    {
      name: 'only error responses',
      document: doc({
        '/books': { delete: { deprecated: true, responses: { '404': { description: 'nf' } } } },
      }),
      errors: [{ messageId: 'undocumented-headers', pointer: '/paths/~1books/delete/deprecated' }],
    },
    {
      name: 'x-deprecated on an operation, a parameter, a property and a header',
      document: doc({
        '/books': {
          get: {
            'x-deprecated': true,
            parameters: [{ name: 'isbn10', in: 'query', 'x-deprecated': true, schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'ok',
                headers: { Deprecation: header, 'Old-Etag': { ...header, 'x-deprecated': true } },
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: { shelf: { type: 'string', 'x-deprecated': true } },
                    },
                  },
                },
              },
            },
          },
        },
      }),
      errors: [
        { messageId: 'non-standard-marker', pointer: '/paths/~1books/get/x-deprecated' },
        { messageId: 'non-standard-marker', pointer: '/paths/~1books/get/parameters/0/x-deprecated' },
        {
          messageId: 'non-standard-marker',
          pointer:
            '/paths/~1books/get/responses/200/content/application~1json/schema/properties/shelf/x-deprecated',
        },
        {
          messageId: 'non-standard-marker',
          pointer: '/paths/~1books/get/responses/200/headers/Old-Etag/x-deprecated',
        },
      ],
    },
    {
      name: 'an operation marked only with x-deprecated still needs the header',
      document: doc({ '/books': { get: { 'x-deprecated': true, responses: { '200': ok() } } } }),
      errors: [
        { messageId: 'non-standard-marker', pointer: '/paths/~1books/get/x-deprecated' },
        { messageId: 'undocumented-headers', pointer: '/paths/~1books/get/x-deprecated' },
      ],
    },
    {
      name: 'Swagger 2 deprecated operation without headers',
      document: {
        swagger: '2.0',
        info,
        paths: { '/cases': { get: { deprecated: true, responses: { '200': { description: 'ok' } } } } },
      },
      errors: [{ messageId: 'undocumented-headers', pointer: '/paths/~1cases/get/deprecated' }],
    },
  ],
  notApplicable: [
    { name: 'nothing is deprecated', document: doc({ '/books': { get: { responses: { '200': ok() } } } }) },
    {
      name: 'deprecated: false',
      document: doc({ '/books': { get: { deprecated: false, responses: { '200': ok() } } } }),
    },
  ],
})
