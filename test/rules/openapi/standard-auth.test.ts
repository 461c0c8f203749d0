import rule from '../../../src/rules/openapi/standard-auth.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const paths = { '/books': { get: { responses: { '200': { description: 'ok' } } } } }
const oas = (securitySchemes?: object, extra: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths,
  ...(securitySchemes ? { components: { securitySchemes } } : {}),
  ...extra,
})
const swagger = (securityDefinitions?: object) => ({
  swagger: '2.0',
  info,
  paths,
  ...(securityDefinitions ? { securityDefinitions } : {}),
})
const code = { authorizationUrl: 'https://id.example/auth', tokenUrl: 'https://id.example/token', scopes: {} }

testRule(rule, {
  valid: [
    {
      name: 'OAuth 2.0 code and client credentials, OpenID Connect, bearer, mutual TLS, API key in a header',
      document: oas({
        oauth: {
          type: 'oauth2',
          flows: {
            authorizationCode: code,
            clientCredentials: { tokenUrl: 'https://id.example/token', scopes: {} },
          },
        },
        oidc: {
          type: 'openIdConnect',
          openIdConnectUrl: 'https://id.example/.well-known/openid-configuration',
        },
        bearer: { type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' },
        mtls: { type: 'mutualTLS' },
        key: { type: 'apiKey', in: 'header', name: 'Api-Key' },
      }),
    },
    {
      name: 'a description without operations needs no scheme',
      document: { openapi: '3.1.0', info, components: { schemas: { A: { type: 'string' } } } },
    },
    {
      name: 'Swagger 2 accessCode flow',
      document: swagger({ oauth: { type: 'oauth2', flow: 'accessCode', ...code } }),
    },
  ],
  invalid: [
    {
      name: 'HTTP Basic and Digest',
      document: oas({ basic: { type: 'http', scheme: 'basic' }, digest: { type: 'http', scheme: 'Digest' } }),
      errors: [
        { messageId: 'weak-http-scheme', pointer: '/components/securitySchemes/basic/scheme' },
        { messageId: 'weak-http-scheme', pointer: '/components/securitySchemes/digest/scheme' },
      ],
    },
    {
      name: 'API keys in the query and in a cookie',
      document: oas({
        q: { type: 'apiKey', in: 'query', name: 'api_key' },
        c: { type: 'apiKey', in: 'cookie', name: 'session' },
      }),
      errors: [
        { messageId: 'api-key-not-in-header', pointer: '/components/securitySchemes/q/in' },
        { messageId: 'api-key-not-in-header', pointer: '/components/securitySchemes/c/in' },
      ],
    },
    {
      name: 'implicit and password flows beside a good one',
      document: oas({
        oauth: {
          type: 'oauth2',
          flows: {
            implicit: { authorizationUrl: 'https://id.example/auth', scopes: {} },
            password: { tokenUrl: 'https://id.example/token', scopes: {} },
            authorizationCode: code,
          },
        },
      }),
      errors: [
        { messageId: 'deprecated-flow', pointer: '/components/securitySchemes/oauth/flows/implicit' },
        { messageId: 'deprecated-flow', pointer: '/components/securitySchemes/oauth/flows/password' },
      ],
    },
    {
      name: 'no security schemes at all',
      document: oas(),
      errors: [{ messageId: 'no-scheme', pointer: '' }],
    },
    {
      name: 'an empty securitySchemes map',
      document: oas({}),
      errors: [{ messageId: 'no-scheme', pointer: '/components/securitySchemes' }],
    },
    {
      name: 'Swagger 2 basic, password flow and API key in the query',
      document: swagger({
        basic: { type: 'basic' },
        oauth: { type: 'oauth2', flow: 'password', tokenUrl: 'https://id.example/token', scopes: {} },
        key: { type: 'apiKey', in: 'query', name: 'key' },
      }),
      errors: [
        { messageId: 'weak-http-scheme', pointer: '/securityDefinitions/basic/type' },
        { messageId: 'deprecated-flow', pointer: '/securityDefinitions/oauth/flow' },
        { messageId: 'api-key-not-in-header', pointer: '/securityDefinitions/key/in' },
      ],
    },
    {
      name: 'Swagger 2 without securityDefinitions',
      document: swagger(),
      errors: [{ messageId: 'no-scheme', pointer: '' }],
    },
  ],
})
