import rule from '../../../src/rules/openapi/open-response-formats.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const content = (...types: string[]) =>
  Object.fromEntries(types.map((t) => [t, { schema: { type: 'string' } }]))
const oas = (responses: object) => ({
  openapi: '3.1.0',
  info,
  paths: { '/report': { get: { responses } } },
})

testRule(rule, {
  valid: [
    {
      name: 'a vendor type beside JSON, and a +json vendor type alone',
      document: oas({
        '200': { description: 'ok', content: content('application/vnd.acme.report', 'application/json') },
        '201': { description: 'ok', content: content('application/vnd.acme.report+json') },
      }),
    },
    {
      name: 'NDJSON, OpenDocument and errors in any format',
      document: oas({
        '200': { description: 'ok', content: content('application/x-ndjson') },
        '206': { description: 'ok', content: content('application/vnd.oasis.opendocument.spreadsheet') },
        '400': { description: 'bad', content: content('application/vnd.acme.error') },
      }),
    },
    {
      name: 'Excel offered with CSV in another success response',
      document: oas({
        '200': { description: 'ok', content: content(XLSX) },
        '203': { description: 'ok', content: content('text/csv') },
      }),
    },
    {
      name: 'Swagger 2 producing JSON and Excel',
      document: {
        swagger: '2.0',
        info,
        produces: ['application/json', 'application/vnd.ms-excel'],
        paths: { '/r': { get: { responses: { '200': { description: 'ok', schema: { type: 'string' } } } } } },
      },
    },
  ],
  invalid: [
    {
      name: 'only vendor, x- and Word types',
      document: oas({
        '200': { description: 'ok', content: content('application/vnd.acme.report', 'application/x-acme') },
        '2XX': { description: 'ok', content: content('application/msword') },
      }),
      errors: [
        { messageId: 'proprietary-only', pointer: '/paths/~1report/get/responses/200/content' },
        { messageId: 'proprietary-only', pointer: '/paths/~1report/get/responses/2XX/content' },
      ],
    },
    {
      name: 'an Excel workbook only',
      document: oas({ '200': { description: 'ok', content: content(XLSX, 'application/pdf') } }),
      errors: [
        {
          messageId: 'spreadsheet-only',
          pointer:
            '/paths/~1report/get/responses/200/content/application~1vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
      ],
    },
    {
      name: 'Swagger 2: root-level produces reported once, Excel only on an operation',
      document: {
        swagger: '2.0',
        info,
        produces: ['application/vnd.acme+binary'],
        paths: {
          '/a': { get: { responses: { '200': { description: 'ok', schema: { type: 'string' } } } } },
          '/b': { get: { responses: { '200': { description: 'ok', schema: { type: 'string' } } } } },
          '/c': {
            get: {
              produces: [XLSX],
              responses: { '200': { description: 'ok', schema: { type: 'file' } } },
            },
          },
        },
      },
      errors: [
        { messageId: 'proprietary-only', pointer: '/produces' },
        { messageId: 'spreadsheet-only', pointer: '/paths/~1c/get/produces/0' },
      ],
    },
  ],
})
