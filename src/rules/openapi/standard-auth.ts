import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { securitySchemes, securitySchemesNode } from './util-closed.js'
import { objChild } from './util-style.js'

/**
 * OAuth 2.0 grants RFC 9700 says not to use: the implicit grant (§2.1.2: tokens in the front
 * channel can leak and be replayed) and the resource owner password credentials grant (§2.4: the
 * client sees the user's password, and it cannot do multi-factor or federated login).
 * OpenAPI 3 names them `implicit` and `password`; Swagger 2 writes the flow as `implicit` or `password`.
 */
const DEPRECATED_FLOWS = new Set(['implicit', 'password'])

/**
 * HTTP authentication schemes that send a reusable secret on every request (Basic, RFC 7617) or
 * rest on MD5-era challenge/response with a shared password (Digest, RFC 7616). Bearer tokens
 * (RFC 6750), DPoP (RFC 9449) and the other registered schemes pass.
 */
const WEAK_HTTP = new Set(['basic', 'digest'])

export default defineRule({
  meta: {
    id: 'standard-auth',
    title: 'Authentication uses standard, current schemes',
    failureTitle: 'Authentication uses weak, deprecated or non-standard schemes',
    description:
      'A municipality connects services to its own identity provider and federations (OpenID Connect, OAuth 2.0, mutual TLS); passwords, API keys in URLs and deprecated OAuth grants cannot be federated and leak easily. ' +
      'Describe the API’s security with OAuth 2.0 (authorization code or client credentials), OpenID Connect, bearer tokens or mutual TLS.',
    fix: 'Replace the scheme with OAuth 2.0 authorization code or client credentials, OpenID Connect, or mutual TLS.',
    sources: [
      {
        title: 'RFC 9700 Best Current Practice for OAuth 2.0 Security',
        url: 'https://www.rfc-editor.org/rfc/rfc9700',
      },
      { title: 'RFC 6750 OAuth 2.0 Bearer Token Usage', url: 'https://www.rfc-editor.org/rfc/rfc6750' },
      {
        title: 'OpenAPI Specification 3.1.0: Security Scheme Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#security-scheme-object',
      },
      {
        title: 'NL GOV Assurance profile for OAuth 2.0',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/oauth/',
      },
    ],
    requires: ['openapi'],
    messages: {
      'weak-http-scheme':
        'Security scheme "{{name}}" uses HTTP {{scheme}} authentication, which sends a password; use OAuth 2.0, OpenID Connect or mutual TLS.',
      'api-key-not-in-header':
        'Security scheme "{{name}}" sends its API key in the {{in}}, where it is logged and cached; send credentials in a header, preferably as an OAuth 2.0 bearer token.',
      'deprecated-flow':
        'Security scheme "{{name}}" offers the OAuth 2.0 {{flow}} grant, which RFC 9700 says must not be used; use the authorization code grant with PKCE or client credentials.',
      'no-scheme':
        'The description defines no security schemes, so how clients authenticate is undocumented.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const swagger = api.kind === 'swagger'
    let hasSchemes = false
    let operations = 0
    return {
      Document(root) {
        const schemes = securitySchemes(api, root)
        hasSchemes = schemes.length > 0
        for (const { name, node } of schemes) {
          const s = node.value
          const at = (field: string): Node<unknown> => api.child(node, field) ?? node
          if (swagger ? s.type === 'basic' : s.type === 'http' && typeof s.scheme === 'string') {
            const scheme = swagger ? 'basic' : String(s.scheme).toLowerCase()
            if (WEAK_HTTP.has(scheme))
              ctx.report({
                messageId: 'weak-http-scheme',
                node: at(swagger ? 'type' : 'scheme'),
                data: { name, scheme: scheme[0]!.toUpperCase() + scheme.slice(1) },
              })
          } else if (s.type === 'apiKey' && typeof s.in === 'string' && s.in !== 'header') {
            ctx.report({ messageId: 'api-key-not-in-header', node: at('in'), data: { name, in: s.in } })
          } else if (s.type === 'oauth2') {
            if (swagger) {
              if (typeof s.flow === 'string' && DEPRECATED_FLOWS.has(s.flow))
                ctx.report({ messageId: 'deprecated-flow', node: at('flow'), data: { name, flow: s.flow } })
              continue
            }
            const flows = objChild(api, node, 'flows')
            for (const flow of Object.keys(flows?.value ?? {}))
              if (DEPRECATED_FLOWS.has(flow))
                ctx.report({
                  messageId: 'deprecated-flow',
                  node: api.child(flows!, flow)!,
                  key: true,
                  data: { name, flow },
                })
          }
        }
      },
      Operation() {
        operations++
      },
      DocumentExit(root) {
        // A description without operations (only components, or only webhooks) has nothing to protect.
        if (hasSchemes || operations === 0) return
        const container = securitySchemesNode(api, root)
        const components = swagger ? undefined : objChild(api, root, 'components')
        const at = container ?? components
        ctx.report({ messageId: 'no-scheme', node: at ?? root, key: !!at })
      },
    }
  },
})
