import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import { firstTime, isObj } from './util-http.js'

/** RFC 9745 Deprecation and RFC 8594 Sunset: either tells a client at run time that a resource goes away. */
const SIGNAL_HEADERS = ['deprecation', 'sunset']

function signals(response: Node<Obj>): boolean {
  const headers = response.value.headers
  return isObj(headers) && Object.keys(headers).some((h) => SIGNAL_HEADERS.includes(h.toLowerCase()))
}

/**
 * The responses a client of a deprecated operation sees when the call works: the 2xx ones (RFC 9745
 * §2 has the server send Deprecation on responses to the deprecated resource). Without any, the
 * other non-error responses (3xx, `default`) are where the header has to be.
 */
function successResponses(op: OperationInfo): OperationInfo['responses'] {
  const ok = op.responses.filter((r) => /^2(\d\d|XX)$/i.test(r.status))
  return ok.length ? ok : op.responses.filter((r) => !/^[45]/.test(r.status))
}

export default defineRule({
  meta: {
    id: 'deprecation-headers',
    title: 'Deprecated operations announce it with Deprecation or Sunset headers',
    failureTitle: 'Deprecated operations do not announce it in their responses',
    description:
      'A municipality’s integrations run unattended for years; a deprecation noted only in the documentation is missed until the operation disappears and a service breaks. ' +
      'Mark deprecated operations with the standard `deprecated: true` and document the Deprecation (RFC 9745) or Sunset (RFC 8594) response header on their successful responses.',
    fix: 'Add a Deprecation (or Sunset) header to the 2xx responses of the deprecated operation, and use `deprecated: true` rather than x-deprecated.',
    sources: [
      {
        title: 'RFC 9745 The Deprecation HTTP Response Header Field',
        url: 'https://www.rfc-editor.org/rfc/rfc9745',
      },
      { title: 'RFC 8594 The Sunset HTTP Header Field', url: 'https://www.rfc-editor.org/rfc/rfc8594' },
      {
        title: 'NL API Design Rules: /core/deprecation-schedule',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/deprecation-schedule',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Operation Object (deprecated)',
        url: 'https://spec.openapis.org/oas/v3.1.0#operation-object',
      },
    ],
    requires: ['openapi'],
    messages: {
      'undocumented-headers':
        '{{method}} {{path}} is deprecated, but its {{statuses}} response documents neither a Deprecation nor a Sunset header.',
      'non-standard-marker': '{{what}} is marked with x-deprecated; use the standard `deprecated: true`.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    let deprecated = 0
    let markers = 0
    const swagger = api.kind === 'swagger'
    // A schema reached under several property names is reported once, where it is written.
    const first = firstTime()

    /** Flags `x-deprecated` where the standard field is missing. */
    const marker = (node: Node<Obj>, what: string) => {
      if (!('x-deprecated' in node.value) || 'deprecated' in node.value || !first(node.loc)) return
      markers++
      ctx.report({
        messageId: 'non-standard-marker',
        node: api.child(node, 'x-deprecated')!,
        key: true,
        data: { what },
      })
    }

    return {
      Operation(op) {
        const what = `${op.method.toUpperCase()} ${op.path}`
        marker(op.node, what)
        // x-deprecated still says the operation is deprecated, so its responses need the header too.
        const v = op.node.value
        if (v.deprecated !== true && !(v.deprecated === undefined && v['x-deprecated'] === true)) return
        deprecated++
        const responses = successResponses(op)
        const silent = responses.filter((r) => !signals(r.node))
        if (!responses.length || silent.length)
          ctx.report({
            messageId: 'undocumented-headers',
            node: api.child(op.node, 'deprecated') ?? api.child(op.node, 'x-deprecated') ?? op.node,
            data: {
              method: op.method.toUpperCase(),
              path: op.path,
              statuses: silent.length ? silent.map((r) => r.status).join(', ') : 'successful',
            },
          })
      },
      // Swagger 2 has `deprecated` on operations only; x-deprecated is its one way to mark the rest.
      Parameter(param) {
        if (!swagger && typeof param.value.name === 'string') marker(param, `Parameter "${param.value.name}"`)
      },
      Header(header) {
        if (!swagger && header.direction === 'response') marker(header.node, `Header "${header.name}"`)
      },
      Schema(schema) {
        if (!swagger)
          marker(schema.node, schema.propertyName ? `Property "${schema.propertyName}"` : 'A schema')
      },
      DocumentExit() {
        if (!deprecated && !markers) ctx.notApplicable('No operation is deprecated.')
      },
    }
  },
})
