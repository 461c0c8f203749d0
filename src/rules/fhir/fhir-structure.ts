import { defineRule } from '../../core/define-rule.js'
import { FHIR_REQUIRES, FHIR_SOURCES, reportIssues } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-structure',
    title: 'FHIR resources have the R4 structure, types and formats',
    failureTitle: 'FHIR resources do not have the R4 structure, types or formats',
    description:
      'A receiving system parses FHIR strictly: an unknown element, a number where a string belongs or an impossible date makes it reject the whole resource. ' +
      'Send resources that validate against the official FHIR R4 JSON Schema, with real calendar dates.',
    fix: 'Correct the element names, types and formats the findings name, as the FHIR R4 specification defines them.',
    sources: [
      FHIR_SOURCES.json,
      {
        title: 'FHIR R4 JSON Schema (fhir.schema.json)',
        url: 'https://hl7.org/fhir/R4/fhir.schema.json.zip',
      },
      { title: 'FHIR R4 (4.0.1): Data types', url: 'https://hl7.org/fhir/R4/datatypes.html' },
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{expression}}: {{message}}.' },
  },
  check(ctx) {
    reportIssues(ctx, 'structure')
  },
})
