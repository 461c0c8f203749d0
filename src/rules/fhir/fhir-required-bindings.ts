import { defineRule } from '../../core/define-rule.js'
import { FHIR_REQUIRES, reportIssues } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-required-bindings',
    title: 'Coded FHIR elements with a required binding use its codes',
    failureTitle: 'Coded FHIR elements use codes their required binding does not allow',
    description:
      'A code outside a required value set (a gender of "f", a status no receiver knows) is data the receiving system cannot interpret. ' +
      'Use only codes from the value set a required binding names, and only codes a code system defines.',
    fix: 'Replace the codes the findings name with codes from the bound value set.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): Terminology bindings',
        url: 'https://hl7.org/fhir/R4/terminologies.html#strength',
      },
      { title: 'FHIR R4 expansions (hl7.fhir.r4.expansions)', url: 'https://hl7.org/fhir/R4/downloads.html' },
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{expression}}: {{message}}.' },
  },
  check(ctx) {
    reportIssues(ctx, 'binding', (i) => i.severity === 'error')
  },
})
