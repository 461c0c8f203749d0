import { defineRule } from '../../core/define-rule.js'
import { validateClaimedProfiles } from '../../fhir/profiles.js'
import { FHIR_REQUIRES, fhirOf } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-profiles',
    title: 'FHIR resources conform to the profiles they claim',
    failureTitle: 'FHIR resources break the profiles they claim in meta.profile',
    description:
      'A resource that claims a national or regional profile (meta.profile) promises the receiver what that profile requires: identifiers, fixed code systems, required slices. ' +
      'Meet the cardinality, fixed and pattern values and slices of every profile claimed; load the profiles with the manifest’s fhir.packages or --fhir-package.',
    fix: 'Correct the resources so that they meet the profiles they claim, or stop claiming a profile they do not meet.',
    sources: [
      { title: 'FHIR R4 (4.0.1): Profiling', url: 'https://hl7.org/fhir/R4/profiling.html' },
      {
        title: 'FHIR R4 (4.0.1): Validating against profiles',
        url: 'https://hl7.org/fhir/R4/validation.html#profile',
      },
      {
        title: 'FHIR NPM Package Specification',
        url: 'https://confluence.hl7.org/display/FHIR/NPM+Package+Specification',
      },
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{message}}.' },
  },
  check(ctx) {
    const fhir = fhirOf(ctx)
    if (!fhir) return
    for (const { doc } of fhir.files) {
      const { issues } = validateClaimedProfiles(doc.value, fhir.profiles)
      for (const issue of issues)
        if (issue.severity === 'error')
          ctx.report({
            messageId: 'issue',
            loc: { uri: doc.uri, pointer: issue.pointer },
            data: { message: issue.message },
          })
    }
  },
})
