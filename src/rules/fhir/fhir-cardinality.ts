import { defineRule } from '../../core/define-rule.js'
import { FHIR_REQUIRES, FHIR_SOURCES, reportIssues } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-cardinality',
    title: 'FHIR resources have every element R4 requires',
    failureTitle: 'FHIR resources lack elements R4 requires',
    description:
      'An Observation without a status or a Bundle entry request without a method cannot be processed safely, and the JSON Schema does not notice. ' +
      'Give every element whose minimum cardinality in the R4 StructureDefinitions is 1, primitives included.',
    fix: 'Add the required elements the findings name.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): Cardinality',
        url: 'https://hl7.org/fhir/R4/conformance-rules.html#cardinality',
      },
      FHIR_SOURCES.validation,
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{message}}.' },
  },
  check(ctx) {
    reportIssues(ctx, 'cardinality')
  },
})
