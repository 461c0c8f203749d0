import { defineRule } from '../../core/define-rule.js'
import type { HttpExchange } from '../../loaders/live.js'
import { contentTypeOf, exchangeEvidence } from './util.js'

const PROBLEM_TYPES = new Set(['application/problem+json', 'application/problem+xml'])

export default defineRule({
  meta: {
    id: 'problem-details-live',
    title: 'The service rejects unknown paths and invalid requests with problem details',
    failureTitle: 'The running service does not answer errors and invalid requests with problem details',
    description:
      'A description can promise RFC 9457 problem details and input validation that the service never delivers; clients then meet HTML error pages, 200 answers to requests that failed, or server errors for their own mistakes. ' +
      'Answer a request for a path that does not exist with 404, and a request with a value the description forbids with 400 or 422, both with application/problem+json.',
    fix: 'Validate requests against the description, and let the service, its gateway and its framework answer unknown paths and invalid requests with 4xx and application/problem+json.',
    sources: [
      { title: 'RFC 9457 Problem Details for HTTP APIs', url: 'https://www.rfc-editor.org/rfc/rfc9457' },
      {
        title: 'NL API Design Rules: /core/error-handling/problem-details',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/error-handling/problem-details',
      },
      {
        title: 'RFC 9110 HTTP Semantics, §15.5.1 400 Bad Request and §15.5.21 422 Unprocessable Content',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1',
      },
      {
        title: 'OWASP REST Security Cheat Sheet: input validation',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#input-validation',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'not-an-error': 'GET {{url}}, a path that does not exist, answered {{status}} instead of 404.',
      'not-problem-json': 'GET {{url}} answered {{status}} with {{type}}, not application/problem+json.',
      'invalid-accepted':
        '{{method}} {{url}}, sent with {{invalid}}, answered {{status}}: the service accepted a request its description forbids instead of answering {{expected}}.',
      'invalid-not-problem':
        '{{method}} {{url}}, sent with {{invalid}}, answered {{status}} with {{type}}, not application/problem+json.',
      'invalid-wrong-status':
        '{{method}} {{url}}, sent with {{invalid}}, answered {{status}}; an invalid request is answered {{expected}}.',
      'invalid-server-error':
        '{{method}} {{url}}, sent with {{invalid}}, answered {{status}}: the service failed instead of rejecting the request with {{expected}}.',
    },
  },
  check(ctx) {
    const exchanges = ctx.artifacts.live!.exchanges
    const unknown = exchanges.filter((e) => e.purpose === 'unknown-path')
    const invalid = exchanges.filter((e) => e.purpose === 'invalid-request')
    const unknownAnswered = unknown.filter((e) => e.response)
    // A 401/403 comes before validation (to a request without credentials, or with credentials that
    // lack the rights), and a 429 says nothing about it: none tells whether the value was checked.
    const invalidJudged = invalid.filter((e) => e.response && ![401, 403, 429].includes(e.response.status))
    if (!unknownAnswered.length && !invalidJudged.length) {
      ctx.notChecked(notCheckedReason(unknown, invalid))
      return
    }
    for (const e of unknownAnswered) {
      const res = e.response!
      const type = contentTypeOf(e)
      const http = exchangeEvidence(e, ['content-type'])
      const data = { url: e.request.url, status: res.status, type: type || 'no content type' }
      // An authentication challenge (401/403) is an acceptable answer to an unknown path too.
      if (res.status < 400 || res.status >= 600)
        ctx.report({ messageId: 'not-an-error', loc: e.target.loc, data, evidence: { http } })
      else if (!PROBLEM_TYPES.has(type))
        ctx.report({ messageId: 'not-problem-json', loc: e.target.loc, data, evidence: { http } })
    }
    for (const e of invalidJudged) {
      const res = e.response!
      const type = contentTypeOf(e)
      const inPath = e.invalid?.in === 'path'
      const data = {
        method: e.request.method,
        url: e.request.url,
        status: res.status,
        type: type || 'no content type',
        invalid: describeInvalid(e),
        // RFC 9110 §15.5.5: a path naming no resource may be answered 404, a bad path value included.
        expected: inPath ? '400, 422 or 404' : '400 or 422',
      }
      const at = { loc: e.target.loc, data, evidence: { http: exchangeEvidence(e, ['content-type']) } }
      if (res.status >= 500) {
        ctx.report({ messageId: 'invalid-server-error', ...at })
        continue
      }
      if (res.status >= 200 && res.status < 300) {
        ctx.report({ messageId: 'invalid-accepted', ...at })
        continue
      }
      // A redirect, or a 4xx that misleads the client (409, or 404 for a bad query value).
      const expected = res.status === 400 || res.status === 422 || (inPath && res.status === 404)
      if (!expected) ctx.report({ messageId: 'invalid-wrong-status', ...at })
      if (res.status >= 400 && !PROBLEM_TYPES.has(type))
        ctx.report({ messageId: 'invalid-not-problem', ...at })
    }
  },
})

/** What was wrong with the request, as a message says it. */
function describeInvalid(e: HttpExchange): string {
  const bad = e.invalid
  if (!bad) return 'an invalid value'
  if (bad.in === 'body') return 'a malformed JSON body'
  return `${bad.in} parameter "${bad.name}" set to "${bad.value}", which its schema forbids`
}

function notCheckedReason(unknown: readonly HttpExchange[], invalid: readonly HttpExchange[]): string {
  if (!unknown.length && !invalid.length)
    return 'no request for an unknown path or with an invalid value was made'
  const parts: string[] = []
  const errors = (list: readonly HttpExchange[]) =>
    [...new Set(list.filter((e) => !e.response).map((e) => e.error ?? 'no answer'))].join('; ')
  if (unknown.length) parts.push(`no request for an unknown path was answered (${errors(unknown)})`)
  if (invalid.length) {
    const challenged = invalid.filter((e) => e.response)
    parts.push(
      challenged.length
        ? `the requests with invalid values were answered only with ${[...new Set(challenged.map((e) => e.response!.status))].join(', ')} before any validation (authentication or rate limiting)` +
            (challenged.length < invalid.length ? ` or not at all (${errors(invalid)})` : '')
        : `no request with an invalid value was answered (${errors(invalid)})`,
    )
  }
  return parts.join('; ')
}
