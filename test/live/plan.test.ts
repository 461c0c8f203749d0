import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProbeTarget } from '../../src/loaders/live.js'
import { loadOpenApi } from '../../src/loaders/openapi.js'
import { MAX_OPERATIONS, planAuthMetadata, planTarget, preflightFor } from '../../src/loaders/prober/plan.js'
import { tempFiles } from '../helpers/tmp.js'

/** What the prober asks of a base URL, derived from the description and the manifest. */
const target: ProbeTarget = {
  api: 'loans',
  environment: 'sandbox',
  baseUrl: 'https://sandbox.bokslut.example/v1/',
  loc: { uri: 'file:///interop.yaml', pointer: '/apis/0/environments/sandbox' },
}

async function described(yaml: string) {
  const dir = tempFiles({ 'openapi.yaml': yaml })
  return loadOpenApi(path.join(dir, 'openapi.yaml'))
}

const LOANS = `openapi: 3.1.0
info: {title: Loans, version: 1.0.0}
components:
  securitySchemes:
    oidc: {type: openIdConnect, openIdConnectUrl: https://login.bokslut.example/.well-known/openid-configuration}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: https://login.bokslut.example/oauth2/token, scopes: {}}
        authorizationCode: {authorizationUrl: https://login.bokslut.example/authorize, tokenUrl: https://login.bokslut.example/oauth2/token, scopes: {}}
paths:
  /health:
    get: {operationId: getHealth, responses: {"200": {description: ok}}}
  /loans:
    get:
      operationId: listLoans
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: status, in: query, schema: {type: string, enum: [active, returned]}}
      responses: {"200": {description: ok}}
    post:
      operationId: createLoan
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"201": {description: created}}
  /loans/{loanId}:
    parameters:
      - {name: loanId, in: path, required: true, schema: {type: string, format: uuid}}
    get: {operationId: getLoan, responses: {"200": {description: ok}}}
  /patrons/{patronId}/loans:
    get:
      operationId: listPatronLoans
      parameters:
        - {name: patronId, in: path, required: true, schema: {type: string}}
        - {name: since, in: query, required: true, schema: {type: string, format: date}}
      responses: {"200": {description: ok}}
`

describe('the probe plan', () => {
  it('calls each GET it has values for, with the example values, and skips the rest', async () => {
    const api = await described(LOANS)
    const plan = planTarget(
      target,
      {
        examples: {
          getLoan: { loanId: '9b1e4f70-2c3a-4d8e-b6f1-7a0c5d2e9f14' },
          listLoans: { status: 'active' },
        },
      },
      api,
      false,
    )
    const calls = plan.requests.map((r) => `${r.purpose} ${r.method} ${r.url}`)
    expect(calls).toEqual([
      'base GET https://sandbox.bokslut.example/v1/',
      'health GET https://sandbox.bokslut.example/v1/health',
      'unknown-path GET https://sandbox.bokslut.example/v1/interop-check-no-such-path',
      'operation GET https://sandbox.bokslut.example/v1/loans?status=active',
      'operation GET https://sandbox.bokslut.example/v1/loans/9b1e4f70-2c3a-4d8e-b6f1-7a0c5d2e9f14',
      'invalid-request GET https://sandbox.bokslut.example/v1/loans?limit=interop-not-a-number&status=active',
    ])
    expect(plan.requests.find((r) => r.purpose === 'operation')!.operation).toEqual({
      method: 'GET',
      path: '/loans',
      operationId: 'listLoans',
    })
    expect(plan.requests.every((r) => r.method === 'GET')).toBe(true)
    expect(plan.published.map((r) => r.url)).toEqual([
      'https://sandbox.bokslut.example/v1/openapi.json',
      'https://sandbox.bokslut.example/v1/openapi.yaml',
      'https://sandbox.bokslut.example/v1/api-docs',
      'https://sandbox.bokslut.example/v1/v3/api-docs',
      'https://sandbox.bokslut.example/v1/swagger.json',
    ])
    expect(plan.published.every((r) => !r.authenticate && r.headers.origin)).toBe(true)
  })

  it('prefers a query parameter for the invalid request, and falls back to a path parameter', async () => {
    const api = await described(LOANS.replace(/ {8}- \{name: limit.*\n {8}- \{name: status.*\n/, ''))
    const plan = planTarget(target, { examples: {} }, api, false)
    const invalid = plan.requests.find((r) => r.purpose === 'invalid-request')!
    expect(invalid.url).toBe('https://sandbox.bokslut.example/v1/loans/interop-not-a-uuid')
    expect(invalid.invalid).toEqual({ in: 'path', name: 'loanId', value: 'interop-not-a-uuid' })
  })

  it('sends a malformed body only when unsafe methods are allowed and no parameter can be made invalid', async () => {
    const api = await described(
      'openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /loans:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n      responses: {"201": {description: created}}\n',
    )
    expect(planTarget(target, undefined, api, false).requests.map((r) => r.method)).toEqual(['GET', 'GET'])
    const unsafe = planTarget(target, undefined, api, true).requests.at(-1)!
    expect(unsafe).toMatchObject({
      purpose: 'invalid-request',
      method: 'POST',
      url: 'https://sandbox.bokslut.example/v1/loans',
      body: '{"interop-check": ',
    })
    expect(unsafe.headers['content-type']).toBe('application/json')
  })

  it('calls no more than the most operations per base URL', async () => {
    const paths = Array.from(
      { length: MAX_OPERATIONS + 10 },
      (_, i) => `  /r${i}:\n    get: {responses: {"200": {description: ok}}}`,
    )
    const api = await described(
      `openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n${paths.join('\n')}\n`,
    )
    const ops = planTarget(target, undefined, api, false).requests.filter((r) => r.purpose === 'operation')
    expect(ops).toHaveLength(MAX_OPERATIONS)
  })

  it('reads Swagger 2 parameters, and uses the manifest’s openapiUrl for the published description', async () => {
    const api = await described(
      'swagger: "2.0"\ninfo: {title: t, version: 1.0.0}\npaths:\n  /cases:\n    get:\n      parameters:\n        - {name: page, in: query, type: integer}\n      responses: {"200": {description: ok}}\n',
    )
    const plan = planTarget(target, { examples: {}, openapiUrl: '/docs/api.json' }, api, false)
    expect(plan.requests.find((r) => r.purpose === 'invalid-request')!.url).toBe(
      'https://sandbox.bokslut.example/v1/cases?page=interop-not-a-number',
    )
    expect(plan.published.map((r) => r.url)).toEqual(['https://sandbox.bokslut.example/v1/docs/api.json'])
    expect(preflightFor(plan.published[0]!)).toMatchObject({
      purpose: 'cors-preflight',
      method: 'OPTIONS',
      headers: { origin: 'https://interop-check.invalid', 'access-control-request-method': 'GET' },
    })
  })

  it('asks for each identity provider’s metadata once', async () => {
    const api = await described(LOANS)
    expect(planAuthMetadata(target, api).map((r) => [r.url, r.scheme])).toEqual([
      [
        'https://login.bokslut.example/.well-known/openid-configuration',
        { name: 'oidc', type: 'openIdConnect' },
      ],
      [
        'https://login.bokslut.example/.well-known/oauth-authorization-server',
        { name: 'oauth', type: 'oauth2', tokenUrl: 'https://login.bokslut.example/oauth2/token' },
      ],
    ])
  })
})
