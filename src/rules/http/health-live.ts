import { defineRule } from '../../core/define-rule.js'
import { contentTypeOf, exchangeEvidence } from './util.js'

// draft-inadarei-api-health-check: the status is pass, fail or warn (the draft also lists ok/up and
// error/down as aliases some tools send; they are accepted, the draft's values are preferred).
const STATUSES = new Set(['pass', 'fail', 'warn', 'ok', 'up', 'down', 'error'])

export default defineRule({
  meta: {
    id: 'health-live',
    title: 'The health endpoint answers with application/health+json and a status',
    failureTitle: 'The health endpoint does not answer as a health check',
    description:
      'A municipality’s monitoring polls every service it depends on; it can only do so generically when each answers in the same format. ' +
      'Answer the health endpoint with application/health+json and a status of pass, warn or fail (200, or 503 when failing).',
    fix: 'Answer GET on the health endpoint with 200 (or 503) and application/health+json carrying {"status": "pass"}.',
    sources: [
      {
        title: 'Health Check Response Format for HTTP APIs (draft-inadarei-api-health-check)',
        url: 'https://datatracker.ietf.org/doc/draft-inadarei-api-health-check/',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'bad-status':
        'GET {{url}} answered {{status}}; a health endpoint answers 200, or 503 when the service fails.',
      'not-health-json': 'GET {{url}} answered {{type}}, not application/health+json.',
      'no-status': 'GET {{url}} answered without a "status" of pass, warn or fail in its body.',
    },
  },
  check(ctx) {
    const probes = ctx.artifacts.live!.exchanges.filter((e) => e.purpose === 'health')
    if (!probes.length) {
      ctx.notApplicable('the description names no health endpoint to call')
      return
    }
    const answered = probes.filter((e) => e.response)
    if (!answered.length) {
      ctx.notChecked(`the health endpoint did not answer (${probes.map((e) => e.error).join('; ')})`)
      return
    }
    for (const e of answered) {
      const res = e.response!
      const at = { loc: e.target.loc, evidence: { http: exchangeEvidence(e, ['content-type']) } }
      const data = { url: e.request.url, status: res.status }
      if (!(res.status >= 200 && res.status < 300) && res.status !== 503) {
        ctx.report({ messageId: 'bad-status', data, ...at })
        continue
      }
      const type = contentTypeOf(e)
      if (type !== 'application/health+json')
        ctx.report({
          messageId: 'not-health-json',
          data: { ...data, type: type || 'no content type' },
          ...at,
        })
      if (!STATUSES.has(statusOf(res.body).toLowerCase())) ctx.report({ messageId: 'no-status', data, ...at })
    }
  },
})

function statusOf(body: string | undefined): string {
  try {
    const v = JSON.parse(body ?? '') as { status?: unknown }
    return typeof v?.status === 'string' ? v.status : ''
  } catch {
    return ''
  }
}
