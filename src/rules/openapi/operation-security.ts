import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj } from '../../loaders/openapi-walker.js'
import { declaredScopes, securitySchemes, verb, type SecurityScheme } from './util-closed.js'
import { isObj, isText } from './util-style.js'

/**
 * True when a `security` list requires something: at least one requirement that names a scheme.
 * `[]` and `[{}]` require nothing (OAS 3.1.0 §4.8.10: an empty requirement makes security optional).
 */
function requiresSomething(security: unknown): boolean {
  return Array.isArray(security) && security.some((r) => isObj(r) && Object.keys(r).length > 0)
}

export default defineRule({
  meta: {
    id: 'operation-security',
    title: 'Every operation states its security, with declared and documented scopes',
    failureTitle: 'Operations without stated security, or with undeclared or undocumented scopes',
    description:
      'A municipality grants access per purpose and has to know which operations need which rights; an operation that states no security is either open to anyone or protected in a way only the vendor knows. ' +
      'Give every operation a security requirement (root-level or its own; an explicit `security: []` for a deliberately public one), and declare and describe every OAuth 2.0 scope used.',
    fix: 'Add a security requirement at the root or on the operation, and declare each scope with a description in the scheme’s flows.',
    sources: [
      {
        title: 'OpenAPI Specification 3.1.0: Security Requirement Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#security-requirement-object',
      },
      {
        title: 'RFC 6749 The OAuth 2.0 Authorization Framework, §3.3 Access Token Scope',
        url: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.3',
      },
      {
        title: 'RFC 9700 Best Current Practice for OAuth 2.0 Security, §2.3 (privilege restriction)',
        url: 'https://www.rfc-editor.org/rfc/rfc9700#section-2.3',
      },
    ],
    requires: ['openapi'],
    messages: {
      unsecured:
        '{{method}} {{path}} has no security requirement, and none applies from the root; add one, or `security: []` if it is meant to be public.',
      'undeclared-scope':
        'The scope "{{scope}}" required of scheme "{{scheme}}" is not declared in its flows.',
      'undocumented-scope': 'The scope "{{scope}}" of scheme "{{scheme}}" has no description.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    let rootSecured = false
    const schemes = new Map<string, SecurityScheme & { scopes: Map<string, Node<unknown>> }>()

    /** Checks the scopes of a `security` list against the schemes' declared scopes. */
    const checkRequirements = (security: Node<unknown> | undefined) => {
      if (!security || !Array.isArray(security.value)) return
      security.value.forEach((req, i) => {
        if (!isObj(req)) return
        for (const name of Object.keys(req)) {
          const scheme = schemes.get(name)
          const scopes = req[name]
          // Only OAuth 2.0 declares its scopes in the description; OpenID Connect's are in its
          // discovery document, and OpenAPI 3.1 "roles" of other schemes are free-form.
          if (!scheme || scheme.node.value.type !== 'oauth2' || !Array.isArray(scopes)) continue
          scopes.forEach((scope, j) => {
            if (typeof scope === 'string' && !scheme.scopes.has(scope))
              ctx.report({
                messageId: 'undeclared-scope',
                node: api.child(security, i, name, j)!,
                data: { scope, scheme: name },
              })
          })
        }
      })
    }

    return {
      Document(root) {
        for (const s of securitySchemes(api, root)) {
          const scopes = declaredScopes(api, s.node)
          schemes.set(s.name, { ...s, scopes })
          if (s.node.value.type !== 'oauth2') continue
          for (const [scope, node] of scopes)
            if (!isText(node.value))
              ctx.report({
                messageId: 'undocumented-scope',
                node,
                key: true,
                data: { scope, scheme: s.name },
              })
        }
        rootSecured = requiresSomething((root.value as Obj).security)
        checkRequirements(api.child(root, 'security'))
      },
      Operation(op) {
        const own = api.child(op.node, 'security')
        // An operation's own list, even an empty one, is a deliberate statement; a root-level `[]`
        // is not, as it says nothing about any particular operation.
        if (!(own && Array.isArray(own.value)) && !rootSecured)
          ctx.report({
            messageId: 'unsecured',
            node: op.node,
            key: true,
            data: { method: verb(op), path: op.path },
          })
        checkRequirements(own)
      },
    }
  },
})
