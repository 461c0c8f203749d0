import rule from '../../../src/rules/openapi/trace-context.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const ok = { responses: { '200': { description: 'OK' } } }
const h = (name: string) => ({ name, in: 'header', schema: { type: 'string' } })
const tp = { $ref: '#/components/parameters/Traceparent' }
const components = { parameters: { Traceparent: h('traceparent') } }
const withParams = (...parameters: object[]) => ({ parameters, ...ok })

testRule(rule, {
  valid: [
    {
      name: 'path-level reusable traceparent parameter',
      document: {
        openapi: '3.1.0',
        info,
        paths: {
          '/books': { parameters: [tp], get: ok, post: ok },
          '/books/{bookId}': {
            get: withParams(tp, { name: 'bookId', in: 'path', required: true, schema: { type: 'string' } }),
          },
        },
        components,
      },
    },
    {
      name: 'header names are case-insensitive; OPTIONS is not counted',
      document: {
        openapi: '3.0.3',
        info,
        paths: { '/books': { get: withParams(h('Traceparent')), options: ok } },
      },
    },
    {
      name: 'a correlation header next to traceparent',
      document: {
        openapi: '3.0.3',
        info,
        paths: { '/books': { get: withParams(tp, h('X-Request-Id')) } },
        components,
      },
    },
    {
      name: 'Swagger 2 with path items in another file',
      document: {
        swagger: '2.0',
        info,
        parameters: { Traceparent: { name: 'traceparent', in: 'header', type: 'string' } },
        paths: { '/cases': { $ref: 'paths.yaml#/Cases' } },
      },
      files: {
        'paths.yaml': {
          Cases: { get: { parameters: [{ $ref: 'openapi.yaml#/parameters/Traceparent' }], ...ok } },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'no operation accepts traceparent',
      document: { openapi: '3.1.0', info, paths: { '/books': { get: ok, post: ok } } },
      errors: [{ messageId: 'missing', pointer: '/paths', line: 5 }],
    },
    {
      name: 'some operations lack traceparent',
      document: {
        openapi: '3.1.0',
        info,
        paths: { '/books': { get: withParams(tp), post: ok }, '/loans': { get: withParams(tp), delete: ok } },
        components,
      },
      errors: [
        { messageId: 'inconsistent', pointer: '/paths/~1books/post' },
        { messageId: 'inconsistent', pointer: '/paths/~1loans/delete' },
      ],
    },
    {
      name: 'proprietary correlation headers, once per name',
      document: {
        openapi: '3.1.0',
        info,
        paths: {
          '/books': { get: withParams(h('X-Correlation-ID')), post: withParams(h('x-correlation-id')) },
          '/loans': { get: withParams(h('Request-Id')) },
        },
      },
      errors: [
        { messageId: 'proprietary-correlation', pointer: '/paths/~1books/get/parameters/0/name' },
        { messageId: 'proprietary-correlation', pointer: '/paths/~1loans/get/parameters/0/name' },
        { messageId: 'missing', pointer: '/paths' },
      ],
    },
    {
      name: 'Swagger 2 correlation header from another file',
      document: {
        swagger: '2.0',
        info,
        parameters: { RequestId: { name: 'X-Request-Id', in: 'header', type: 'string' } },
        paths: { '/cases': { $ref: 'paths.yaml#/Cases' } },
      },
      files: {
        'paths.yaml': {
          Cases: { get: { parameters: [{ $ref: 'openapi.yaml#/parameters/RequestId' }], ...ok } },
        },
      },
      errors: [
        {
          messageId: 'proprietary-correlation',
          pointer: '/parameters/RequestId/name',
          source: 'openapi.yaml',
        },
        { messageId: 'missing', pointer: '/paths' },
      ],
    },
  ],
  notApplicable: [{ name: 'no operations', document: { openapi: '3.1.0', info, paths: {} } }],
})
