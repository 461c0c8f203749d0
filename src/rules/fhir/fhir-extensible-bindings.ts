import { defineRule } from '../../core/define-rule.js'
import { FHIR_REQUIRES, reportIssues } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-extensible-bindings',
    title: 'Coded FHIR elements with an extensible binding use real codes',
    failureTitle: 'Coded FHIR elements with an extensible binding use codes that do not exist',
    description:
      'An extensible binding allows codes from outside its value set when none fits, but a code that its own code system does not define is a mistake a receiver cannot map. ' +
      'Use codes the named code system defines; prefer the bound value set.',
    fix: 'Replace the codes the findings name with codes the code system defines.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): Terminology bindings',
        url: 'https://hl7.org/fhir/R4/terminologies.html#extensible',
      },
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{expression}}: {{message}}.' },
  },
  check(ctx) {
    reportIssues(ctx, 'binding', (i) => i.severity !== 'error')
  },
})
