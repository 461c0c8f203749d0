import { defineRule } from '../../core/define-rule.js'
import { SKIPPED_INVARIANTS } from '../../fhir/validate.js'
import { FHIR_REQUIRES, FHIR_SOURCES, reportIssues } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-invariants',
    title: 'FHIR resources meet the error-level R4 invariants',
    failureTitle: 'FHIR resources break error-level R4 invariants',
    description:
      'The invariants (pat-1, obs-6, bdl-7 …) are rules between elements that receivers rely on, such as a Bundle not holding the same resource twice. ' +
      `Meet every error-level invariant of the R4 StructureDefinitions. Not evaluated offline: ${Object.entries(
        SKIPPED_INVARIANTS,
      )
        .map(([k, why]) => `${k} (${why})`)
        .join(
          '; ',
        )}; and invariants that need other resources or a terminology server (resolve(), memberOf()).`,
    fix: 'Correct the resources so that each invariant the findings name holds.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): Constraints (invariants)',
        url: 'https://hl7.org/fhir/R4/conformance-rules.html#constraints',
      },
      { title: 'FHIRPath (Normative Release)', url: 'https://hl7.org/fhirpath/N1/' },
      FHIR_SOURCES.validation,
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{expression}}: {{message}}.' },
  },
  check(ctx) {
    reportIssues(ctx, 'invariant')
  },
})
