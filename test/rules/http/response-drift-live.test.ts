import type { HttpExchange } from '../../../src/loaders/live.js'
import rule from '../../../src/rules/http/response-drift-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { exchange, live, manifest } from './fixtures.js'

const BASE = 'https://api.bokslut.example/v1'
const AT = { pointer: '/apis/0/environments/production', source: 'interop.yaml' }

const problem = {
  type: 'object',
  required: ['title', 'status'],
  properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' } },
}

/** The Open Loans description (OpenAPI 3.1), with responses written in every way the rule must follow. */
const openapi = {
  openapi: '3.1.0',
  info: { title: 'Open Loans', version: '1.4.0' },
  servers: [{ url: BASE }],
  paths: {
    '/loans': {
      get: {
        operationId: 'listLoans',
        responses: {
          '200': {
            description: 'The loans',
            content: {
              'application/json; charset=utf-8': {
                schema: { type: 'array', items: { $ref: '#/components/schemas/Loan' } },
              },
            },
          },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
    '/loans/{loanId}': { $ref: '#/components/pathItems/Loan' },
    '/loans/{loanId}/history': {
      get: {
        responses: {
          '2XX': {
            description: 'The history',
            content: { 'Application/*': { schema: { type: 'array', items: { type: 'string' } } } },
          },
        },
      },
    },
    '/loans/{loanId}/receipt': {
      get: {
        operationId: 'getReceipt',
        responses: {
          '200': { description: 'The receipt', content: { '*/*': {} } },
          '204': { description: 'No receipt yet' },
        },
      },
    },
  },
  components: {
    schemas: {
      Loan: {
        type: 'object',
        required: ['id', 'isbn', 'dueDate', 'pin'],
        properties: {
          id: { type: 'string' },
          isbn: { type: 'string', pattern: '^97[89][0-9]{10}$' },
          dueDate: { type: 'string', format: 'date' },
          // Sent when renewing at a kiosk; never returned.
          pin: { type: 'string', writeOnly: true },
        },
      },
    },
    responses: {
      NotFound: { description: 'No such loan', content: { 'application/problem+json': { schema: problem } } },
    },
    pathItems: {
      Loan: {
        get: {
          operationId: 'getLoan',
          responses: {
            '200': {
              description: 'The loan',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Loan' } } },
            },
            default: { $ref: '#/components/responses/NotFound' },
          },
        },
      },
    },
  },
}

/** The same API described in Swagger 2.0. */
const swagger = {
  swagger: '2.0',
  info: { title: 'Open Loans', version: '1.4.0' },
  host: 'api.bokslut.example',
  basePath: '/v1',
  schemes: ['https'],
  produces: ['application/json'],
  paths: {
    '/loans': {
      get: {
        operationId: 'listLoans',
        responses: {
          '200': {
            description: 'The loans',
            schema: { type: 'array', items: { $ref: '#/definitions/Loan' } },
          },
        },
      },
    },
    '/loans/{loanId}/receipt': {
      get: {
        operationId: 'getReceipt',
        produces: ['application/pdf'],
        parameters: [{ name: 'loanId', in: 'path', required: true, type: 'string' }],
        responses: { '200': { description: 'The receipt', schema: { type: 'file' } } },
      },
    },
  },
  definitions: {
    Loan: {
      type: 'object',
      required: ['id', 'dueDate'],
      properties: { id: { type: 'string' }, dueDate: { type: 'string', format: 'date' } },
    },
  },
}

const loan = { id: 'L-20931', isbn: '9789127162377', dueDate: '2026-12-15' }

const call = (
  path: string,
  url: string,
  response: { status?: number; type?: string; body?: unknown; authenticated?: boolean; truncated?: boolean },
  over: { operationId?: string; environment?: 'production' | 'sandbox' } = {},
): HttpExchange => {
  const e = exchange(response.type === undefined ? {} : { 'content-type': response.type }, {
    purpose: 'operation',
    operation: { method: 'GET', path, ...(over.operationId ? { operationId: over.operationId } : {}) },
    url,
    status: response.status ?? 200,
    ...(response.body === undefined
      ? {}
      : { body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body) }),
    ...(response.authenticated ? { authenticated: true } : {}),
    ...(response.truncated ? { truncated: true } : {}),
    ...(over.environment ? { environment: over.environment } : {}),
  })
  // The fixture sends application/json unless told otherwise; '' stands for no Content-Type at all.
  if (response.type === '') delete e.response!.headers['content-type']
  return e
}

const listLoans = (response: Parameters<typeof call>[2], environment?: 'production' | 'sandbox') =>
  call(
    '/loans',
    `${environment === 'sandbox' ? 'https://sandbox.bokslut.example/v1' : BASE}/loans`,
    response,
    {
      operationId: 'listLoans',
      ...(environment ? { environment } : {}),
    },
  )

const getLoan = (response: Parameters<typeof call>[2]) =>
  call('/loans/{loanId}', `${BASE}/loans/L-20931`, response, { operationId: 'getLoan' })

const history = (response: Parameters<typeof call>[2]) =>
  call('/loans/{loanId}/history', `${BASE}/loans/L-20931/history`, response)

const receipt = (response: Parameters<typeof call>[2]) =>
  call('/loans/{loanId}/receipt', `${BASE}/loans/L-20931/receipt`, response, { operationId: 'getReceipt' })

testRule(rule, {
  valid: [
    {
      name: 'a list of loans matching the schema, with a charset parameter on both sides',
      manifest,
      document: openapi,
      live: live([listLoans({ type: 'application/json;charset=UTF-8', body: [loan] })]),
    },
    {
      name: 'a required writeOnly property is absent from the response',
      manifest,
      document: openapi,
      live: live([getLoan({ type: 'application/json', body: loan })]),
    },
    {
      name: 'a 404 documented through a referenced response',
      manifest,
      document: openapi,
      live: live([
        listLoans({
          status: 404,
          type: 'application/problem+json',
          body: { title: 'Not Found', status: 404 },
        }),
      ]),
    },
    {
      name: 'a status matched by default, on an operation in a referenced path item',
      manifest,
      document: openapi,
      live: live([
        getLoan({ status: 410, type: 'application/problem+json', body: { title: 'Gone', status: 410 } }),
      ]),
    },
    {
      name: 'a status matched by a 2XX range, a type by application/* written in another case',
      manifest,
      document: openapi,
      live: live([history({ status: 206, type: 'application/vnd.bokslut.history+json', body: ['renewed'] })]),
    },
    {
      name: 'any type under */*, and a 204 without content',
      manifest,
      document: openapi,
      live: live([receipt({ type: 'application/pdf', body: '%PDF-1.7' }), receipt({ status: 204 })]),
    },
    {
      name: 'a truncated body is not parsed or validated',
      manifest,
      document: openapi,
      live: live([listLoans({ type: 'application/json', body: '[{"id": "L-20931", "isb', truncated: true })]),
    },
    {
      name: 'an unauthenticated 401 is not judged beside an answer that is',
      manifest,
      document: openapi,
      live: live([
        getLoan({ status: 401, type: 'text/html', body: '<html>Log in</html>' }),
        listLoans({ type: 'application/json', body: [] }),
      ]),
    },
    {
      name: 'operations not in the description and calls without an answer are skipped',
      manifest,
      document: openapi,
      live: live([
        call('/members', `${BASE}/members`, { type: 'text/html', body: '<html></html>' }),
        { ...getLoan({}), response: undefined, error: 'timeout after 10 s' },
        listLoans({ type: 'application/json', body: [loan] }),
      ]),
    },
    {
      name: 'Swagger 2: the body matches the schema, root-level produces',
      manifest,
      document: swagger,
      live: live([listLoans({ type: 'application/json', body: [{ id: 'L-1', dueDate: '2026-12-01' }] })]),
    },
    {
      name: 'Swagger 2: operation-level produces overrides the root',
      manifest,
      document: swagger,
      live: live([receipt({ type: 'application/pdf', body: '%PDF-1.7' })]),
    },
  ],
  invalid: [
    {
      name: 'a 500 the description does not document, without default',
      manifest,
      document: openapi,
      live: live([
        listLoans({ status: 500, type: 'application/problem+json', body: { title: 'Oops', status: 500 } }),
      ]),
      errors: [{ messageId: 'undocumented-status', ...AT }],
    },
    {
      name: 'a 401 to an authenticated request is judged',
      manifest,
      document: openapi,
      live: live([
        listLoans({ status: 401, type: 'application/problem+json', body: '{}', authenticated: true }),
      ]),
      errors: [{ messageId: 'undocumented-status' }],
    },
    {
      name: 'HTML where only JSON is documented',
      manifest,
      document: openapi,
      live: live([listLoans({ type: 'text/html', body: '<html><body>Loans</body></html>' })]),
      errors: [{ messageId: 'undocumented-type', ...AT }],
    },
    {
      name: 'application/json where problem+json is documented',
      manifest,
      document: openapi,
      live: live([listLoans({ status: 404, type: 'application/json', body: { error: 'not found' } })]),
      errors: [{ messageId: 'undocumented-type' }],
    },
    {
      name: 'a body without a content type',
      manifest,
      document: openapi,
      live: live([listLoans({ type: '', body: [loan] })]),
      errors: [{ messageId: 'undocumented-type' }],
    },
    {
      name: 'a body where the description documents no content',
      manifest,
      document: openapi,
      live: live([receipt({ status: 204, type: 'application/json', body: { receipt: null } })]),
      errors: [{ messageId: 'undocumented-type' }],
    },
    {
      name: 'Swagger 2: JSON where the operation produces only PDF',
      manifest,
      document: swagger,
      live: live([receipt({ type: 'application/json', body: { url: 'https://files.bokslut.example/r/1' } })]),
      errors: [{ messageId: 'undocumented-type' }],
    },
    {
      name: 'application/json with an HTML body',
      manifest,
      document: openapi,
      live: live([listLoans({ type: 'application/json', body: '<html>Maintenance</html>' })]),
      errors: [{ messageId: 'not-json', ...AT }],
    },
    {
      name: 'a +json type with an empty body',
      manifest,
      document: openapi,
      live: live([history({ type: 'application/vnd.bokslut.history+json', body: '' })]),
      errors: [{ messageId: 'not-json' }],
    },
    {
      name: 'a +json type with a body that does not parse',
      manifest,
      document: openapi,
      live: live([history({ type: 'application/vnd.bokslut.history+json', body: "['renewed']" })]),
      errors: [{ messageId: 'not-json' }],
    },
    {
      name: 'a loan without a due date and with a malformed ISBN',
      manifest,
      document: openapi,
      live: live([listLoans({ type: 'application/json', body: [{ id: 'L-20931', isbn: '91-29-65701-4' }] })]),
      errors: [{ messageId: 'invalid-body', ...AT }],
    },
    {
      name: 'a problem without a status, through default',
      manifest,
      document: openapi,
      live: live([getLoan({ status: 503, type: 'application/problem+json', body: { title: 'Down' } })]),
      errors: [{ messageId: 'invalid-body' }],
    },
    {
      name: 'Swagger 2: an object where an array is documented',
      manifest,
      document: swagger,
      live: live([listLoans({ type: 'application/json', body: { loans: [] } })]),
      errors: [{ messageId: 'invalid-body' }],
    },
    {
      name: 'Swagger 2 without produces: the type is not judged, a JSON body still is',
      manifest,
      document: { ...swagger, produces: undefined },
      live: live([
        listLoans({ type: 'text/csv', body: 'id,dueDate' }),
        listLoans({ type: 'application/json', body: [{ id: 'L-1' }] }),
      ]),
      errors: [{ messageId: 'invalid-body' }],
    },
    {
      name: 'the same drift on both environments',
      manifest,
      document: openapi,
      live: live([
        listLoans({ type: 'application/json', body: { loans: [] } }),
        listLoans({ type: 'application/json', body: { loans: [] } }, 'sandbox'),
      ]),
      errors: [
        { messageId: 'invalid-body', pointer: '/apis/0/environments/production' },
        { messageId: 'invalid-body', pointer: '/apis/0/environments/sandbox' },
      ],
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document: openapi },
    {
      name: 'no described operation was called',
      manifest,
      document: openapi,
      live: live([exchange({}, { purpose: 'base', url: BASE })]),
    },
    {
      name: 'every operation wants credentials the run did not have',
      manifest,
      document: openapi,
      live: live([
        listLoans({ status: 401, type: 'application/problem+json', body: '{}' }),
        getLoan({ status: 403, type: 'application/problem+json', body: '{}' }),
      ]),
    },
    {
      name: 'no operation answered',
      manifest,
      document: openapi,
      live: live([{ ...listLoans({}), response: undefined, error: 'ECONNREFUSED' }]),
    },
    {
      name: 'only operations the description does not have were called',
      manifest,
      document: openapi,
      live: live([call('/members', `${BASE}/members`, { type: 'application/json', body: [] })]),
    },
  ],
})
