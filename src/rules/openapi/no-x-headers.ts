import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { objChild } from './util-style.js'

/**
 * X- fields that are nonetheless registered as permanent in the IANA HTTP Field Name Registry;
 * RFC 6648 §3 leaves existing registered names alone.
 */
const REGISTERED = new Set(['x-content-type-options', 'x-frame-options'])

const TRACE = 'traceparent (W3C Trace Context)'
const RATE_LIMIT =
  'RateLimit and RateLimit-Policy (IETF draft-ietf-httpapi-ratelimit-headers), or Retry-After (RFC 9110)'
const FORWARDED = 'Forwarded (RFC 7239)'

/** Standard or unprefixed replacements for common X- headers, by lower-cased name or prefix. */
const SUGGESTIONS: [RegExp, string][] = [
  [/^x-(request|trace|transaction)-?id$/, `${TRACE}, or Request-Id`],
  [/^x-correlation-?id$/, TRACE],
  [/^x-b3-/, TRACE],
  [/^x-amzn-trace-id$/, TRACE],
  [/^x-rate-?limit/, RATE_LIMIT],
  [/^x-forwarded-(for|host|proto|port)$/, FORWARDED],
  [/^x-real-ip$/, FORWARDED],
  [/^x-http-method-override$/, 'the actual HTTP method'],
  [
    /^x-api-key$/,
    'Authorization (RFC 9110) with a standard scheme such as OAuth 2.0 bearer tokens (RFC 6750)',
  ],
  [/^x-(api-)?version$/, 'API-Version (NL API Design Rules /core/version-header)'],
  [/^x-total(-count|-hits|-results)?$/, 'a Link header (RFC 8288) to the next page, or a count in the body'],
  [/^x-(powered-by|aspnet-version|aspnetmvc-version)$/, 'nothing: leave the header out'],
  [/^x-xss-protection$/, 'Content-Security-Policy'],
  [/^x-csrf-token$/, 'an unprefixed name such as CSRF-Token'],
]

function suggestionFor(name: string): string {
  const lower = name.toLowerCase()
  for (const [re, s] of SUGGESTIONS) if (re.test(lower)) return s
  const unprefixed = name.slice(2).replace(/^[-_.]/, '')
  return unprefixed
    ? `an unprefixed name such as ${unprefixed}, or a field from the IANA HTTP Field Name Registry`
    : 'a registered field name'
}

const isX = (name: string) => /^x-/i.test(name) && !REGISTERED.has(name.toLowerCase())

export default defineRule({
  meta: {
    id: 'no-x-headers',
    title: 'Header names have no X- prefix',
    failureTitle: 'Header names use the deprecated X- prefix',
    description:
      'RFC 6648 deprecates the X- prefix: it marks a field as private, and when the field becomes common every client is stuck with the prefixed name. ' +
      'Use the standard field where one exists (traceparent, Forwarded, RateLimit, Authorization) and an unprefixed name otherwise.',
    fix: 'Rename the header to the standard or an unprefixed name.',
    sources: [
      {
        title: 'RFC 6648 Deprecating the "X-" Prefix and Similar Constructs in Application Protocols',
        url: 'https://www.rfc-editor.org/rfc/rfc6648',
      },
      {
        title: 'IANA Hypertext Transfer Protocol (HTTP) Field Name Registry',
        url: 'https://www.iana.org/assignments/http-fields/http-fields.xhtml',
      },
      { title: 'W3C Trace Context', url: 'https://www.w3.org/TR/trace-context/' },
      { title: 'RFC 7239 Forwarded HTTP Extension', url: 'https://www.rfc-editor.org/rfc/rfc7239' },
    ],
    requires: ['openapi'],
    messages: {
      'x-header':
        '{{direction}} header "{{name}}" uses the deprecated X- prefix (RFC 6648); use {{suggestion}} instead.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const report = (name: string, direction: 'Request' | 'Response', node: Node<unknown>, key: boolean) =>
      ctx.report({
        messageId: 'x-header',
        node,
        key,
        data: { name, direction, suggestion: suggestionFor(name) },
      })

    /** Response headers are named by their key, which is where the finding belongs even when the header is a $ref. */
    const responseHeaders = (response: Node<unknown>) => {
      const headers = objChild(api, response, 'headers')
      if (!headers) return
      for (const name of Object.keys(headers.value)) {
        const header = api.child(headers, name)!
        if (isX(name) && objChild(api, header)) report(name, 'Response', header, true)
      }
    }

    return {
      Document(root) {
        // API keys sent in a header are header names too (Swagger 2 securityDefinitions, OpenAPI 3 securitySchemes).
        const swagger = api.kind === 'swagger'
        const components = swagger ? root : objChild(api, root, 'components')
        const schemes =
          components && objChild(api, components, swagger ? 'securityDefinitions' : 'securitySchemes')
        for (const id of Object.keys(schemes?.value ?? {})) {
          const s = objChild(api, schemes!, id)
          const name = s?.value.name
          if (
            s &&
            s.value.type === 'apiKey' &&
            s.value.in === 'header' &&
            typeof name === 'string' &&
            isX(name)
          )
            report(name, 'Request', api.child(s, 'name')!, false)
        }
        // Reusable response headers and responses; those of operations are visited by Response.
        if (!components) return
        if (!swagger) responseHeaders(components)
        const responses = objChild(api, components, 'responses')
        for (const id of Object.keys(responses?.value ?? {})) {
          const r = objChild(api, responses!, id)
          if (r) responseHeaders(r)
        }
      },
      Response(_status, node) {
        responseHeaders(node)
      },
      Header(h) {
        if (h.direction === 'request' && isX(h.name))
          report(h.name, 'Request', api.child(h.node, 'name') ?? h.node, false)
      },
    }
  },
})
