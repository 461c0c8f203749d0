import { expect, it } from 'vitest'
import rule from '../../../src/rules/openapi/changelog.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'

const doc = (extra: object = {}, info: object = {}) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1.0.0', ...info },
  paths: {},
  ...extra,
})
const service = { name: 'Open Loans', vendor: 'Bokslut AB' }

const declared = {
  name: 'the manifest links the changelog',
  document: doc(),
  manifest: { service: { ...service, changelog: 'https://developer.bokslut.example/changelog' } },
}

testRule(rule, {
  valid: [
    {
      name: 'externalDocs described as release notes',
      document: doc({
        externalDocs: { url: 'https://developer.bokslut.example/news', description: 'Release notes' },
      }),
    },
    {
      name: 'externalDocs pointing at CHANGELOG.md',
      document: doc({ externalDocs: { url: 'https://git.bokslut.example/library/blob/main/CHANGELOG.md' } }),
    },
    {
      name: 'a Swedish description',
      document: doc({
        externalDocs: {
          url: 'https://bokslut.example/api',
          description: 'Ändringslogg och versionshistorik',
        },
      }),
    },
    {
      name: 'info.x-changelog',
      document: doc({}, { 'x-changelog': 'https://developer.bokslut.example/releases' }),
    },
    {
      name: 'root x-changelog object',
      document: doc({ 'x-changelog': { url: 'https://developer.bokslut.example/r' } }),
    },
    {
      name: 'Swagger 2 externalDocs',
      document: {
        swagger: '2.0',
        info: { title: 't', version: '1.0.0' },
        paths: {},
        externalDocs: { url: 'https://arkivion.example/docs/changes' },
      },
    },
    declared,
  ],
  invalid: [
    { name: 'nothing linked', document: doc(), errors: [{ messageId: 'missing', pointer: '/info' }] },
    {
      name: 'externalDocs is only the developer portal',
      document: doc({
        externalDocs: { url: 'https://developer.bokslut.example/exchanges', description: 'Developer portal' },
      }),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'an empty x-changelog',
      document: doc({ 'x-changelog': { description: 'soon' } }, { 'x-changelog': '' }),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'a manifest without a changelog',
      document: doc(),
      manifest: { service },
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
  ],
})

it('changelog: a changelog only the manifest names is established as declared', async () => {
  const outcome = await runRuleCase(rule, declared)
  expect(outcome.status).toBe('pass')
  expect(outcome.establishedBy).toBe('declared')
})
