import type { RuleContext } from '../../core/define-rule.js'
import type { HttpExchange, ProbePurpose } from '../../loaders/live.js'
import { isExportOperation } from '../../loaders/prober/fhir.js'
import { contentTypeOf, exchangeEvidence } from '../http/util.js'
import { isObj, objectsIn } from '../../loaders/openapi-walker.js'

export { isObj, objectsIn }

/** The exchanges with the FHIR endpoint; none when the manifest names no FHIR base URL (not applicable). */
export function fhirExchanges<O>(ctx: RuleContext<O>): HttpExchange[] | undefined {
  const all = ctx.artifacts.live!.exchanges.filter((e) => e.purpose.startsWith('fhir-'))
  if (!all.length) {
    ctx.notApplicable('the service manifest names no FHIR base URL (fhir.baseUrl) to probe')
    return undefined
  }
  return all
}

export function answered(list: HttpExchange[], purpose: ProbePurpose): HttpExchange | undefined {
  return list.find((e) => e.purpose === purpose && e.response)
}

export function jsonBody(e: HttpExchange | undefined): unknown {
  try {
    return JSON.parse(e?.response?.body ?? '')
  } catch {
    return undefined
  }
}

export const evidence = (e: HttpExchange) => ({
  http: exchangeEvidence(e, ['content-type', 'www-authenticate']),
})

/** Whether the CapabilityStatement declares SMART on FHIR security (rest.security.service). */
export function declaresSmart(capability: unknown): boolean {
  if (!isObj(capability) || !Array.isArray(capability.rest)) return false
  return capability.rest.some(
    (r) =>
      isObj(r) &&
      isObj(r.security) &&
      Array.isArray(r.security.service) &&
      r.security.service.some(
        (s) =>
          isObj(s) && Array.isArray(s.coding) && s.coding.some((c) => isObj(c) && c.code === 'SMART-on-FHIR'),
      ),
  )
}

/** Whether a CapabilityStatement declares Bulk Data $export at system, Patient or Group level. */
export function declaresExport(cs: unknown): boolean {
  if (!isObj(cs)) return false
  const servers = objectsIn(cs.rest).filter((r) => r.mode === 'server')
  return [
    ...servers.flatMap((x) => objectsIn(x.operation)),
    ...servers
      .flatMap((x) => objectsIn(x.resource))
      .filter((r) => r.type === 'Patient' || r.type === 'Group')
      .flatMap((r) => objectsIn(r.operation)),
  ].some(isExportOperation)
}

export interface ExportProblem {
  messageId: 'export-fails' | 'export-status-fails' | 'export-incomplete' | 'export-not-ndjson'
  exchange: HttpExchange
  data: Record<string, unknown>
  /** The problem in words, for rules with messages of their own. */
  why: string
}

/**
 * What went wrong with a bulk data export the prober started: the kick-off is not 202 with a
 * Content-Location, the status polls do not end in a manifest, or the first file is not NDJSON of
 * resources. Undefined when it worked (or was not followed far enough to tell).
 */
export function exportProblem(
  fhir: readonly HttpExchange[],
  kickoff: HttpExchange,
): ExportProblem | undefined {
  const url = (x: HttpExchange) => x.request.url
  if (kickoff.response?.status !== 202 || !kickoff.response.headers['content-location'])
    return {
      messageId: 'export-fails',
      exchange: kickoff,
      data: {},
      why: `the kick-off GET ${url(kickoff)} answered ${kickoff.response?.status ?? kickoff.error}, not 202 with a Content-Location`,
    }
  const polls = fhir.filter((x) => x.purpose === 'fhir-export-status')
  const last = polls.at(-1)
  if (!last) return undefined
  const failed = (why: string): ExportProblem => ({
    messageId: 'export-status-fails',
    exchange: last,
    data: { why },
    why: `its status GET ${url(last)} answered ${last.response?.status ?? 'nothing'}: ${why}`,
  })
  if (!last.response) return failed(last.error ?? 'no answer')
  const s = last.response.status
  if (s === 202)
    return {
      messageId: 'export-incomplete',
      exchange: last,
      data: { polls: polls.length },
      why: `it was still running after ${polls.length} polls`,
    }
  const manifest = jsonBody(last)
  if (s !== 200 || !isObj(manifest) || !Array.isArray(manifest.output))
    return failed(
      s === 200 ? 'the complete status is not a JSON manifest with an output list' : 'the export failed',
    )
  const file = fhir.find((x) => x.purpose === 'fhir-export-file')
  if (!file?.response) return undefined
  const why = ndjsonProblem(file)
  return why
    ? {
        messageId: 'export-not-ndjson',
        exchange: file,
        data: { why },
        why: `its file GET ${url(file)} is not NDJSON: ${why}`,
      }
    : undefined
}

function ndjsonProblem(file: HttpExchange): string | undefined {
  const r = file.response!
  if (r.status !== 200) return `it answered ${r.status}`
  const type = contentTypeOf(file)
  if (type !== 'application/fhir+ndjson' && type !== 'application/ndjson')
    return `its content type is ${type || 'missing'}, not application/fhir+ndjson`
  const lines = (r.body ?? '').split('\n')
  if (r.truncated) lines.pop() // the last line was cut off
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue
    let v: unknown
    try {
      v = JSON.parse(line)
    } catch {
      return `line ${n + 1} is not JSON`
    }
    if (!isObj(v) || typeof v.resourceType !== 'string') return `line ${n + 1} is not a FHIR resource`
  }
  return undefined
}
