import type { RuleContext } from '../../core/define-rule.js'
import type { HttpExchange, ProbePurpose } from '../../loaders/live.js'
import { exchangeEvidence } from '../http/util.js'
import { isObj } from '../../loaders/openapi-walker.js'

export { isObj }

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
