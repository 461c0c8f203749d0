import { defineRule } from '../../core/define-rule.js'
import type { HttpExchange } from '../../loaders/live.js'
import { exchangeEvidence } from './util.js'

/** The origin the prober claims, when a recording does not say which it sent. */
const PROBE_ORIGIN = 'https://interop-check.invalid'
const SHOWN = ['access-control-allow-origin', 'access-control-allow-methods', 'content-type']

const is2xx = (e: HttpExchange) => !!e.response && e.response.status >= 200 && e.response.status < 300
const sameTarget = (a: HttpExchange, b: HttpExchange) =>
  a.target.baseUrl === b.target.baseUrl && a.target.environment === b.target.environment

/** A request header, whatever the case of its name in the recording. */
function requestHeader(e: HttpExchange, name: string): string | undefined {
  for (const [k, v] of Object.entries(e.request.headers)) if (k.toLowerCase() === name) return v
  return undefined
}

/**
 * Fetch's CORS check: the header must be `*` or the request's origin, exactly one value (two headers
 * joined by a proxy, `*, *`, fail too).
 */
function allowsOrigin(value: string | undefined, origin: string): boolean {
  const v = value?.trim()
  return v === '*' || v === origin
}

export default defineRule({
  meta: {
    id: 'cors-live',
    title: 'Browsers on other origins may read the published description (CORS)',
    failureTitle: 'Browsers on other origins are refused the published description (CORS)',
    description:
      'Developer portals and API catalogues (such as developer.overheid.nl and dataportal.se) and browser tools such as Swagger UI read an API’s description from another origin; without CORS headers the browser withholds it, and the municipality’s developers see no documentation. ' +
      'Answer requests for the description, and CORS preflights for it, with Access-Control-Allow-Origin: *.',
    fix: 'Send Access-Control-Allow-Origin: * with the description, and answer OPTIONS preflights on its URL with 204 and the same header.',
    sources: [
      { title: 'WHATWG Fetch: CORS protocol', url: 'https://fetch.spec.whatwg.org/#http-cors-protocol' },
      {
        title: 'NL API Design Rules: /core/publish-openapi (the CORS policy must allow external domains)',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/publish-openapi',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'preflight-refused':
        'OPTIONS {{url}}, a CORS preflight from {{origin}} for GET, answered {{status}}; expected 2xx (e.g. 204) with Access-Control-Allow-Origin.',
      'no-allow-origin':
        '{{method}} {{url}} with Origin: {{origin}} answered {{status}} {{found}}; expected Access-Control-Allow-Origin: * (or {{origin}}).',
    },
  },
  check(ctx) {
    const exchanges = ctx.artifacts.live!.exchanges
    const preflights = exchanges.filter((e) => e.purpose === 'cors-preflight')
    if (!preflights.length) {
      ctx.notChecked(
        'no CORS preflight was made, because the published description was not found at the service',
      )
      return
    }
    const answered = preflights.filter((e) => e.response)
    if (!answered.length) {
      ctx.notChecked(`no CORS preflight was answered (${preflights.map((e) => e.error).join('; ')})`)
      return
    }
    for (const pre of answered) {
      const report = (messageId: string, e: HttpExchange, data: Record<string, unknown> = {}) =>
        ctx.report({
          messageId,
          loc: e.target.loc,
          data: { method: e.request.method, url: e.request.url, status: e.response!.status, ...data },
          evidence: { http: exchangeEvidence(e, SHOWN) },
        })
      const noAllowOrigin = (e: HttpExchange, origin: string, request: 'preflight' | 'get') => {
        const value = e.response!.headers['access-control-allow-origin']
        if (allowsOrigin(value, origin)) return
        report('no-allow-origin', e, {
          origin,
          request,
          found:
            value === undefined
              ? 'without Access-Control-Allow-Origin'
              : `with Access-Control-Allow-Origin: ${value}`,
        })
      }

      const origin = requestHeader(pre, 'origin') ?? PROBE_ORIGIN
      if (!is2xx(pre)) report('preflight-refused', pre, { origin })
      // Access-Control-Allow-Methods is not judged: GET is a CORS-safelisted method, which the
      // Fetch standard lets through whatever that header lists.
      else noAllowOrigin(pre, origin, 'preflight')

      // The description itself: a browser reads it only when its answer allows the origin, too.
      const found = exchanges.filter((e) => e.purpose === 'openapi' && sameTarget(e, pre) && is2xx(e))
      const get = found.find((e) => e.request.url === pre.request.url) ?? found[0]
      const getOrigin = get && requestHeader(get, 'origin')
      // Without an Origin a server need not answer with CORS headers; such a request proves nothing.
      if (get && getOrigin !== undefined) noAllowOrigin(get, getOrigin, 'get')
    }
  },
})
