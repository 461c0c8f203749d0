import rule from '../../../src/rules/openapi/bulk-export.js'
import { testRule } from '../../../src/testing/vitest.js'
import { capability, exportStatus, fhirExchange, manifest, outcome, server } from '../fhir/fixtures-live.js'
import { live } from '../http/fixtures.js'

// A FHIR-only service is judged by its FHIR server's $export, declared and tried with --live.
const noExport = {
  ...capability,
  rest: [{ ...capability.rest[0]!, operation: undefined }],
}

const info = { title: 't', version: '1.0.0' }
const body = (type: string) => ({ [type]: { schema: { type: 'string' } } })
const books = { get: { responses: { '200': { description: 'ok', content: body('application/json') } } } }
const oas = (paths: object) => ({ openapi: '3.0.3', info, paths: { '/books': books, ...paths } })

testRule(rule, {
  valid: [
    { name: "a FHIR server's $export, declared and followed to an NDJSON file", manifest, live: server() },
    {
      name: 'GET /export offering CSV',
      document: oas({
        '/export': { get: { responses: { '200': { description: 'ok', content: body('text/csv') } } } },
      }),
    },
    {
      name: 'an operation tagged Export offering NDJSON',
      document: oas({
        '/records': {
          get: {
            tags: ['Export'],
            responses: { '200': { description: 'ok', content: body('application/x-ndjson') } },
          },
        },
      }),
    },
    {
      name: 'Swedish: dataUttag operationId with application/xml',
      document: oas({
        '/data': {
          get: {
            operationId: 'hamtaDataUttag',
            responses: { '200': { description: 'ok', content: body('application/xml') } },
          },
        },
      }),
    },
    {
      name: 'an async job: POST answering 202 with a Location header',
      document: oas({
        '/jobs': {
          post: {
            responses: {
              '202': { description: 'accepted', headers: { Location: { schema: { type: 'string' } } } },
            },
          },
        },
      }),
    },
    {
      name: 'an async job with a statusUrl in its body',
      document: oas({
        '/jobs': {
          post: {
            responses: {
              '202': {
                description: 'accepted',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { statusUrl: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      }),
    },
    {
      name: 'a FHIR $export, whose format is chosen by _outputFormat',
      document: oas({
        '/Patient/$export': {
          get: {
            parameters: [
              {
                name: '_outputFormat',
                in: 'query',
                schema: { type: 'string', enum: ['application/fhir+ndjson'] },
              },
            ],
            responses: { '202': { description: 'accepted' } },
          },
        },
      }),
    },
    {
      name: 'one closed backup beside an open JSON dump',
      document: oas({
        '/backup': {
          get: { responses: { '200': { description: 'ok', content: body('application/vnd.acme.backup') } } },
        },
        '/dump': { get: { responses: { '200': { description: 'ok', content: body('application/json') } } } },
      }),
    },
    {
      name: 'Swagger 2 bulk operation producing CSV',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/bulk/books': {
            get: {
              produces: ['text/csv'],
              responses: { '200': { description: 'ok', schema: { type: 'string' } } },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'no export at all',
      document: oas({}),
      errors: [{ messageId: 'missing', pointer: '/paths' }],
    },
    {
      name: 'an export only in a vendor format and in Excel',
      document: oas({
        '/export': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { ...body('application/vnd.acme.archive'), ...body('application/vnd.ms-excel') },
              },
            },
          },
        },
      }),
      errors: [{ messageId: 'proprietary-export', pointer: '/paths/~1export/get' }],
    },
    {
      name: 'Swagger 2 backup producing a proprietary type',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/books': { get: { responses: { '200': { description: 'ok', schema: { type: 'array' } } } } },
          '/backup': {
            get: {
              produces: ['application/x-acme-backup'],
              responses: { '200': { description: 'ok', schema: { type: 'file' } } },
            },
          },
        },
      },
      errors: [{ messageId: 'proprietary-export', pointer: '/paths/~1backup/get' }],
    },
    {
      name: 'Swagger 2 without any export',
      document: {
        swagger: '2.0',
        info,
        paths: { '/books': { get: { responses: { '200': { description: 'ok' } } } } },
      },
      errors: [{ messageId: 'missing', pointer: '/paths' }],
    },
    {
      name: 'a FHIR server that declares no $export',
      manifest,
      live: server({
        'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 200, noExport),
        'fhir-export': undefined,
        'fhir-export-status': undefined,
        'fhir-export-file': undefined,
      }),
      errors: [{ messageId: 'fhir-missing' }],
    },
    {
      name: 'a FHIR server whose declared $export fails when tried',
      manifest,
      live: server({ 'fhir-export-status': exportStatus(500, outcome), 'fhir-export-file': undefined }),
      errors: [{ messageId: 'fhir-export-fails' }],
    },
  ],
  notChecked: [
    { name: 'neither a description nor a probed FHIR server', manifest },
    {
      name: 'a FHIR server without a CapabilityStatement',
      manifest,
      live: live([fhirExchange('fhir-metadata', 'metadata', 404, outcome)]),
    },
  ],
  notApplicable: [
    {
      name: 'a description without operations',
      document: { openapi: '3.1.0', info, webhooks: {} },
    },
  ],
})
