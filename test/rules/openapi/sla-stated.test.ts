import { expect, it } from 'vitest'
import rule from '../../../src/rules/openapi/sla-stated.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'

const doc = (info: object = {}, extra: object = {}) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1.0.0', ...info },
  paths: {},
  ...extra,
})
const service = { name: 'Open Loans', vendor: 'Bokslut AB' }
const withSla = (sla: object) => ({ service, declarations: { sla } })

const declared = {
  name: 'only the manifest declares the availability',
  document: doc(),
  manifest: withSla({ availability: 99.9, supportHours: 'Mon-Fri 08-17 CET' }),
}

testRule(rule, {
  valid: [
    { name: 'info.termsOfService', document: doc({ termsOfService: 'https://bokslut.example/terms' }) },
    { name: 'x-sla in info', document: doc({ 'x-sla': 'https://bokslut.example/sla' }) },
    { name: 'x-sla object at the root', document: doc({}, { 'x-sla': { availability: '99.9%' } }) },
    {
      name: 'Swagger 2 termsOfService',
      document: {
        swagger: '2.0',
        info: { title: 't', version: '1.0.0', termsOfService: 'https://arkivion.example/terms' },
        paths: {},
      },
    },
    declared,
    {
      name: 'the manifest links the SLA',
      document: doc(),
      manifest: withSla({ url: 'https://bokslut.example/sla' }),
    },
  ],
  invalid: [
    { name: 'nothing stated', document: doc(), errors: [{ messageId: 'missing', pointer: '/info' }] },
    {
      name: 'empty termsOfService and x-sla',
      document: doc({ termsOfService: ' ', 'x-sla': {} }),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'the declared SLA gives only support hours',
      document: doc(),
      manifest: withSla({ supportHours: 'Mon-Fri 08-17 CET' }),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'Swagger 2 without terms',
      document: { swagger: '2.0', info: { title: 't', version: '1.0.0' }, paths: {} },
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
  ],
})

it('sla-stated: an SLA only the manifest states is established as declared', async () => {
  const outcome = await runRuleCase(rule, declared)
  expect(outcome.status).toBe('pass')
  expect(outcome.establishedBy).toBe('declared')
  const documented = await runRuleCase(rule, {
    name: 'both',
    document: doc({ termsOfService: 'https://bokslut.example/terms' }),
    manifest: withSla({ availability: 99.9 }),
  })
  expect(documented.establishedBy).toBe('static')
})
