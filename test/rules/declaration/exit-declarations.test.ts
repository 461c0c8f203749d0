import rule from '../../../src/rules/declaration/exit-declarations.js'
import { testRule } from '../../../src/testing/vitest.js'

const service = { name: 'Open Loans', vendor: 'Bokslut AB' }
const manifest = (declarations: object) => ({ service, declarations })
const exitPlan = 'https://bokslut.example/exit-plan'

testRule(rule, {
  valid: [
    {
      name: 'open formats, exit plan, export included in the price',
      manifest: manifest({
        dataExport: {
          formats: ['application/json', 'text/csv', 'application/fhir+ndjson'],
          cost: 'included',
        },
        exitPlan,
      }),
    },
    {
      name: 'an export at a stated cost, as OpenDocument and a +json vendor type',
      manifest: manifest({
        dataExport: {
          formats: ['application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.bokslut.export+json'],
          cost: { amount: 5000, currency: 'SEK', per: 'export' },
        },
        exitPlan,
      }),
    },
  ],
  invalid: [
    {
      name: 'nothing about leaving declared',
      manifest: manifest({ hosting: { provider: 'Acme Cloud' } }),
      errors: [
        { messageId: 'no-export-formats', pointer: '/declarations', source: 'interop.yaml' },
        { messageId: 'no-export-cost', pointer: '/declarations' },
        { messageId: 'no-exit-plan', pointer: '/declarations' },
      ],
    },
    {
      name: 'export without formats or cost',
      manifest: manifest({ dataExport: { method: 'file delivery on request' }, exitPlan }),
      errors: [
        { messageId: 'no-export-formats', pointer: '/declarations/dataExport' },
        { messageId: 'no-export-cost', pointer: '/declarations/dataExport' },
      ],
    },
    {
      name: 'proprietary export formats',
      manifest: manifest({
        dataExport: {
          formats: ['application/vnd.bokslut.backup', 'text/csv', 'application/vnd.ms-access'],
          cost: 'included',
        },
        exitPlan,
      }),
      errors: [
        { messageId: 'closed-export-format', pointer: '/declarations/dataExport/formats/0', line: 7 },
        { messageId: 'closed-export-format', pointer: '/declarations/dataExport/formats/2' },
      ],
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
