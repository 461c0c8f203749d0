import rule from '../../../src/rules/openapi/operation-security.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const ok = { responses: { '200': { description: 'ok' } } }
const oauth = {
  type: 'oauth2',
  flows: {
    authorizationCode: {
      authorizationUrl: 'https://id.example/auth',
      tokenUrl: 'https://id.example/token',
      scopes: { 'books:read': 'Read books', 'books:write': 'Change books' },
    },
  },
}
const oas = (paths: object, extra: object = {}, schemes: object = { oauth }) => ({
  openapi: '3.1.0',
  info,
  paths,
  components: { securitySchemes: schemes },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'root-level security with declared scopes',
      document: oas({ '/books': { get: ok } }, { security: [{ oauth: ['books:read'] }] }),
    },
    {
      name: 'operation-level security, and a deliberately public operation',
      document: oas({
        '/books': { get: { ...ok, security: [{ oauth: ['books:read', 'books:write'] }] } },
        '/health': { get: { ...ok, security: [] } },
        '/status': { get: { ...ok, security: [{}] } },
      }),
    },
    {
      name: 'OpenID Connect scopes are declared elsewhere',
      document: oas(
        { '/books': { get: ok } },
        { security: [{ oidc: ['openid', 'profile'] }] },
        {
          oidc: {
            type: 'openIdConnect',
            openIdConnectUrl: 'https://id.example/.well-known/openid-configuration',
          },
        },
      ),
    },
    {
      name: 'Swagger 2 with root security and documented scopes',
      document: {
        swagger: '2.0',
        info,
        securityDefinitions: {
          oauth: {
            type: 'oauth2',
            flow: 'application',
            tokenUrl: 'https://id.example/token',
            scopes: { read: 'Read' },
          },
        },
        security: [{ oauth: ['read'] }],
        paths: { '/books': { get: ok } },
      },
    },
  ],
  invalid: [
    {
      name: 'no security anywhere; a root-level [] does not secure operations',
      document: oas({ '/books': { get: ok, post: { ...ok, security: [{ oauth: [] }] } } }, { security: [] }),
      errors: [{ messageId: 'unsecured', pointer: '/paths/~1books/get' }],
    },
    {
      name: 'scopes used but not declared, at the root and on an operation',
      document: oas(
        { '/books': { get: { ...ok, security: [{ oauth: ['books:read', 'books:delete'] }] } } },
        { security: [{ oauth: ['admin'] }] },
      ),
      errors: [
        { messageId: 'undeclared-scope', pointer: '/security/0/oauth/0' },
        { messageId: 'undeclared-scope', pointer: '/paths/~1books/get/security/0/oauth/1' },
      ],
    },
    {
      name: 'declared scopes without descriptions',
      document: oas(
        { '/books': { get: ok } },
        { security: [{ oauth: ['read'] }] },
        {
          oauth: {
            type: 'oauth2',
            flows: {
              clientCredentials: { tokenUrl: 'https://id.example/token', scopes: { read: '', write: ' ' } },
            },
          },
        },
      ),
      errors: [
        {
          messageId: 'undocumented-scope',
          pointer: '/components/securitySchemes/oauth/flows/clientCredentials/scopes/read',
        },
        {
          messageId: 'undocumented-scope',
          pointer: '/components/securitySchemes/oauth/flows/clientCredentials/scopes/write',
        },
      ],
    },
    {
      name: 'Swagger 2: unsecured operation, undeclared and undocumented scopes',
      document: {
        swagger: '2.0',
        info,
        securityDefinitions: {
          oauth: {
            type: 'oauth2',
            flow: 'application',
            tokenUrl: 'https://id.example/token',
            scopes: { read: '' },
          },
        },
        paths: {
          '/books': { get: ok, post: { ...ok, security: [{ oauth: ['write'] }] } },
        },
      },
      errors: [
        { messageId: 'undocumented-scope', pointer: '/securityDefinitions/oauth/scopes/read' },
        { messageId: 'unsecured', pointer: '/paths/~1books/get' },
        { messageId: 'undeclared-scope', pointer: '/paths/~1books/post/security/0/oauth/0' },
      ],
    },
  ],
})
