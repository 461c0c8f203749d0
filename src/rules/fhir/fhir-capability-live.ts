import { defineRule } from '../../core/define-rule.js'
import { validateResource } from '../../fhir/validate.js'
import { contentTypeOf } from '../http/util.js'
import { answered, evidence, fhirExchanges, isObj, jsonBody } from './util-live.js'

interface Options {
  fhirVersion: string
}

export default defineRule<Options>({
  meta: {
    id: 'fhir-capability-live',
    title: 'The FHIR server describes itself with a valid R4 CapabilityStatement',
    failureTitle: 'The FHIR server does not describe itself with a valid R4 CapabilityStatement',
    description:
      'Clients and the region’s integration platform learn what a FHIR server supports from GET [base]/metadata; without a valid CapabilityStatement every integration starts with guesswork. ' +
      'Answer metadata with a CapabilityStatement of kind instance, fhirVersion 4.0.1 and json among its formats, valid against FHIR R4.',
    fix: 'Serve a valid CapabilityStatement at [base]/metadata, with kind instance, fhirVersion 4.0.1 and format json.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): capabilities interaction',
        url: 'https://hl7.org/fhir/R4/http.html#capabilities',
      },
      {
        title: 'FHIR R4 (4.0.1): CapabilityStatement',
        url: 'https://hl7.org/fhir/R4/capabilitystatement.html',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'no-metadata':
        'GET {{url}} answered {{status}}; a FHIR server answers metadata with 200 and its CapabilityStatement.',
      'not-capability': 'GET {{url}} answered {{type}} that is not a CapabilityStatement.',
      invalid: 'The CapabilityStatement at {{url}} is not valid FHIR R4: {{issues}}.',
      'wrong-version': 'The CapabilityStatement at {{url}} states fhirVersion {{actual}}, not {{expected}}.',
      'not-instance':
        'The CapabilityStatement at {{url}} is of kind {{kind}}, not instance: it does not describe this server.',
      'no-json': 'The CapabilityStatement at {{url}} lists the formats {{formats}}, without json.',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fhirVersion: {
          type: 'string',
          default: '4.0.1',
          description: 'The FHIR version the server must state.',
        },
      },
    },
  },
  check(ctx) {
    const fhir = fhirExchanges(ctx)
    if (!fhir) return
    const e = answered(fhir, 'fhir-metadata')
    if (!e) {
      const tried = fhir.find((x) => x.purpose === 'fhir-metadata')
      ctx.notChecked(`the metadata request was not answered (${tried?.error ?? 'not made'})`)
      return
    }
    const res = e.response!
    const report = (messageId: string, data: Record<string, unknown> = {}) =>
      ctx.report({
        messageId,
        loc: e.target.loc,
        data: { url: e.request.url, status: res.status, ...data },
        evidence: evidence(e),
      })
    if (res.status !== 200) return report('no-metadata')
    const cs = jsonBody(e)
    if (!isObj(cs) || cs.resourceType !== 'CapabilityStatement')
      return report('not-capability', { type: contentTypeOf(e) || 'a body' })
    const issues = validateResource(cs).filter((i) => i.severity === 'error')
    if (issues.length)
      report('invalid', {
        issues: issues
          .slice(0, 3)
          .map((i) => `${i.expression}: ${i.message}`)
          .join('; '),
      })
    if (cs.fhirVersion !== ctx.options.fhirVersion)
      report('wrong-version', { actual: String(cs.fhirVersion ?? 'none'), expected: ctx.options.fhirVersion })
    if (cs.kind !== 'instance') report('not-instance', { kind: String(cs.kind ?? 'none') })
    const formats = Array.isArray(cs.format) ? cs.format.map(String) : []
    if (!formats.some((f) => f === 'json' || /^application\/(fhir\+)?json\b/.test(f)))
      report('no-json', { formats: formats.join(', ') || 'none' })
  },
})
