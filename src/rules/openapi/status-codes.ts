import { defineRule } from '../../core/define-rule.js'
import { firstTime, isObj } from './util-http.js'

/**
 * The IANA HTTP Status Code Registry (RFC 9110 §16.2.1). 306 and 418 are listed as "(Unused)" and
 * 509 is unassigned, so they are not here; 104 is provisionally registered for resumable uploads.
 */
// prettier-ignore
const REGISTERED = new Set<number>([
  100, 101, 102, 103, 104,
  200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
  300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417,
  421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
])

export default defineRule({
  meta: {
    id: 'status-codes',
    title: 'Responses use registered HTTP status codes',
    failureTitle: 'Responses use unregistered HTTP status codes',
    description:
      'Clients, proxies and libraries understand a status code only when it is in the IANA registry; others are treated as the generic x00 of their class at best. ' +
      'Use registered status codes, the OpenAPI ranges 1XX to 5XX, or default as response keys.',
    fix: 'Replace the key with a registered status code (e.g. 422 instead of 420), a range such as 4XX, or default.',
    sources: [
      {
        title: 'IANA Hypertext Transfer Protocol (HTTP) Status Code Registry',
        url: 'https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml',
      },
      {
        title: 'RFC 9110 HTTP Semantics, §15 Status Codes',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Responses Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#responses-object',
      },
      {
        title: 'NL API Design Rules: /core/http-methods',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/http-methods',
      },
    ],
    requires: ['openapi'],
    messages: {
      unregistered: '{{status}} ({{method}} {{path}}) is not a registered HTTP status code.',
      'invalid-key':
        "'{{status}}' ({{method}} {{path}}) is not a status code; use a three-digit code, an upper-case range such as 4XX, or default.",
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const once = firstTime()
    return {
      Operation(op) {
        const raw = api.child(op.node, 'responses')
        const responses = raw && api.resolve(raw)
        if (!responses || !isObj(responses.value)) return
        for (const status of Object.keys(responses.value)) {
          if (status === 'default' || status.startsWith('x-')) continue
          // OpenAPI 3 §4.8.16: ranges are written with an upper-case X; a lower-case one is not a range.
          if (/^[1-5]XX$/.test(status)) continue
          const at = api.child(responses, status)!
          if (!once(at.loc)) continue
          const data = { status, method: op.method.toUpperCase(), path: op.path }
          if (!/^\d{3}$/.test(status)) ctx.report({ messageId: 'invalid-key', node: at, key: true, data })
          else if (!REGISTERED.has(Number(status)))
            ctx.report({ messageId: 'unregistered', node: at, key: true, data })
        }
      },
    }
  },
})
