import { expect, it } from 'vitest'
import type { HttpExchange } from '../../../src/loaders/live.js'
import rule from '../../../src/rules/http/auth-discovery-live.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'
import { exchange, live, manifest } from './fixtures.js'

const info = { title: 'Open Loans', version: '1.4.0' }
const paths = { '/loans': { get: { responses: { '200': { description: 'The loans' } } } } }

const DISCOVERY_URL = 'https://login.bokslut.example/realms/loans/.well-known/openid-configuration'
const TOKEN_URL = 'https://auth.bokslut.example/oauth2/token'
const AS_METADATA_URL = 'https://auth.bokslut.example/.well-known/oauth-authorization-server'

const withSchemes = (securitySchemes: object) => ({
  openapi: '3.1.0',
  info,
  paths,
  components: { securitySchemes },
})
const oidcDocument = withSchemes({ oidc: { type: 'openIdConnect', openIdConnectUrl: DISCOVERY_URL } })
const oauthDocument = withSchemes({
  libraryAuth: {
    type: 'oauth2',
    flows: { clientCredentials: { tokenUrl: TOKEN_URL, scopes: { 'loans:read': 'Read loans' } } },
  },
})
const swaggerDocument = {
  swagger: '2.0',
  info,
  host: 'api.bokslut.example',
  basePath: '/v1',
  paths,
  securityDefinitions: {
    libraryAuth: { type: 'oauth2', flow: 'application', tokenUrl: TOKEN_URL, scopes: {} },
  },
}

const oidcMetadata = {
  issuer: 'https://login.bokslut.example/realms/loans',
  authorization_endpoint: 'https://login.bokslut.example/realms/loans/protocol/openid-connect/auth',
  token_endpoint: 'https://login.bokslut.example/realms/loans/protocol/openid-connect/token',
  jwks_uri: 'https://login.bokslut.example/realms/loans/protocol/openid-connect/certs',
  response_types_supported: ['code'],
  subject_types_supported: ['public', 'pairwise'],
  id_token_signing_alg_values_supported: ['RS256', 'ES256'],
}
const asMetadata = {
  issuer: 'https://auth.bokslut.example',
  token_endpoint: TOKEN_URL,
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code', 'client_credentials'],
}

const oidcScheme: HttpExchange['scheme'] = { name: 'oidc', type: 'openIdConnect' }
const oauthScheme: HttpExchange['scheme'] = { name: 'libraryAuth', type: 'oauth2', tokenUrl: TOKEN_URL }

