import rule from '../../../src/rules/openapi/version-in-url.js'
import { testRule } from '../../../src/testing/vitest.js'

const oas = (servers: object[] | undefined, version = '1.2.0', paths: object = {}) => ({
  openapi: '3.0.3',
  info: { title: 't', version },
  ...(servers ? { servers } : {}),
  paths,
})
const get = { get: { responses: { '200': { description: 'ok' } } } }
const swagger = (extra: object) => ({
  swagger: '2.0',
  info: { title: 't', version: '2.0.0' },
  paths: {},
  ...extra,
})

testRule(rule, {
  valid: [
    { name: 'major version at the end', document: oas([{ url: 'https://example.com/api/v1' }]) },
    { name: 'relative URL', document: oas([{ url: '/api/v1' }]) },
    { name: 'major version in the middle', document: oas([{ url: 'https://example.com/v1/books' }]) },
    { name: 'stability label', document: oas([{ url: 'https://example.com/v1beta1' }]) },
    {
      name: 'pre-release of v1 while in 0.y.z',
      document: oas([{ url: 'https://example.com/v1beta2' }], '0.7.0'),
    },
    {
      name: 'version from a server variable default',
      document: oas([
        {
          url: 'https://{host}/api/{version}',
          variables: { host: { default: 'example.com' }, version: { default: 'v1', enum: ['v1'] } },
        },
      ]),
    },
    {
      name: 'mismatch not checked when switched off',
      document: oas([{ url: 'https://example.com/v3' }]),
      options: { matchInfoVersion: false },
    },
    { name: 'Swagger 2 basePath', document: swagger({ host: 'example.com', basePath: '/api/v2' }) },
    // Served from wherever the description is served: a relative URL, not a made-up host.
    { name: 'Swagger 2 basePath without a host', document: swagger({ basePath: '/api/v2' }) },
    {
      name: 'version in every path instead of the server URL',
      document: oas([{ url: 'https://example.com' }], '1.0.0', { '/v1/books': get, '/v1/books/{id}': get }),
    },
    {
      name: 'Swagger 2 version in every path',
      document: swagger({ host: 'example.com', basePath: '/', paths: { '/v2/a': get } }),
    },
    {
      name: 'style none without a version',
      document: oas([{ url: 'https://example.com/api' }]),
      options: { style: 'none' },
    },
    {
      name: 'version only in the host name is no path segment (style none)',
      document: oas([{ url: 'https://v1.example.com/api' }]),
      options: { style: 'none' },
    },
  ],
  invalid: [
    {
      name: 'no version',
      document: oas([{ url: 'https://example.com/api' }, { url: 'https://test.example.com/api/v1' }]),
      errors: [{ messageId: 'missing', pointer: '/servers/0/url' }],
    },
    {
      name: 'version only in the host name',
      document: oas([{ url: 'https://v1.example.com/api' }]),
      errors: [{ messageId: 'missing', pointer: '/servers/0/url' }],
    },
    {
      name: 'full version in the URL',
      document: oas([{ url: 'https://example.com/api/v1.2' }, { url: 'https://example.com/api/1.2.0/' }]),
      errors: [
        { messageId: 'full-version', pointer: '/servers/0/url' },
        { messageId: 'full-version', pointer: '/servers/1/url' },
      ],
    },
    {
      name: 'URL major differs from info.version',
      document: oas([{ url: 'https://example.com/api/v2' }], '1.4.0'),
      errors: [{ messageId: 'mismatch', pointer: '/servers/0/url' }],
    },
    {
      name: 'path-level and operation-level servers',
      document: oas([{ url: 'https://example.com/v1' }], '1.0.0', {
        '/a': {
          servers: [{ url: 'https://files.example.com/' }],
          get: {
            servers: [{ url: 'https://other.example.com/v1.0' }],
            responses: { '200': { description: 'ok' } },
          },
        },
      }),
      errors: [
        { messageId: 'missing', pointer: '/paths/~1a/servers/0/url' },
        { messageId: 'full-version', pointer: '/paths/~1a/get/servers/0/url' },
      ],
    },
    {
      name: 'versioned paths; an unversioned path with its own server',
      document: oas([{ url: 'https://example.com' }], '1.0.0', {
        '/v1/books': get,
        '/{upload}': {
          put: {
            servers: [{ url: 'https://files.example.com' }],
            responses: { '200': { description: 'ok' } },
          },
        },
      }),
      errors: [{ messageId: 'missing', pointer: '/paths/~1{upload}/put/servers/0/url' }],
    },
    {
      name: 'version in some paths only',
      document: oas([{ url: 'https://example.com' }], '1.0.0', { '/v1/books': get, '/health': get }),
      errors: [{ messageId: 'missing', pointer: '/servers/0/url' }],
    },
    {
      name: 'paths carry another major version than info.version',
      document: oas([{ url: 'https://example.com' }], '1.0.0', { '/v2/books': get, '/v1.1/authors': get }),
      errors: [
        { messageId: 'mismatch', pointer: '/paths/~1v2~1books' },
        { messageId: 'full-version', pointer: '/paths/~1v1.1~1authors' },
      ],
    },
    {
      name: 'Swagger 2 basePath without version',
      document: swagger({ host: 'example.com', basePath: '/api' }),
      errors: [{ messageId: 'missing', pointer: '/basePath' }],
    },
    {
      name: 'Swagger 2 host without basePath',
      document: swagger({ host: 'example.com' }),
      errors: [{ messageId: 'missing', pointer: '/host' }],
    },
    {
      name: 'style none with a version segment',
      document: oas([{ url: 'https://example.com/api/v1' }, { url: 'https://example.com/api/1.0' }]),
      options: { style: 'none' },
      errors: [
        { messageId: 'forbidden', pointer: '/servers/0/url' },
        { messageId: 'forbidden', pointer: '/servers/1/url' },
      ],
    },
    {
      name: 'style none with a version in a path',
      document: oas([{ url: 'https://example.com/api' }], '1.0.0', { '/v1/books': get, '/authors': get }),
      options: { style: 'none' },
      errors: [{ messageId: 'forbidden', pointer: '/paths/~1v1~1books', line: 8 }],
    },
  ],
  notApplicable: [
    { name: 'no servers', document: oas(undefined) },
    { name: 'empty servers', document: oas([]) },
    { name: 'Swagger 2 without host and basePath', document: swagger({}) },
  ],
})
