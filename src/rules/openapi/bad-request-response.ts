import { defineRule } from '../../core/define-rule.js'
import { firstTime, isObj } from './util-http.js'

export default defineRule({
  meta: {
    id: 'bad-request-response',
    title: 'Operations that take input describe the 400 response',
    failureTitle: 'Operations that take input do not describe the 400 response',
    description:
      'Every operation that accepts parameters or a body can receive invalid input, and a client must know what the rejection looks like to show it to the user. ' +
      'Declare a 400 Bad Request response (with problem details) on every operation that takes parameters or a request body.',
    fix: 'Add a 400 response, e.g. a shared BadRequest response with an application/problem+json body.',
    sources: [
      {
        title: 'NL API Design Rules: /core/error-handling/invalid-input',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/error-handling/invalid-input',
      },
      {
        title: 'RFC 9110 HTTP Semantics, §15.5.1 400 Bad Request',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1',
      },
      {
        title: 'REST API-profil (DIGG): Felhantering',
        url: 'https://dev.dataportal.se/rest-api-profil/felhantering',
      },
    ],
    requires: ['openapi'],
    messages: {
      missing: '{{method}} {{path}} takes {{input}} but declares no 400 response for invalid input.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const once = firstTime()
    let withInput = 0
    return {
      Operation(op) {
        const hasParams = op.parameters.length > 0
        const hasBody = op.requestBody !== undefined
        if (!hasParams && !hasBody) return
        withInput++
        const raw = api.child(op.node, 'responses')
        const responses = raw && api.resolve(raw)
        const keys = responses && isObj(responses.value) ? Object.keys(responses.value) : []
        // A `4XX` range covers 400; `default` does not say that bad input is answered with 400.
        if (keys.some((k) => k === '400' || k.toUpperCase() === '4XX')) return
        // Parameters alone count (path, query, header, cookie); Swagger 2 `body`/`formData` are parameters too.
        const input =
          hasParams && api.kind === 'openapi' && hasBody
            ? 'parameters and a request body'
            : hasParams
              ? 'parameters'
              : 'a request body'
        const at = responses ?? op.node
        if (!once(at.loc)) return
        ctx.report({
          messageId: 'missing',
          node: at,
          data: { method: op.method.toUpperCase(), path: op.path, input },
        })
      },
      DocumentExit() {
        if (!withInput) ctx.notApplicable('No operation takes parameters or a request body.')
      },
    }
  },
})