const discovery = (body: object | string, over: { status?: number; type?: string; url?: string } = {}) =>
  exchange(
    { 'content-type': over.type ?? 'application/json' },
    {
      purpose: 'auth-metadata',
      url: over.url ?? DISCOVERY_URL,
      scheme: oidcScheme,
      status: over.status ?? 200,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
  )
const asMeta = (body: object | string, over: { status?: number; type?: string } = {}) =>
  exchange(
    { 'content-type': over.type ?? 'application/json' },
    {
      purpose: 'auth-metadata',
      url: AS_METADATA_URL,
      scheme: oauthScheme,
      status: over.status ?? 200,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
  )
const refused = (e: HttpExchange, host: string): HttpExchange => ({
  ...e,
  response: undefined,
  error: `refused to contact ${host}: it is not named in the manifest nor allowed with --allow-host`,
})
const { token_endpoint: _unused, ...oidcWithoutToken } = oidcMetadata
void _unused

testRule(rule, {
  valid: [
    {
      name: 'a complete OpenID Connect discovery document, charset parameter',
      manifest,
      document: oidcDocument,
      live: live([discovery(oidcMetadata, { type: 'application/json; charset=UTF-8' })]),
    },
    {
      name: 'an issuer written with a trailing slash (Discovery §4.1)',
      manifest,
      document: oidcDocument,
      live: live([discovery({ ...oidcMetadata, issuer: 'https://login.bokslut.example/realms/loans/' })]),
    },
    {
      name: 'an implicit-only provider may leave out token_endpoint',
      manifest,
      document: oidcDocument,
      live: live([
        discovery({ ...oidcWithoutToken, response_types_supported: ['id_token', 'id_token token'] }),
      ]),
    },
    {
      name: 'RFC 8414 metadata whose token_endpoint is the documented tokenUrl',
      manifest,
      document: oauthDocument,
      live: live([asMeta(asMetadata)]),
    },
    {
      name: 'a token URL relative to the server (OpenAPI 3.1)',
      manifest,
      document: withSchemes({
        libraryAuth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes: {} } },
        },
      }),
      live: live([
        exchange(
          {},
          {
            purpose: 'auth-metadata',
            url: 'https://api.bokslut.example/.well-known/oauth-authorization-server',
            scheme: {
              name: 'libraryAuth',
              type: 'oauth2',
              tokenUrl: 'https://api.bokslut.example/oauth2/token',
            },
            body: JSON.stringify({
              ...asMetadata,
              issuer: 'https://api.bokslut.example',
              token_endpoint: 'https://api.bokslut.example/oauth2/token',
            }),
          },
        ),
      ]),
    },
    {
      name: 'Swagger 2 oauth2 application flow',
      manifest,
      document: swaggerDocument,
      live: live([asMeta(asMetadata)]),
    },
    {
      name: 'one provider refused, the other answered well',
      manifest,
      document: withSchemes({
        ...oidcDocument.components.securitySchemes,
        ...oauthDocument.components.securitySchemes,
      }),
      live: live([discovery(oidcMetadata), refused(asMeta(asMetadata), 'auth.bokslut.example')]),
    },
  ],
  invalid: [
    {
      name: 'no RFC 8414 metadata: 404',
      manifest,
      document: oauthDocument,
      live: live([asMeta('<html>Not Found</html>', { status: 404, type: 'text/html' })]),
      errors: [
        { messageId: 'not-answered', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
      ],
    },
    {
      name: 'a login page instead of JSON',
      manifest,
      document: oidcDocument,
      live: live([discovery('<html><form>Sign in</form></html>', { type: 'text/html; charset=utf-8' })]),
      errors: [{ messageId: 'not-json' }],
    },
    {
      name: 'application/json that is an array',
      manifest,
      document: oidcDocument,
      live: live([discovery([oidcMetadata])]),
      errors: [{ messageId: 'not-json' }],
    },
    {
      name: 'complete metadata served as text/plain',
      manifest,
      document: oidcDocument,
      live: live([discovery(oidcMetadata, { type: 'text/plain' })]),
      errors: [{ messageId: 'not-json' }],
    },
    {
      name: 'a code-flow provider without jwks_uri and token_endpoint',
      manifest,
      document: oidcDocument,
      live: live([discovery({ ...oidcWithoutToken, jwks_uri: undefined })]),
      errors: [{ messageId: 'missing-fields' }],
    },
    {
      name: 'response_types_supported written as a string',
      manifest,
      document: oauthDocument,
      live: live([asMeta({ ...asMetadata, response_types_supported: 'code' })]),
      errors: [{ messageId: 'missing-fields' }],
    },
    {
      name: 'an issuer over plain http',
      manifest,
      document: oidcDocument,
      live: live([discovery({ ...oidcMetadata, issuer: 'http://login.bokslut.example/realms/loans' })]),
      errors: [{ messageId: 'bad-issuer' }],
    },
    {
      name: 'an issuer with a query',
      manifest,
      document: oauthDocument,
      live: live([asMeta({ ...asMetadata, issuer: 'https://auth.bokslut.example?tenant=loans' })]),
      errors: [{ messageId: 'bad-issuer' }],
    },
    {
      name: 'the discovery document names another realm as issuer',
      manifest,
      document: oidcDocument,
      live: live([discovery({ ...oidcMetadata, issuer: 'https://login.bokslut.example/realms/master' })]),
      errors: [{ messageId: 'issuer-mismatch' }],
    },
    {
      name: 'an RFC 8414 issuer with a path, served at the host root',
      manifest,
      document: oauthDocument,
      live: live([asMeta({ ...asMetadata, issuer: 'https://auth.bokslut.example/tenants/loans' })]),
      errors: [{ messageId: 'issuer-mismatch' }],
    },
    {
      name: 'the token endpoint differs from the documented tokenUrl',
      manifest,
      document: oauthDocument,
      live: live([asMeta({ ...asMetadata, token_endpoint: 'https://auth.bokslut.example/connect/token' })]),
      errors: [{ messageId: 'token-endpoint-mismatch' }],
    },
  ],
  notApplicable: [
    {
      name: 'only an API key and bearer tokens',
      manifest,
      document: withSchemes({
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
      }),
      live: live([exchange({}, { purpose: 'base' })]),
    },
    {
      name: 'an oauth2 scheme with only the implicit flow (no token URL)',
      manifest,
      document: withSchemes({
        legacy: {
          type: 'oauth2',
          flows: { implicit: { authorizationUrl: 'https://auth.bokslut.example/authorize', scopes: {} } },
        },
      }),
      live: live([exchange({}, { purpose: 'base' })]),
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document: oidcDocument },
    {
      name: 'the metadata was not requested',
      manifest,
      document: oidcDocument,
      live: live([exchange({}, { purpose: 'base' })]),
    },
    {
      name: 'the identity provider host is not allowed',
      manifest,
      document: oidcDocument,
      live: live([refused(discovery(oidcMetadata), 'login.bokslut.example')]),
    },
    {
      name: 'the identity provider timed out',
      manifest,
      document: oauthDocument,
      live: live([{ ...asMeta(asMetadata), response: undefined, error: 'timeout after 10000 ms' }]),
    },
    {
      name: 'the metadata was cut off',
      manifest,
      document: oidcDocument,
      live: live([
        {
          ...discovery('{"issuer": "https://login.bokslut.example/realms/loans", "jwks_uri": "htt'),
          response: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: '{"issuer": "https://login.bokslut.example/realms/loans", "jwks_uri": "htt',
            truncated: true,
          },
        },
      ]),
    },
  ],
})

it('tells the user to allow a refused identity provider host', async () => {
  const outcome = await runRuleCase(rule, {
    name: 'refused',
    manifest,
    document: oidcDocument,
    live: live([refused(discovery(oidcMetadata), 'login.bokslut.example')]),
  })
  expect(outcome.status).toBe('not-checked')
  expect(outcome.reason).toContain('--allow-host login.bokslut.example')
})
