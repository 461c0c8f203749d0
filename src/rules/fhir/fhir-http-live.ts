import { defineRule } from '../../core/define-rule.js'
import { validateResource } from '../../fhir/validate.js'
import { contentTypeOf } from '../http/util.js'
import { answered, evidence, fhirExchanges, isObj, jsonBody } from './util-live.js'

const NOT_FHIR_JSON = new Set([
  'fhir-smart',
  'fhir-unauthenticated',
  'fhir-export-status',
  'fhir-export-file',
])
const RETURNS_RESOURCES = new Set([
  'fhir-search',
  'fhir-page',
  'fhir-read',
  'fhir-interaction',
  'fhir-export-file',
])

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined // fhir-conformance-live reports lines that are not JSON
  }
}

export default defineRule({
  meta: {
    id: 'fhir-http-live',
    title: 'The FHIR server answers as the FHIR RESTful API says',
    failureTitle: 'The FHIR server does not answer as the FHIR RESTful API says',
    description:
      'Generic FHIR clients rely on the RESTful API: application/fhir+json, searchset Bundles with a self link, OperationOutcome for errors, and resources that are valid R4. ' +
      'Answer with application/fhir+json, search with searchset Bundles, errors with 4xx and an OperationOutcome, and only valid resources.',
    fix: 'Make the server send application/fhir+json, searchset Bundles with links, OperationOutcome on errors, and valid R4 resources.',
    sources: [
      { title: 'FHIR R4 (4.0.1): RESTful API', url: 'https://hl7.org/fhir/R4/http.html' },
      { title: 'FHIR R4 (4.0.1): Search', url: 'https://hl7.org/fhir/R4/search.html' },
      { title: 'FHIR R4 (4.0.1): OperationOutcome', url: 'https://hl7.org/fhir/R4/operationoutcome.html' },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'not-fhir-json': 'GET {{url}} answered {{status}} with {{type}}, not application/fhir+json.',
      'not-found': 'GET {{url}}, an id that cannot exist, answered {{status}} instead of 404.',
      'no-outcome': 'GET {{url}} answered {{status}} without an OperationOutcome saying why.',
      'not-searchset': 'GET {{url}} answered {{status}} without a searchset Bundle with a self link.',
      'invalid-resource': 'GET {{url}} returned a resource that is not valid FHIR R4: {{issues}}.',
    },
  },
  check(ctx) {
    const fhir = fhirExchanges(ctx)
    if (!fhir) return
    // The SMART configuration and a bulk export's status and files are not FHIR resources: they are
    // application/json and NDJSON by their own specifications.
    const judged = fhir.filter((e) => e.response && !NOT_FHIR_JSON.has(e.purpose))
    if (!judged.length) {
      ctx.notChecked(
        `the FHIR server did not answer (${fhir
          .map((e) => e.error)
          .filter(Boolean)
          .join('; ')})`,
      )
      return
    }
    const report = (messageId: string, e: (typeof fhir)[number], data: Record<string, unknown> = {}) =>
      ctx.report({
        messageId,
        loc: e.target.loc,
        data: {
          url: e.request.url,
          status: e.response!.status,
          type: contentTypeOf(e) || 'no content type',
          ...data,
        },
        evidence: evidence(e),
      })
    for (const e of judged)
      if (e.response!.body && contentTypeOf(e) !== 'application/fhir+json') report('not-fhir-json', e)

    const unknown = answered(fhir, 'fhir-unknown')
    if (unknown) {
      const s = unknown.response!.status
      // 401/403: the server wants credentials before it says what exists, which is fine.
      if (s !== 404 && s !== 410 && s !== 401 && s !== 403) report('not-found', unknown)
      else if (
        !isObj(jsonBody(unknown)) ||
        (jsonBody(unknown) as { resourceType?: unknown }).resourceType !== 'OperationOutcome'
      )
        report('no-outcome', unknown)
    }

    for (const search of fhir.filter(
      (x) => (x.purpose === 'fhir-search' || x.purpose === 'fhir-page') && x.response?.status === 200,
    )) {
      const b = jsonBody(search)
      const ok =
        isObj(b) &&
        b.resourceType === 'Bundle' &&
        b.type === 'searchset' &&
        Array.isArray(b.link) &&
        b.link.some((l) => isObj(l) && l.relation === 'self')
      if (!ok) report('not-searchset', search)
    }
    for (const e of fhir.filter((x) => RETURNS_RESOURCES.has(x.purpose) && x.response?.status === 200)) {
      if (e.response!.truncated) continue
      // An export file holds a resource a line; the rest hold one resource (or Bundle) each.
      const resources =
        e.purpose === 'fhir-export-file'
          ? (e.response!.body ?? '')
              .split('\n')
              .filter((l) => l.trim())
              .map((l) => safeParse(l))
          : [jsonBody(e)]
      const issues = resources
        .filter(isObj)
        .flatMap((r) => validateResource(r).filter((i) => i.severity === 'error'))
      if (issues.length)
        report('invalid-resource', e, {
          issues: issues
            .slice(0, 3)
            .map((i) => `${i.expression}: ${i.message}`)
            .join('; '),
        })
    }
  },
})
