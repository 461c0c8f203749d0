import rule from '../../../src/rules/openapi/https-only.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const ok = { '200': { description: 'ok' } }
const doc = (extra: object = {}, paths: object = { '/books': { get: { responses: ok } } }) => ({
  openapi: '3.1.0',
  info,
  paths,
  ...extra,
})
const swagger = (extra: object = {}, paths: object = { '/books': { get: { responses: ok } } }) => ({
  swagger: '2.0',
  info,
  paths,
  ...extra,
})
const service = { name: 'Open Loans', vendor: 'Bokslut AB' }
const manifest = (environments: object, openapi = 'openapi.yaml') => ({
  service,
  apis: [{ openapi, environments }],
})

testRule(rule, {
  valid: [
    {
      name: 'https servers, OAuth 2 and OpenID Connect endpoints',
      document: doc({
        servers: [{ url: 'https://api.bokslut.example/v1' }, { url: 'https://sandbox.bokslut.example/v1' }],
        components: {
          securitySchemes: {
            oidc: {
              type: 'openIdConnect',
              openIdConnectUrl: 'https://login.bokslut.example/.well-known/openid-configuration',
            },
            oauth: {
              type: 'oauth2',
              flows: {
                authorizationCode: {
                  authorizationUrl: 'https://login.bokslut.example/authorize',
                  tokenUrl: 'https://login.bokslut.example/token',
                  refreshUrl: 'https://login.bokslut.example/token',
                  scopes: {},
                },
              },
            },
          },
        },
      }),
    },
    {
      name: 'relative server URLs inherit the scheme the description is served over',
      document: doc({ servers: [{ url: '/v1' }, { url: '//api.bokslut.example/v1' }] }),
    },
    {
      name: 'server variables are replaced by their defaults',
      document: doc({
        servers: [
          {
            url: '{scheme}://{tenant}.bokslut.example/v1',
            variables: { scheme: { default: 'https', enum: ['https'] }, tenant: { default: 'demo' } },
          },
        ],
      }),
    },
    {
      name: 'Swagger 2 with only https',
      document: swagger({ host: 'api.bokslut.example', basePath: '/v1', schemes: ['https'] }),
    },
    {
      name: 'Swagger 2 without schemes uses the scheme the description is fetched with',
      document: swagger({ host: 'api.bokslut.example', basePath: '/v1' }),
    },
    {
      name: 'manifest environments over https',
      document: doc({ servers: [{ url: 'https://api.bokslut.example/v1' }] }),
      manifest: manifest({
        production: 'https://api.bokslut.example/v1',
        test: 'https://test.bokslut.example/v1',
      }),
    },
    {
      name: "another API's environments are that API's concern",
      document: doc({ servers: [{ url: 'https://api.bokslut.example/v1' }] }),
      manifest: {
        service,
        apis: [
          { openapi: 'openapi.yaml', environments: { production: 'https://api.bokslut.example/v1' } },
          { openapi: 'other.yaml', environments: { production: 'http://legacy.bokslut.example/v1' } },
        ],
      },
      files: { 'other.yaml': doc() },
    },
  ],
  invalid: [
    {
      name: 'plain http servers at root, path and operation level',
      document: doc(
        { servers: [{ url: 'http://api.bokslut.example/v1' }, { url: 'https://api.bokslut.example/v1' }] },
        {
          '/books': {
            servers: [{ url: 'http://books.bokslut.example/v1' }],
            get: { servers: [{ url: 'HTTP://op.bokslut.example/v1' }], responses: ok },
          },
        },
      ),
      errors: [
        { messageId: 'insecure-server', pointer: '/servers/0/url' },
        { messageId: 'insecure-server', pointer: '/paths/~1books/servers/0/url' },
        { messageId: 'insecure-server', pointer: '/paths/~1books/get/servers/0/url' },
      ],
    },
    {
      name: 'a server variable defaults to http, another allows it',
      document: doc({
        servers: [
          { url: '{scheme}://api.bokslut.example/v1', variables: { scheme: { default: 'http' } } },
          {
            url: '{scheme}://sandbox.bokslut.example/v1',
            variables: { scheme: { default: 'https', enum: ['https', 'http'] } },
          },
        ],
      }),
      errors: [
        { messageId: 'insecure-server', pointer: '/servers/0/url' },
        { messageId: 'insecure-server', pointer: '/servers/1/variables/scheme/enum/1' },
      ],
    },
    {
      name: 'Swagger 2 schemes with http, and an operation with ws',
      document: swagger(
        { host: 'casevault.arkivion.example', schemes: ['http', 'https'] },
        { '/events': { get: { schemes: ['ws', 'wss'], responses: ok } } },
      ),
      errors: [
        { messageId: 'insecure-scheme', pointer: '/schemes/0' },
        { messageId: 'insecure-scheme', pointer: '/paths/~1events/get/schemes/0' },
      ],
    },
    {
      name: 'OAuth 2 and OpenID Connect endpoints over http',
      document: doc({
        servers: [{ url: 'https://api.bokslut.example/v1' }],
        components: {
          securitySchemes: {
            oidc: {
              type: 'openIdConnect',
              openIdConnectUrl: 'http://login.bokslut.example/.well-known/openid-configuration',
            },
            oauth: {
              type: 'oauth2',
              flows: {
                clientCredentials: {
                  tokenUrl: 'http://login.bokslut.example/token',
                  refreshUrl: 'http://login.bokslut.example/refresh',
                  scopes: {},
                },
              },
            },
          },
        },
      }),
      errors: [
        { messageId: 'insecure-auth-url', pointer: '/components/securitySchemes/oidc/openIdConnectUrl' },
        {
          messageId: 'insecure-auth-url',
          pointer: '/components/securitySchemes/oauth/flows/clientCredentials/tokenUrl',
        },
        {
          messageId: 'insecure-auth-url',
          pointer: '/components/securitySchemes/oauth/flows/clientCredentials/refreshUrl',
        },
      ],
    },
    {
      name: 'Swagger 2 OAuth 2 authorization over http',
      document: swagger({
        host: 'casevault.arkivion.example',
        schemes: ['https'],
        securityDefinitions: {
          oauth: {
            type: 'oauth2',
            flow: 'accessCode',
            authorizationUrl: 'http://login.arkivion.example/authorize',
            tokenUrl: 'https://login.arkivion.example/token',
            scopes: {},
          },
        },
      }),
      errors: [{ messageId: 'insecure-auth-url', pointer: '/securityDefinitions/oauth/authorizationUrl' }],
    },
    {
      name: 'a manifest environment of this API over http',
      document: doc({ servers: [{ url: '/v1' }] }),
      manifest: manifest({
        production: 'https://api.bokslut.example/v1',
        test: 'http://test.bokslut.example/v1',
      }),
      errors: [
        { messageId: 'insecure-environment', pointer: '/apis/0/environments/test', source: 'interop.yaml' },
      ],
    },
  ],
  notApplicable: [
    { name: 'no servers, no security schemes', document: doc() },
    { name: 'Swagger 2 without host or schemes', document: swagger() },
  ],
})
