import rule from '../../../src/rules/openapi/status-codes.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const r = { description: 'r' }
const responses = (...codes: string[]) => Object.fromEntries(codes.map((c) => [c, r]))
const doc = (codes: string[], extra: object = {}) => ({
  openapi: '3.0.3',
  info,
  paths: { '/books': { get: { responses: responses(...codes), ...extra } } },
})

testRule(rule, {
  valid: [
    {
      name: 'common registered codes, ranges and default',
      document: doc(['200', '206', '304', '400', '404', '422', '429', '451', '503', '4XX', '5XX', 'default']),
    },
    { name: 'less common registered codes', document: doc(['103', '226', '308', '421', '425', '511']) },
    { name: 'extensions in the responses object are not statuses', document: doc(['200', 'x-internal']) },
    {
      name: 'Swagger 2 with registered codes',
      document: {
        swagger: '2.0',
        info,
        paths: { '/books': { post: { responses: responses('201', '409', 'default') } } },
      },
    },
  ],
  invalid: [
    {
      name: 'unregistered three-digit codes',
      document: doc(['200', '209', '299', '420', '509', '600']),
      errors: [
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/209' },
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/299' },
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/420' },
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/509' },
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/600' },
      ],
    },
    {
      name: 'codes the registry marks unused',
      document: doc(['200', '306', '418']),
      errors: [
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/306' },
        { messageId: 'unregistered', pointer: '/paths/~1books/get/responses/418' },
      ],
    },
    {
      name: 'keys that are neither codes nor upper-case ranges',
      document: doc(['200', '2xx', '6XX', 'OK', '20', 'Default']),
      errors: [
        { messageId: 'invalid-key', pointer: '/paths/~1books/get/responses/2xx' },
        { messageId: 'invalid-key', pointer: '/paths/~1books/get/responses/6XX' },
        { messageId: 'invalid-key', pointer: '/paths/~1books/get/responses/OK' },
        { messageId: 'invalid-key', pointer: '/paths/~1books/get/responses/20' },
        { messageId: 'invalid-key', pointer: '/paths/~1books/get/responses/Default' },
      ],
    },
    {
      name: 'path item shared by two paths from another file is reported once there',
      document: {
        openapi: '3.1.0',
        info,
        paths: { '/books': { $ref: 'paths/books.yaml' }, '/v1/books': { $ref: 'paths/books.yaml' } },
      },
      files: { 'paths/books.yaml': { get: { responses: responses('200', '299') } } },
      errors: [
        { messageId: 'unregistered', pointer: '/get/responses/299', source: 'paths/books.yaml', line: 5 },
      ],
    },
    {
      name: 'Swagger 2 with Twitter-style 420',
      document: {
        swagger: '2.0',
        info,
        paths: { '/search': { get: { responses: responses('200', '420') } } },
      },
      errors: [{ messageId: 'unregistered', pointer: '/paths/~1search/get/responses/420' }],
    },
  ],
})
