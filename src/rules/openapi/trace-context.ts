import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { OperationInfo } from '../../loaders/openapi-walker.js'

/** Home-grown correlation headers that do the job traceparent standardises. */
const PROPRIETARY = new Set(['x-correlation-id', 'x-request-id', 'correlation-id', 'request-id'])

/**
 * The methods whose calls are traced. OPTIONS (CORS preflight), HEAD and TRACE are left out, as the
 * REST API-profil check SPA.02 does: they are answered by infrastructure and carry no business call.
 */
const TRACED_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch'])

export default defineRule({
  meta: {
    id: 'trace-context',
    title: 'Operations accept a W3C Trace Context traceparent header',
    failureTitle: 'Operations do not accept a W3C Trace Context traceparent header',
    description:
      'A municipal call chain (portal, integration platform, vendor service) can only be followed end to end when every hop passes on the same trace id in a standard header. ' +
      'Accept the W3C Trace Context traceparent header on every operation, instead of a home-grown correlation header.',
    fix: 'Add a traceparent header parameter (W3C Trace Context) to every operation, e.g. as a shared component parameter.',
    sources: [
      { title: 'W3C Trace Context', url: 'https://www.w3.org/TR/trace-context/' },
      {
        title: 'REST API-profil (DIGG): Spårbarhet och korrelation',
        url: 'https://dev.dataportal.se/rest-api-profil/sparbarhet-och-korrelation',
      },
    ],
    requires: ['openapi'],
    messages: {
      missing: 'No operation accepts a traceparent header, so calls cannot be traced across systems.',
      inconsistent:
        '{{method}} {{path}} does not accept a traceparent header, while {{count}} other operations do.',
      'proprietary-correlation':
        'The header "{{name}}" is used for correlation instead of the W3C Trace Context traceparent header.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const withTrace: OperationInfo[] = []
    const without: OperationInfo[] = []
    const reportedNames = new Set<string>()
    let root: Node<unknown> | undefined
    return {
      Document(r) {
        root = r
      },
      Operation(op) {
        if (!TRACED_METHODS.has(op.method)) return
        const headers = op.parameters.filter(
          (p) => p.value.in === 'header' && typeof p.value.name === 'string',
        )
        const traced = headers.some((p) => (p.value.name as string).toLowerCase() === 'traceparent')
        ;(traced ? withTrace : without).push(op)
        if (traced) return
        for (const p of headers) {
          const name = (p.value.name as string).toLowerCase()
          if (!PROPRIETARY.has(name) || reportedNames.has(name)) continue
          reportedNames.add(name)
          ctx.report({
            messageId: 'proprietary-correlation',
            node: api.child(p, 'name') ?? p,
            data: { name: p.value.name },
          })
        }
      },
      DocumentExit() {
        if (!withTrace.length && !without.length) {
          ctx.notApplicable('The description has no GET, PUT, POST, DELETE or PATCH operations.')
          return
        }
        if (!withTrace.length) {
          const paths = root && api.child(root, 'paths')
          ctx.report({ messageId: 'missing', node: paths ?? root, key: !!paths })
          return
        }
        for (const op of without)
          ctx.report({
            messageId: 'inconsistent',
            node: op.node,
            data: { method: op.method.toUpperCase(), path: op.path, count: withTrace.length },
          })
      },
    }
  },
})
