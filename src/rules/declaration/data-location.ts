import { defineRule } from '../../core/define-rule.js'

// EU member states (ISO 3166-1 alpha-2; Greece is GR in ISO, EL in EU usage) and the three EEA EFTA states.
const EU_EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
)

export default defineRule({
  meta: {
    id: 'data-location',
    title: 'Data is processed and stored in the EU/EEA, and sub-processors outside it are named',
    failureTitle: 'Where data is processed and stored is not declared inside the EU/EEA',
    description:
      'Municipal data may only leave the EU/EEA under GDPR chapter V safeguards, and a municipality must be able to tell its residents where their data is. ' +
      'Declare the countries where data is processed and stored, and every sub-processor outside the EU/EEA. A location is not the same as jurisdiction: a provider under a third country’s law can be compelled to hand over data stored in the EU, which the declared sub-processors and safeguards must account for.',
    fix: 'Declare hosting.processingCountries, hosting.storageCountries and hosting.subProcessorsOutsideEea (an empty list when there are none) in the manifest.',
    sources: [
      {
        title: 'GDPR chapter V: transfers to third countries',
        url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
      },
      {
        title: 'EDPB Recommendations 01/2020 on supplementary measures for transfers',
        url: 'https://www.edpb.europa.eu/our-work-tools/our-documents/recommendations/recommendations-012020-measures-supplement-transfer_en',
      },
    ],
    requires: ['declarations'],
    establishedBy: 'declared',
    messages: {
      'no-hosting': 'The manifest declares no hosting: where data is processed and stored is unknown.',
      'missing-countries': 'The manifest does not declare hosting.{{field}}.',
      'outside-eea': '{{field}} includes {{country}}, which is outside the EU/EEA.',
      'sub-processors-undeclared':
        'hosting.subProcessorsOutsideEea is not declared; state the sub-processors outside the EU/EEA, or an empty list when there are none.',
    },
  },
  check(ctx) {
    const decl = ctx.artifacts.declarations!
    const hosting = decl.value.hosting
    if (!hosting) {
      ctx.report({ messageId: 'no-hosting', loc: decl.loc() })
      return
    }
    for (const field of ['processingCountries', 'storageCountries'] as const) {
      const countries = hosting[field]
      if (!countries) {
        ctx.report({ messageId: 'missing-countries', loc: decl.loc('hosting'), data: { field } })
        continue
      }
      countries.forEach((country, i) => {
        if (!EU_EEA.has(country))
          ctx.report({
            messageId: 'outside-eea',
            loc: decl.loc('hosting', field, i),
            data: { field, country },
          })
      })
    }
    if (hosting.subProcessorsOutsideEea === undefined)
      ctx.report({ messageId: 'sub-processors-undeclared', loc: decl.loc('hosting') })
  },
})
