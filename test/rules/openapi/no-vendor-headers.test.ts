import rule from '../../../src/rules/openapi/no-vendor-headers.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const param = (name: string, where: string, required = true) => ({
  name,
  in: where,
  required,
  schema: { type: 'string' },
})
const oas = (parameters: object[], extra: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: { '/books/{tenantId}': { get: { parameters, responses: { '200': { description: 'ok' } } } } },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'standard required headers in any case, tenant in the path, optional vendor header',
      document: oas([
        param('tenantId', 'path'),
        param('accept-language', 'header'),
        param('Idempotency-Key', 'header'),
        param('Api-Version', 'header'),
        param('traceparent', 'header'),
        param('DPoP', 'header'),
        param('Content-Digest', 'header'),
        param('Acme-Client', 'header', false),
      ]),
    },
    {
      name: 'ordinary required query parameters',
      document: oas([
        param('customerName', 'query'),
        param('q', 'query'),
        param('sessionId', 'query', false),
      ]),
    },
    {
      name: 'Swagger 2 with standard headers',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/a': {
            get: {
              parameters: [{ name: 'If-None-Match', in: 'header', required: true, type: 'string' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'required vendor headers',
      document: oas([param('Acme-Tenant', 'header'), param('Ocp-Apim-Subscription-Key', 'header')]),
      errors: [
        { messageId: 'vendor-header', pointer: '/paths/~1books~1{tenantId}/get/parameters/0/name' },
        { messageId: 'vendor-header', pointer: '/paths/~1books~1{tenantId}/get/parameters/1/name' },
      ],
    },
    {
      name: 'required tenant, licence and session query parameters',
      document: oas([
        param('TenantID', 'query'),
        param('license_key', 'query'),
        param('vendorCode', 'query'),
        param('session', 'query'),
        param('installationGuid', 'query'),
        param('customer', 'query'),
      ]),
      errors: [0, 1, 2, 3, 4, 5].map((i) => ({
        messageId: 'vendor-parameter',
        pointer: `/paths/~1books~1{tenantId}/get/parameters/${i}/name`,
      })),
    },
    {
      name: 'a shared component parameter is reported once where it is defined',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/a': {
            get: {
              parameters: [{ $ref: '#/components/parameters/Tenant' }],
              responses: { '200': { description: 'ok' } },
            },
          },
          '/b': {
            get: {
              parameters: [{ $ref: '#/components/parameters/Tenant' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
        components: { parameters: { Tenant: param('X-Tenant-Id', 'header') } },
      },
      errors: [{ messageId: 'vendor-header', pointer: '/components/parameters/Tenant/name' }],
    },
    {
      name: 'Swagger 2 vendor header and customer id',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/a': {
            parameters: [{ name: 'customerId', in: 'query', required: true, type: 'string' }],
            get: {
              parameters: [{ name: 'Acme-Session', in: 'header', required: true, type: 'string' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
      errors: [
        { messageId: 'vendor-header', pointer: '/paths/~1a/get/parameters/0/name' },
        { messageId: 'vendor-parameter', pointer: '/paths/~1a/parameters/0/name' },
      ],
    },
  ],
})
