import { expect, it } from 'vitest'
import rule from '../../../src/rules/openapi/sandbox-environment.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const paths = { '/books': { get: { responses: { '200': { description: 'ok' } } } } }
const doc = (servers?: object[]) => ({ openapi: '3.1.0', info, ...(servers ? { servers } : {}), paths })
const swagger = (host: string, basePath = '/v1') => ({ swagger: '2.0', info, host, basePath, paths })
const service = { name: 'Open Loans', vendor: 'Bokslut AB' }
const manifest = (environments: object) => ({ service, apis: [{ openapi: 'openapi.yaml', environments }] })
const production = { url: 'https://api.bokslut.example/v1', description: 'Production' }

const declared = {
  name: 'the manifest lists a test environment',
  document: doc([production]),
  manifest: manifest({ production: production.url, test: 'https://test.bokslut.example/v1' }),
}

testRule(rule, {
  valid: [
    {
      name: 'a sandbox server beside production',
      document: doc([production, { url: 'https://sandbox.bokslut.example/v1' }]),
    },
    {
      name: 'the server description says what it is',
      document: doc([
        production,
        { url: 'https://api2.bokslut.example/v1', description: 'Testmiljö med syntetiska data' },
      ]),
    },
    {
      name: 'a pre-production host name',
      document: doc([production, { url: 'https://pre-prod.bokslut.example/v1' }]),
    },
    {
      name: 'a demo server at path level',
      document: {
        ...doc([production]),
        paths: {
          '/books': {
            servers: [{ url: 'https://demo.bokslut.example/v1' }],
            get: { responses: { '200': { description: 'ok' } } },
          },
        },
      },
    },
    { name: 'Swagger 2 host that is the staging environment', document: swagger('staging.arkivion.example') },
    declared,
  ],
  invalid: [
    {
      name: 'production only',
      document: doc([production]),
      errors: [{ messageId: 'missing', pointer: '/servers' }],
    },
    {
      name: '"latest" and "contest" are not test environments',
      document: doc([
        { url: 'https://latest.bokslut.example/v1' },
        { url: 'https://contest.bokslut.example/v1', description: 'Tested daily' },
      ]),
      errors: [{ messageId: 'missing', pointer: '/servers' }],
    },
    {
      name: 'no servers at all',
      document: doc(),
      errors: [{ messageId: 'missing', pointer: '' }],
    },
    {
      name: 'Swagger 2 production host',
      document: swagger('casevault.arkivion.example', '/cvapi'),
      errors: [{ messageId: 'missing', pointer: '/host' }],
    },
    {
      name: 'the manifest lists only production',
      document: doc([production]),
      manifest: manifest({ production: production.url }),
      errors: [{ messageId: 'missing', pointer: '/servers' }],
    },
  ],
})

it('sandbox-environment: an environment only the manifest names is established as declared', async () => {
  const outcome = await runRuleCase(rule, declared)
  expect(outcome.status).toBe('pass')
  expect(outcome.establishedBy).toBe('declared')
  const fromServers = await runRuleCase(rule, {
    name: 'servers',
    document: doc([production, { url: 'https://sandbox.bokslut.example/v1' }]),
    manifest: manifest({ production: production.url, test: 'https://test.bokslut.example/v1' }),
  })
  expect(fromServers.establishedBy).toBe('static')
})
