import { defineRule } from '../../core/define-rule.js'
import { validateClaimedProfiles } from '../../fhir/profiles.js'
import { FHIR_REQUIRES, fhirOf } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-profile-coverage',
    title: 'Every profile the FHIR resources claim could be checked',
    failureTitle: 'Profiles the FHIR resources claim were not checked',
    description:
      'A claimed profile that was not loaded is a promise nobody verified. ' +
      'Give the packages of every claimed profile: fhir.packages in the manifest, or --fhir-package. (Must-support elements oblige a sender to send data it has, which one instance cannot show; `interop fhir validate` lists absent ones as information.)',
    fix: 'Add the FHIR package that defines each profile named.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): Must Support',
        url: 'https://hl7.org/fhir/R4/conformance-rules.html#mustSupport',
      },
      { title: 'FHIR R4 (4.0.1): meta.profile', url: 'https://hl7.org/fhir/R4/resource.html#Meta' },
    ],
    ...FHIR_REQUIRES,
    messages: {
      'not-loaded': '{{expression}} names the profile {{url}}, which was not loaded, so it was not checked.',
    },
  },
  check(ctx) {
    const fhir = fhirOf(ctx)
    if (!fhir) return
    for (const { doc } of fhir.files) {
      const { unknown } = validateClaimedProfiles(doc.value, fhir.profiles)
      for (const u of unknown)
        ctx.report({
          messageId: 'not-loaded',
          loc: { uri: doc.uri, pointer: u.pointer },
          data: { expression: u.expression, url: u.url },
        })
    }
  },
})
