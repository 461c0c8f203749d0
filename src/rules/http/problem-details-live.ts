import { defineRule } from '../../core/define-rule.js'
import { contentTypeOf, exchangeEvidence } from './util.js'

export default defineRule({
  meta: {
    id: 'problem-details-live',
    title: 'The service answers errors with problem details',
    failureTitle: 'The running service does not answer errors with problem details',
    description:
      'A description can promise RFC 9457 problem details that the service never sends; clients then meet HTML error pages or 200 answers to requests that failed. ' +
      'Answer a request for a path that does not exist with 404 and application/problem+json, as the description promises for every error.',
    fix: 'Let the service, its gateway and its framework answer unknown paths and other errors with 4xx/5xx and application/problem+json.',
    sources: [
      { title: 'RFC 9457 Problem Details for HTTP APIs', url: 'https://www.rfc-editor.org/rfc/rfc9457' },
      {
        title: 'NL API Design Rules: /core/error-handling/problem-details',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/error-handling/problem-details',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'not-an-error': 'GET {{url}}, a path that does not exist, answered {{status}} instead of 404.',
      'not-problem-json': 'GET {{url}} answered {{status}} with {{type}}, not application/problem+json.',
    },
  },
  check(ctx) {
    const probes = ctx.artifacts.live!.exchanges.filter((e) => e.purpose === 'unknown-path')
    const answered = probes.filter((e) => e.response)
    if (!answered.length) {
      ctx.notChecked(
        probes.length
          ? `no request for an unknown path was answered (${probes.map((e) => e.error).join('; ')})`
          : 'no request for an unknown path was made',
      )
      return
    }
    for (const e of answered) {
      const res = e.response!
      const type = contentTypeOf(e)
      const http = exchangeEvidence(e, ['content-type'])
      const data = { url: e.request.url, status: res.status, type: type || 'no content type' }
      // An authentication challenge (401/403) is an acceptable answer to an unknown path too.
      if (res.status < 400 || res.status >= 600)
        ctx.report({ messageId: 'not-an-error', loc: e.target.loc, data, evidence: { http } })
      else if (type !== 'application/problem+json' && type !== 'application/problem+xml')
        ctx.report({ messageId: 'not-problem-json', loc: e.target.loc, data, evidence: { http } })
    }
  },
})
