import { defineRule } from '../../core/define-rule.js'
import { isProprietaryMediaType } from '../openapi/util-closed.js'

export default defineRule({
  meta: {
    id: 'exit-declarations',
    title: 'The vendor declares how a customer leaves: export formats, exit plan and export cost',
    failureTitle: 'The vendor does not declare how a customer leaves with its data',
    description:
      'The EU Data Act (art. 25–29) gives a customer the right to switch provider with all its exportable data, on a contract that says how, in which formats and at what charge; a municipality that cannot see this before buying is locked in. ' +
      'Declare the formats of a full data export, a link to the exit plan, and what an export costs.',
    fix: 'Declare dataExport.formats (open media types), dataExport.cost and exitPlan under declarations in interop.yaml.',
    sources: [
      {
        title:
          'Regulation (EU) 2023/2854 (Data Act), chapter VI: switching between data processing services, art. 23–31',
        url: 'https://eur-lex.europa.eu/eli/reg/2023/2854/oj',
      },
      {
        title: 'European Interoperability Framework, recommendation 9',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
    ],
    requires: ['declarations'],
    establishedBy: 'declared',
    messages: {
      'no-export-formats':
        'The manifest does not declare dataExport.formats: the formats of a full export of the customer’s data.',
      'no-exit-plan': 'The manifest does not declare an exitPlan: how a customer leaves with its data.',
      'no-export-cost':
        'The manifest does not declare dataExport.cost: what an export costs (art. 29 of the Data Act limits switching charges).',
      'closed-export-format':
        'The export format {{format}} is proprietary; offer the export in an open format such as application/json, text/csv or XML.',
    },
  },
  check(ctx) {
    const decl = ctx.artifacts.declarations!
    const d = decl.value
    const exportAt = d.dataExport ? decl.loc('dataExport') : decl.loc()
    const formats = d.dataExport?.formats
    if (!Array.isArray(formats) || !formats.length)
      ctx.report({ messageId: 'no-export-formats', loc: exportAt })
    else
      formats.forEach((format, i) => {
        // Art. 30(4): a structured, commonly used and machine-readable format. Vendor-tree types
        // without a +json/+xml suffix and Microsoft's binary office formats are neither.
        if (typeof format === 'string' && isProprietaryMediaType(format))
          ctx.report({
            messageId: 'closed-export-format',
            loc: decl.loc('dataExport', 'formats', i),
            data: { format },
          })
      })
    // Art. 29: from 12 January 2027 no switching charges; until then at most the provider's costs.
    // Whether the cost is acceptable is for the procurement; here it must be stated at all.
    if (d.dataExport?.cost === undefined) ctx.report({ messageId: 'no-export-cost', loc: exportAt })
    if (d.exitPlan === undefined) ctx.report({ messageId: 'no-exit-plan', loc: decl.loc() })
  },
})
