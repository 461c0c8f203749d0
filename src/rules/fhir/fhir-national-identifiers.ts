import { defineRule } from '../../core/define-rule.js'
import { FHIR_REQUIRES, fhirOf } from './util.js'
import { checkIdentifier, IDENTIFIER_SYSTEMS } from '../../fhir/identifiers.js'
import { escapeSegment } from '../../loaders/source.js'
import { isObj } from '../../loaders/openapi-walker.js'

export default defineRule({
  meta: {
    id: 'fhir-national-identifiers',
    title: 'Nordic personal identity numbers in FHIR resources are valid',
    failureTitle: 'FHIR resources carry invalid Nordic personal identity numbers',
    description:
      'A personnummer with a wrong check digit or an impossible date links a record to the wrong person, or to nobody. ' +
      'Check Swedish personnummer and samordningsnummer, Norwegian fødselsnummer and D-nummer and Danish CPR numbers before sending them, under the identifier system their national profile names.',
    fix: 'Correct the identity numbers the findings name, or the identifier system they are sent under.',
    sources: [
      { title: 'HL7 Sweden basprofiler R4: SEBasePatient', url: 'https://hl7.se/fhir/ig/base/' },
      { title: 'HL7 Norway no-basis: Patient', url: 'https://simplifier.net/HL7Norwayno-basis' },
      { title: 'HL7 Denmark dk-core: CPR identifier', url: 'https://hl7.dk/fhir/core/' },
      { title: 'Skatteverket: Personnummer (SKV 704)', url: 'https://www.skatteverket.se/' },
    ],
    ...FHIR_REQUIRES,
    messages: {
      invalid: '{{expression}}: the {{label}} is not valid: {{problem}}.',
    },
  },
  check(ctx) {
    const fhir = fhirOf(ctx)
    for (const { doc } of fhir?.files ?? []) {
      // Every Identifier in the resource, wherever it sits (Patient.identifier, Bundle entries …).
      const walk = (v: unknown, pointer: string, expr: string) => {
        if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${pointer}/${i}`, `${expr}[${i}]`))
        if (!isObj(v)) return
        const base = typeof v.resourceType === 'string' && expr === '' ? v.resourceType : expr
        if (typeof v.system === 'string' && IDENTIFIER_SYSTEMS.has(v.system)) {
          const result = checkIdentifier(v.system, typeof v.value === 'string' ? v.value : undefined)
          if (result && !result.valid)
            ctx.report({
              messageId: 'invalid',
              loc: { uri: doc.uri, pointer: `${pointer}/value` },
              data: {
                expression: `${base}.value`,
                label: IDENTIFIER_SYSTEMS.get(v.system)!.label,
                problem: result.problem,
              },
            })
        }
        for (const [k, child] of Object.entries(v))
          walk(child, `${pointer}/${escapeSegment(k)}`, `${base}.${k}`)
      }
      walk(doc.value, '', '')
    }
  },
})
