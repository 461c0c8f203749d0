import { defineRule } from '../../core/define-rule.js'
import { validateReferences } from '../../fhir/references.js'
import { FHIR_REQUIRES, fhirOf } from './util.js'

export default defineRule({
  meta: {
    id: 'fhir-references',
    title: 'References in FHIR resources are well-formed and resolve',
    failureTitle: 'FHIR resources have malformed or unresolvable references',
    description:
      'A receiver follows each reference to the resource it names: a urn:uuid that no entry of the Bundle carries, a `#id` with no contained resource, a reference to a type that does not exist or is not allowed there, leaves it with a broken record. ' +
      "Write references as R4 defines them (`#id`, `urn:uuid:`, `[type]/[id]`, an absolute URL), make Bundle-local ones match an entry's fullUrl, include in a document every resource its Composition references and in a message its focus, and keep Reference.type in agreement with the reference.",
    fix: 'Correct the references the findings name, or add the resources they point to to the Bundle or to contained.',
    sources: [
      { title: 'FHIR R4 (4.0.1): References', url: 'https://hl7.org/fhir/R4/references.html' },
      {
        title: 'FHIR R4 (4.0.1): Bundle, resolving references in Bundles',
        url: 'https://hl7.org/fhir/R4/bundle.html#references',
      },
      { title: 'FHIR R4 (4.0.1): Documents', url: 'https://hl7.org/fhir/R4/documents.html' },
      { title: 'FHIR R4 (4.0.1): Messaging', url: 'https://hl7.org/fhir/R4/messaging.html' },
    ],
    ...FHIR_REQUIRES,
    messages: { issue: '{{expression}}: {{message}}.' },
  },
  check(ctx) {
    const fhir = fhirOf(ctx)
    for (const { doc } of fhir?.files ?? [])
      for (const issue of validateReferences(doc.value))
        ctx.report({
          messageId: 'issue',
          loc: { uri: doc.uri, pointer: issue.pointer },
          data: { expression: issue.expression, message: issue.message },
        })
  },
})
