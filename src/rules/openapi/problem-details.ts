import { defineRule } from '../../core/define-rule.js'
import type { Obj } from '../../loaders/openapi-walker.js'
import { isErrorStatus } from './util.js'

const PROBLEM_TYPES = ['application/problem+json', 'application/problem+xml']

export default defineRule({
  meta: {
    id: 'problem-details',
    title: 'Errors use RFC 9457 problem details',
    failureTitle: 'Errors do not use RFC 9457 problem details',
    description:
      'A client that integrates with many services can only handle errors generically when they share one format. ' +
      'RFC 9457 problem details (application/problem+json) is that format, required by the NL API Design Rules and the Swedish REST API-profil.',
    fix: 'Give every 4xx, 5xx and default response an application/problem+json body.',
    sources: [
      { title: 'RFC 9457 Problem Details for HTTP APIs', url: 'https://www.rfc-editor.org/rfc/rfc9457' },
      {
        title: 'NL API Design Rules: /core/error-handling/problem-details',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/error-handling/problem-details',
      },
      { title: 'REST API-profil (DIGG)', url: 'https://dev.dataportal.se/rest-api-profil/felhantering' },
    ],
    requires: ['openapi'],
    messages: {
      missing:
        '{{status}} response of {{method}} {{path}} offers {{types}} but not application/problem+json.',
      'no-content':
        '{{status}} response of {{method}} {{path}} has no body; describe it as application/problem+json.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const rootProduces = (api.valueAt(api.rootLoc) as Obj).produces
    return {
      Response(status, node, op) {
        if (!isErrorStatus(status)) return
        const data = { status, method: op.method.toUpperCase(), path: op.path }
        if (api.kind === 'swagger') {
          const produces = Array.isArray(op.node.value.produces) ? op.node.value.produces : rootProduces
          if (!Array.isArray(produces) || !produces.some((t) => PROBLEM_TYPES.includes(String(t)))) {
            const types = Array.isArray(produces) && produces.length ? produces.join(', ') : 'no media type'
            ctx.report({ messageId: 'missing', node, data: { ...data, types } })
          }
          return
        }
        const content = api.child<Obj>(node, 'content')
        const types =
          content && content.value && typeof content.value === 'object' ? Object.keys(content.value) : []
        if (!types.length) ctx.report({ messageId: 'no-content', node, data })
        else if (!types.some((t) => PROBLEM_TYPES.includes(t.split(';')[0]!.trim().toLowerCase())))
          ctx.report({ messageId: 'missing', node: content, data: { ...data, types: types.join(', ') } })
      },
    }
  },
})
