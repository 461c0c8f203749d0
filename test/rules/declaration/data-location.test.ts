import rule from '../../../src/rules/declaration/data-location.js'
import { testRule } from '../../../src/testing/vitest.js'

const service = { name: 'Open Loans', vendor: 'Bokslut AB' }
const manifest = (hosting?: object) => ({
  service,
  declarations: hosting ? { hosting } : { exitPlan: 'https://x.example/exit' },
})

testRule(rule, {
  valid: [
    {
      name: 'Swedish and Finnish data centres, no sub-processors outside the EEA',
      manifest: manifest({
        processingCountries: ['SE'],
        storageCountries: ['SE', 'FI'],
        subProcessorsOutsideEea: [],
      }),
    },
    {
      name: 'Norway is in the EEA; a named sub-processor outside it is declared, not hidden',
      manifest: manifest({
        processingCountries: ['NO'],
        storageCountries: ['NO'],
        subProcessorsOutsideEea: [
          { name: 'Support desk Ltd', country: 'GB', purpose: 'second-line support' },
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'no hosting declared',
      manifest: manifest(),
      errors: [{ messageId: 'no-hosting', pointer: '/declarations', source: 'interop.yaml' }],
    },
    {
      name: 'storage in the United States, countries of processing missing',
      manifest: manifest({ storageCountries: ['SE', 'US'], subProcessorsOutsideEea: [] }),
      errors: [
        { messageId: 'missing-countries', pointer: '/declarations/hosting' },
        { messageId: 'outside-eea', pointer: '/declarations/hosting/storageCountries/1', line: 8 },
      ],
    },
    {
      name: 'sub-processors not declared',
      manifest: manifest({ processingCountries: ['SE'], storageCountries: ['SE'] }),
      errors: [{ messageId: 'sub-processors-undeclared', pointer: '/declarations/hosting' }],
    },
  ],
  notChecked: [
    {
      name: 'a plain OpenAPI description has no declarations',
      document: { openapi: '3.1.0', info: { title: 't', version: '1.0.0' }, paths: {} },
    },
    { name: 'a manifest without declarations', manifest: { service } },
  ],
})
