import { defineRule } from '../../core/define-rule.js'
import { PATH_ITEM_METHODS } from '../../loaders/openapi-walker.js'
import { firstTime, isObj } from './util-http.js'

// Path Item fields that are not operations (OpenAPI 3.x §4.8.9; Swagger 2 has only parameters and $ref).
const PATH_ITEM_FIELDS = ['summary', 'description', 'servers', 'parameters', '$ref']
// RFC 9110 §9.3: GET, HEAD and DELETE content has no defined semantics and may be rejected or dropped
// by intermediaries; a client MUST NOT send content in a TRACE request (§9.3.8).
const NO_BODY = ['get', 'head', 'delete', 'trace']
// CONNECT (RFC 9110 §9.3.6) is standard but has no fixed Path Item field, so OpenAPI 3.2 can only
// describe it in additionalOperations.
const STANDARD_EXTRA = ['CONNECT']

export default defineRule({
  meta: {
    id: 'http-methods',
    title: 'Operations use standard HTTP methods as defined',
    failureTitle: 'Operations use non-standard HTTP methods or send bodies where HTTP defines none',
    description:
      'Generic clients, gateways and caches understand only the standard HTTP methods, and drop or reject request content on GET, HEAD and DELETE. ' +
      'Use the methods of RFC 9110 (and PATCH) with their defined semantics, and pass input to reads and deletes in the URI or headers.',
    fix: 'Map the operation onto a standard method (e.g. POST to a search resource instead of QUERY or a body on GET) and move GET/DELETE input into path or query parameters.',
    sources: [
      {
        title: 'RFC 9110 HTTP Semantics, §9 Methods',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-9',
      },
      { title: 'RFC 5789 PATCH Method for HTTP', url: 'https://www.rfc-editor.org/rfc/rfc5789' },
      {
        title: 'NL API Design Rules: /core/http-methods',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/http-methods',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Path Item Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#path-item-object',
      },
    ],
    requires: ['openapi'],
    messages: {
      'non-standard-method': "'{{method}}' on {{path}} is not a standard HTTP method.",
      'body-not-allowed':
        '{{method}} {{path}} takes a request body; HTTP defines no meaning for content in a {{method}} request.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const once = firstTime()
    const known = new Set<string>([...PATH_ITEM_METHODS, ...PATH_ITEM_FIELDS])
    return {
      PathItem(path, item) {
        for (const key of Object.keys(item.value)) {
          // `query` (OpenAPI 3.2) is the IETF draft QUERY method, not (yet) a standard one, so it is
          // reported like any other unknown key.
          if (known.has(key) || key.startsWith('x-')) continue
          if (key === 'additionalOperations') {
            const extra = api.child(item, key)
            if (!extra || !isObj(extra.value)) continue
            for (const method of Object.keys(extra.value)) {
              if (STANDARD_EXTRA.includes(method.toUpperCase())) continue
              const at = api.child(extra, method)!
              if (once(at.loc))
                ctx.report({ messageId: 'non-standard-method', node: at, key: true, data: { method, path } })
            }
            continue
          }
          const at = api.child(item, key)!
          if (once(at.loc))
            ctx.report({ messageId: 'non-standard-method', node: at, key: true, data: { method: key, path } })
        }
      },
      Operation(op) {
        if (!NO_BODY.includes(op.method)) return
        const data = { method: op.method.toUpperCase(), path: op.path }
        if (api.kind === 'swagger') {
          for (const p of op.parameters)
            if ((p.value.in === 'body' || p.value.in === 'formData') && once(p.loc))
              ctx.report({ messageId: 'body-not-allowed', node: p, data })
          return
        }
        const body = api.child(op.node, 'requestBody')
        if (body && op.requestBody && once(body.loc))
          ctx.report({ messageId: 'body-not-allowed', node: body, key: true, data })
      },
    }
  },
})
