import { defineRule } from '../../core/define-rule.js'
import type { HttpExchange } from '../../loaders/live.js'
import { exchangeEvidence } from './util.js'
import { groupBy } from '../../core/group-by.js'

/**
 * Headers on a successful answer that tell a client its quota: the fields of
 * draft-ietf-httpapi-ratelimit-headers and its earlier drafts, and the X-RateLimit-* convention they
 * grew out of.
 */
const QUOTA = [
  'ratelimit',
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
]
/**
 * A description documents rate limiting with those headers or Retry-After (RFC 9110 §10.2.3). The
 * static rate-limiting rule's set leaves X-RateLimit-* and Retry-After out, so it is not reused here.
 */
const DOCUMENTED = new Set([...QUOTA, 'retry-after'])

/** Headers on a 429 that tell the client when to come back. */
const RESET = ['ratelimit-reset', 'x-ratelimit-reset']

const SHOWN = [...QUOTA, ...RESET, 'retry-after']

export default defineRule({
  meta: {
    id: 'rate-limit-live',
    title: 'The service sends the rate-limit headers its description documents',
    failureTitle: 'The running service does not send the rate-limit headers its description documents',
    description:
      'A municipality’s integration platform paces its scheduled and bulk calls by the quota a service reports; when the documented rate-limit headers never arrive, clients retry blindly and overload both sides. ' +
      'Send RateLimit (or RateLimit-Limit/-Remaining) headers on successful answers as the description documents, and Retry-After on every 429.',
    fix: 'Let the service or its gateway add RateLimit headers to successful answers and Retry-After to 429 answers.',
    sources: [
      {
        title: 'IETF draft-ietf-httpapi-ratelimit-headers: RateLimit header fields for HTTP',
        url: 'https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/',
      },
      {
        title: 'RFC 6585 Additional HTTP Status Codes, §4 429 Too Many Requests',
        url: 'https://www.rfc-editor.org/rfc/rfc6585#section-4',
      },
      {
        title: 'RFC 9110 HTTP Semantics, §10.2.3 Retry-After',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3',
      },
    ],
    requires: ['live', 'openapi'],
    establishedBy: 'live',
    messages: {
      'no-headers':
        '{{method}} {{url}} answered {{status}} without RateLimit or X-RateLimit headers, though the description documents rate limiting.',
      'no-retry-after':
        '{{method}} {{url}} answered 429 without Retry-After (or a RateLimit reset), so the client cannot tell when to try again.',
    },
  },
  create(ctx) {
    let documented = false
    return {
      Response(status) {
        if (status === '429') documented = true
      },
      Header(header) {
        // Also headers of shared response components and of `components/headers`.
        if (header.direction === 'response' && DOCUMENTED.has(header.name.toLowerCase())) documented = true
      },
      DocumentExit() {
        if (!documented) {
          ctx.notApplicable(
            'the description documents no rate limiting (no 429 response, no RateLimit, X-RateLimit or Retry-After header)',
          )
          return
        }
        judge(ctx.artifacts.live!.exchanges)
      },
    }

    function judge(exchanges: readonly HttpExchange[]) {
      const report = (messageId: string, e: HttpExchange) =>
        ctx.report({
          messageId,
          loc: e.target.loc,
          data: { method: e.request.method, url: e.request.url, status: e.response!.status },
          evidence: { http: exchangeEvidence(e, SHOWN) },
        })

      // The identity provider's metadata comes from another service; its limits are not this API's.
      const limited = exchanges.filter((e) => e.response?.status === 429 && e.purpose !== 'auth-metadata')
      for (const e of limited) if (!tellsWhenToRetry(e.response!.headers)) report('no-retry-after', e)

      const probes = exchanges.filter((e) => e.purpose === 'operation' || e.purpose === 'base')
      const ok = probes.filter((e) => e.response && e.response.status >= 200 && e.response.status < 300)
      if (!ok.length) {
        if (!limited.length) ctx.notChecked(notAnsweredReason(probes))
        return
      }
      // A base URL's landing page may be served past the rate limiter; the operations are judged
      // when any answered, the base URL only when none did.
      const byBase = groupBy(ok, (e) => e.target.baseUrl)
      for (const answers of byBase.values()) {
        const operations = answers.filter((e) => e.purpose === 'operation')
        const judged = operations.length ? operations : answers
        // Once per base URL: a gateway that sends no headers sends none on any path.
        const bare = judged.find((e) => !QUOTA.some((h) => e.response!.headers[h] !== undefined))
        if (bare) report('no-headers', bare)
      }
    }
  },
})

/**
 * RFC 6585 §4: a 429 may say how long to wait with Retry-After; the RateLimit fields carry it as a
 * reset (`t=` in the current draft, `reset=` in earlier ones, or a RateLimit-Reset field).
 */
function tellsWhenToRetry(headers: Record<string, string>): boolean {
  if (headers['retry-after'] !== undefined) return true
  if (RESET.some((h) => headers[h] !== undefined)) return true
  return /(^|[;,\s])(t|reset)\s*=/i.test(headers['ratelimit'] ?? '')
}

function notAnsweredReason(probes: readonly HttpExchange[]): string {
  if (!probes.length) return 'no described operation was called'
  const answered = probes.filter((e) => e.response)
  if (!answered.length)
    return `no described operation answered (${[...new Set(probes.map((e) => e.error ?? 'no answer'))].join('; ')})`
  const statuses = answered.map((e) => `${e.request.method} ${e.request.url} answered ${e.response!.status}`)
  return `no described operation answered 2xx (${statuses.join('; ')})`
}
