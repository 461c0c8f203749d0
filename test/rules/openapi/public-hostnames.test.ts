import { describe, expect, it } from 'vitest'
import rule, { reservedRange } from '../../../src/rules/openapi/public-hostnames.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const paths = { '/books': { get: { responses: { '200': { description: 'ok' } } } } }
const doc = (...urls: string[]) => ({
  openapi: '3.1.0',
  info,
  ...(urls.length ? { servers: urls.map((url) => ({ url })) } : {}),
  paths,
})
const swagger = (host?: string) => ({
  swagger: '2.0',
  info,
  ...(host ? { host } : {}),
  basePath: '/v1',
  paths,
})
const service = { name: 'Open Loans', vendor: 'Bokslut AB' }

testRule(rule, {
  valid: [
    {
      name: 'public host names',
      document: doc('https://api.bokslut.se/v1', 'https://sandbox.bokslut.se:8443/v1'),
    },
    { name: 'relative server URLs', document: doc('/v1', 'v1') },
    {
      name: 'placeholder hosts are accepted by default',
      document: doc('https://api.bokslut.example/v1', 'https://api.example.com/v1'),
    },
    {
      name: 'variables are replaced by their defaults; unexpanded ones are not judged',
      document: {
        ...doc(),
        servers: [
          { url: 'https://{tenant}.bokslut.se/v1', variables: { tenant: { default: 'malmo' } } },
          { url: 'https://{host}/v1', variables: { host: { enum: ['a.bokslut.se'] } } },
        ],
      },
    },
    { name: 'Swagger 2 host with a port', document: swagger('casevault.arkivion.se:443') },
    {
      name: 'manifest environments with public names',
      document: doc('https://api.bokslut.se/v1'),
      manifest: {
        service,
        apis: [{ openapi: 'openapi.yaml', environments: { production: 'https://api.bokslut.se/v1' } }],
      },
    },
  ],
  invalid: [
    {
      name: 'public and private IPv4 literals',
      document: doc('https://93.184.216.34/v1', 'http://10.1.2.3:8080/v1', 'https://192.168.0.10/v1'),
      errors: [
        { messageId: 'ip-literal', pointer: '/servers/0/url' },
        { messageId: 'private-address', pointer: '/servers/1/url' },
        { messageId: 'private-address', pointer: '/servers/2/url' },
      ],
    },
    {
      name: 'IPv6 literals: public, loopback, unique local, link-local',
      document: doc(
        'https://[2a00:1450:4010::65]/v1',
        'http://[::1]/v1',
        'https://[fd12:3456::1]/v1',
        'https://[fe80::1%25eth0]/',
      ),
      errors: [
        { messageId: 'ip-literal', pointer: '/servers/0/url' },
        { messageId: 'private-address', pointer: '/servers/1/url' },
        { messageId: 'private-address', pointer: '/servers/2/url' },
        { messageId: 'private-address', pointer: '/servers/3/url' },
      ],
    },
    {
      name: 'loopback written in a short IPv4 form, and carrier-grade NAT',
      document: doc('http://127.1/v1', 'https://100.64.10.1/v1'),
      errors: [
        { messageId: 'private-address', pointer: '/servers/0/url' },
        { messageId: 'private-address', pointer: '/servers/1/url' },
      ],
    },
    {
      name: 'local names',
      document: doc(
        'http://localhost:8080/v1',
        'https://api.localhost/v1',
        'https://records.local/v1',
        'https://api.svc.internal/v1',
        'https://srv.corp/v1',
        'https://nas.home.arpa/v1',
        'https://apiserver/v1',
      ),
      errors: [0, 1, 2, 3, 4, 5, 6].map((i) => ({ messageId: 'local-name', pointer: `/servers/${i}/url` })),
    },
    {
      name: 'placeholder hosts when they are not allowed',
      document: doc(
        'https://api.example.com/v1',
        'https://api.bokslut.example/v1',
        'https://api.bokslut.se/v1',
      ),
      options: { allowPlaceholderHosts: false },
      errors: [
        { messageId: 'placeholder-host', pointer: '/servers/0/url' },
        { messageId: 'placeholder-host', pointer: '/servers/1/url' },
      ],
    },
    {
      name: 'Swagger 2 host on a private address',
      document: swagger('172.20.1.5:8080'),
      errors: [{ messageId: 'private-address', pointer: '/host' }],
    },
    {
      name: 'path- and operation-level servers',
      document: {
        ...doc('https://api.bokslut.se/v1'),
        paths: {
          '/books': {
            servers: [{ url: 'http://localhost/v1' }],
            get: {
              servers: [{ url: 'https://192.168.1.1/v1' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
      errors: [
        { messageId: 'local-name', pointer: '/paths/~1books/servers/0/url' },
        { messageId: 'private-address', pointer: '/paths/~1books/get/servers/0/url' },
      ],
    },
    {
      name: 'a manifest environment on localhost',
      document: doc('/v1'),
      manifest: {
        service,
        apis: [
          {
            openapi: 'openapi.yaml',
            environments: { production: 'https://api.bokslut.se/v1', test: 'http://localhost:3000/v1' },
          },
        ],
      },
      errors: [{ messageId: 'local-name', pointer: '/apis/0/environments/test', source: 'interop.yaml' }],
    },
  ],
  notApplicable: [
    { name: 'no servers', document: doc() },
    { name: 'only relative servers', document: doc('/v1') },
    { name: 'Swagger 2 without host', document: swagger() },
  ],
})

describe('reservedRange', () => {
  it('knows private, reserved and public addresses', () => {
    expect(reservedRange('172.31.255.255')).toMatch(/^172\.16\.0\.0\/12/)
    expect(reservedRange('172.32.0.1')).toBeUndefined()
    expect(reservedRange('169.254.169.254')).toMatch(/link-local/)
    expect(reservedRange('100.127.0.1')).toMatch(/^100\.64/)
    expect(reservedRange('100.128.0.1')).toBeUndefined()
    expect(reservedRange('8.8.8.8')).toBeUndefined()
    expect(reservedRange('::ffff:192.168.1.1')).toMatch(/^192\.168/)
    expect(reservedRange('fbff::1')).toBeUndefined()
    expect(reservedRange('fdff::1')).toMatch(/^fc00::\/7/)
    expect(reservedRange('febf::1')).toMatch(/^fe80::\/10/)
    expect(reservedRange('fec0::1')).toBeUndefined()
    expect(reservedRange('2001:db8:1::1')).toMatch(/documentation/)
  })
})
