import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj } from '../../loaders/openapi-walker.js'
import { firstTime, isObj } from './util-http.js'

/**
 * The rate-limit fields of draft-ietf-httpapi-ratelimit-headers (RateLimit, RateLimit-Policy), and
 * the RateLimit-Limit/-Remaining/-Reset trio of its earlier drafts, still the most deployed form.
 * X-RateLimit-* is left to the no-x-headers rule, which suggests the standard names.
 */
const RATE_LIMIT_HEADERS = new Set([
  'ratelimit',
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
])

/** The names of a response's headers, lower-cased (RFC 9110 §5.1: field names are case-insensitive). */
export function responseHeaderNames(response: Node<Obj>): Set<string> {
  const headers = response.value.headers
  return new Set(isObj(headers) ? Object.keys(headers).map((h) => h.toLowerCase()) : [])
}

export default defineRule({
  meta: {
    id: 'rate-limiting',
    title: 'Rate limits are documented with 429, Retry-After and RateLimit headers',
    failureTitle: 'Rate limits are not documented in a standard way',
    description:
      'A municipality’s integration platform calls many services on schedules and in bursts; unless a service says how it limits calls and when to come back, clients retry blindly and overload both sides. ' +
      'Document 429 Too Many Requests (RFC 6585) with a Retry-After header, Retry-After on 503, and the RateLimit and RateLimit-Policy headers on responses.',
    fix: 'Add a 429 response with a Retry-After header to the operations, Retry-After to 503 responses, and RateLimit/RateLimit-Policy headers to the successful responses.',
    sources: [
      {
        title: 'RFC 6585 Additional HTTP Status Codes, §4 429 Too Many Requests',
        url: 'https://www.rfc-editor.org/rfc/rfc6585#section-4',
      },
      {
        title: 'RFC 9110 HTTP Semantics, §10.2.3 Retry-After',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3',
      },
      {
        title: 'IETF draft-ietf-httpapi-ratelimit-headers: RateLimit header fields for HTTP',
        url: 'https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/',
      },
      { title: 'REST API-profil (DIGG)', url: 'https://dev.dataportal.se/rest-api-profil/' },
    ],
    requires: ['openapi'],
    messages: {
      'no-429':
        'No operation documents a 429 Too Many Requests response, so clients cannot tell how calls are limited.',
      '429-no-retry-after':
        'The 429 response of {{method}} {{path}} has no Retry-After header telling the client when to try again.',
      '503-no-retry-after':
        'The 503 response of {{method}} {{path}} has no Retry-After header telling the client when to try again.',
      'no-ratelimit-headers':
        'No response documents the RateLimit and RateLimit-Policy headers (draft-ietf-httpapi-ratelimit-headers), so clients cannot pace themselves.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    let operations = 0
    let with429 = 0
    let rateLimitHeaders = false
    // A shared response component is reported once, naming the first operation that uses it.
    const first = firstTime()
    return {
      Operation() {
        operations++
      },
      Response(status, node, op) {
        const names = responseHeaderNames(node)
        if ([...names].some((n) => RATE_LIMIT_HEADERS.has(n))) rateLimitHeaders = true
        if (status !== '429' && status !== '503') return
        if (status === '429') with429++
        if (names.has('retry-after') || !first(node.loc, status)) return
        ctx.report({
          messageId: status === '429' ? '429-no-retry-after' : '503-no-retry-after',
          node,
          data: { method: op.method.toUpperCase(), path: op.path },
        })
      },
      Header(header) {
        // Also headers defined as components and response headers the operations do not reach.
        if (header.direction === 'response' && RATE_LIMIT_HEADERS.has(header.name.toLowerCase()))
          rateLimitHeaders = true
      },
      DocumentExit(root) {
        if (!operations) {
          ctx.notApplicable('The description has no operations.')
          return
        }
        const paths = api.child(root, 'paths')
        const at = { node: paths ?? root, key: !!paths }
        // Once per description: a missing 429 on every operation is one gap, not one per operation.
        if (!with429) ctx.report({ messageId: 'no-429', ...at })
        if (!rateLimitHeaders) ctx.report({ messageId: 'no-ratelimit-headers', ...at })
      },
    }
  },
})
