import rule from '../../../src/rules/openapi/open-media-types.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Case archive', version: '1.0.0' }
const schema = { type: 'object' }
/** An OpenAPI 3.1 description with one GET /cases whose 200 response has the given content. */
const doc = (
  content: object,
  extra: { description?: string; requestBody?: object; components?: object } = {},
) => ({
  openapi: '3.1.0',
  info,
  paths: {
    '/cases': {
      get: {
        summary: 'List cases',
        responses: { '200': { description: extra.description ?? 'OK', content } },
      },
      ...(extra.requestBody
        ? { post: { requestBody: extra.requestBody, responses: { '201': { description: 'Created' } } } }
        : {}),
    },
  },
  ...(extra.components ? { components: extra.components } : {}),
})
const swagger = (root: object, op: object) => ({
  swagger: '2.0',
  info,
  ...root,
  paths: {
    '/documents/{id}/content': {
      get: { parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], ...op },
    },
  },
})
const binary = { type: 'string', format: 'binary' }
const ct = (t: string) => `/paths/~1cases/get/responses/200/content/${t.replace(/\//g, '~1')}`

testRule(rule, {
  valid: [
    {
      name: 'JSON, problem details and structured-suffix vendor types',
      document: doc({
        'application/json': { schema },
        'application/problem+json': { schema },
        'application/geo+json': { schema },
        'application/vnd.api+json': { schema },
        'application/fhir+json': { schema },
        'application/atom+xml': { schema },
      }),
    },
    {
      name: 'parameters and case are ignored',
      document: doc({
        'text/csv; charset=utf-8': { schema },
        'Application/JSON': { schema },
        'text/plain;charset=UTF-8': {},
      }),
    },
    {
      name: 'open document formats, including OOXML (ISO/IEC 29500) and OpenDocument',
      document: doc({
        'application/pdf': { schema: binary },
        'application/vnd.oasis.opendocument.spreadsheet': { schema: binary },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: binary },
        'application/yaml': { schema },
        'image/png': {},
        'application/zip': {},
      }),
    },
    {
      name: 'octet-stream explained by the response description',
      document: doc(
        { 'application/octet-stream': { schema: binary } },
        { description: 'The signed decision as a PDF/A file.' },
      ),
    },
    {
      name: 'octet-stream explained by a described binary schema',
      document: doc({
        'application/octet-stream': {
          schema: { ...binary, description: 'The decision letter, signed with the archive key.' },
        },
      }),
    },
    {
      name: 'octet-stream upload of the original file',
      document: doc(
        { 'application/json': { schema } },
        {
          requestBody: {
            description: 'The attachment exactly as the applicant uploaded it (original bytes, any format).',
            content: { 'application/octet-stream': { schema: binary }, 'multipart/form-data': { schema } },
          },
        },
      ),
    },
    {
      name: 'Swagger 2 octet-stream download whose operation names the format',
      document: swagger(
        { produces: ['application/json'] },
        {
          summary: 'Download the scanned document as a TIFF image',
          produces: ['application/octet-stream'],
          responses: { '200': { description: 'OK', schema: { type: 'file' } } },
        },
      ),
    },
    {
      name: 'Swagger 2 root-level octet-stream explained by an inheriting operation',
      document: swagger(
        {
          produces: ['application/json', 'application/octet-stream'],
          consumes: ['application/x-www-form-urlencoded'],
        },
        {
          responses: {
            '200': { description: 'The stored document as application/pdf', schema: { type: 'file' } },
          },
        },
      ),
    },
    {
      name: 'a response in another file',
      document: doc({}, { components: { responses: { Case: { $ref: 'responses.yaml#/Case' } } } }),
      files: {
        'responses.yaml': {
          Case: { description: 'A case', content: { 'application/hal+json': { schema } } },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'vendor type without a structured suffix',
      document: doc({ 'application/vnd.casevault.case': { schema }, 'application/json': { schema } }),
      errors: [{ messageId: 'proprietary', pointer: ct('application/vnd.casevault.case') }],
    },
    {
      name: 'private x- type',
      document: doc({ 'application/x-casevault-export': {} }),
      errors: [{ messageId: 'proprietary', pointer: ct('application/x-casevault-export') }],
    },
    {
      name: 'closed office formats',
      document: doc({
        'application/vnd.ms-excel': {},
        'application/msword': {},
        'application/vnd.ms-powerpoint': {},
      }),
      errors: [
        { messageId: 'closed-format', pointer: ct('application/vnd.ms-excel') },
        { messageId: 'closed-format', pointer: ct('application/msword') },
        { messageId: 'closed-format', pointer: ct('application/vnd.ms-powerpoint') },
      ],
    },
    {
      name: 'octet-stream with only a status phrase',
      document: doc(
        { 'application/octet-stream': { schema: binary } },
        { description: 'Successful response' },
      ),
      errors: [{ messageId: 'octet-stream', pointer: ct('application/octet-stream'), line: 13 }],
    },
    {
      name: 'media ranges',
      document: doc({ '*/*': {}, 'application/*': {} }),
      errors: [
        { messageId: 'wildcard', pointer: ct('*/*') },
        { messageId: 'wildcard', pointer: ct('application/*') },
      ],
    },
    {
      name: 'unregistered names',
      document: doc({
        'application/x-ndjson': {},
        'text/json': {},
        'application/text': {},
        'text/yaml': {},
        'application/jsonl': {},
      }),
      errors: [
        { messageId: 'unregistered', pointer: ct('application/x-ndjson') },
        { messageId: 'unregistered', pointer: ct('text/json') },
        { messageId: 'unregistered', pointer: ct('application/text') },
        { messageId: 'unregistered', pointer: ct('text/yaml') },
        { messageId: 'unregistered', pointer: ct('application/jsonl') },
      ],
    },
    {
      name: 'reusable request body with an unexplained octet-stream',
      document: doc(
        { 'application/json': { schema } },
        {
          components: {
            requestBodies: { Upload: { content: { 'application/octet-stream': { schema: binary } } } },
          },
        },
      ),
      errors: [
        {
          messageId: 'octet-stream',
          pointer: '/components/requestBodies/Upload/content/application~1octet-stream',
        },
      ],
    },
    {
      name: 'points into the referenced file',
      document: doc({}, { components: { responses: { Export: { $ref: 'responses.yaml#/Export' } } } }),
      files: {
        'responses.yaml': { Export: { description: 'Export', content: { 'application/vnd.ms-excel': {} } } },
      },
      errors: [
        {
          messageId: 'closed-format',
          pointer: '/Export/content/application~1vnd.ms-excel',
          source: 'responses.yaml',
          line: 4,
        },
      ],
    },
    {
      name: 'Swagger 2 produces and consumes lists',
      document: swagger(
        { produces: ['application/vnd.casevault.case'] },
        {
          description: 'Returns the document.',
          produces: ['application/octet-stream', 'application/vnd.ms-excel'],
          responses: { '200': { description: '', schema: { type: 'file' } } },
        },
      ),
      errors: [
        { messageId: 'proprietary', pointer: '/produces/0' },
        { messageId: 'octet-stream', pointer: '/paths/~1documents~1{id}~1content/get/produces/0' },
        { messageId: 'closed-format', pointer: '/paths/~1documents~1{id}~1content/get/produces/1' },
      ],
    },
  ],
})
