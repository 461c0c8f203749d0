import { defineRule } from '../../core/define-rule.js'
import { exchangeEvidence } from './util.js'

/** The response headers a reviewer needs to see, and nothing that could carry a secret. */
const SHOWN = ['strict-transport-security', 'x-content-type-options', 'cache-control', 'content-type']

export default defineRule({
  meta: {
    id: 'security-headers',
    title: 'Responses carry the security headers HTTPS APIs need',
    failureTitle: 'Responses lack Strict-Transport-Security, nosniff or no-store',
    description:
      'Without HSTS a client can be downgraded to plain HTTP; without nosniff a browser may run a response as script; and an authenticated response without no-store may be kept by a shared cache and served to someone else. ' +
      'Send Strict-Transport-Security and X-Content-Type-Options: nosniff on every response, and Cache-Control: no-store on responses to authenticated requests.',
    fix: 'Add Strict-Transport-Security and X-Content-Type-Options: nosniff to every response, and Cache-Control: no-store to authenticated ones.',
    sources: [
      { title: 'RFC 6797 HTTP Strict Transport Security', url: 'https://www.rfc-editor.org/rfc/rfc6797' },
      {
        title: 'OWASP REST Security Cheat Sheet: security headers',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html',
      },
      {
        title: 'RFC 9111 HTTP Caching: no-store',
        url: 'https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'no-hsts': '{{method}} {{url}} answered without Strict-Transport-Security.',
      'no-nosniff': '{{method}} {{url}} answered without X-Content-Type-Options: nosniff.',
      'cacheable-authenticated':
        'The authenticated {{method}} {{url}} answered without Cache-Control: no-store, so a shared cache may keep it.',
    },
  },
  check(ctx) {
    const answered = ctx.artifacts.live!.exchanges.filter(
      (e) => e.response && e.request.url.startsWith('https:'),
    )
    if (!answered.length) {
      ctx.notChecked('no https request to the service was answered')
      return
    }
    // One finding per kind and base URL: the same missing header on every path is one problem.
    const seen = new Set<string>()
    for (const e of answered) {
      const h = e.response!.headers
      const report = (messageId: string) => {
        const key = `${messageId}|${e.target.baseUrl}`
        if (seen.has(key)) return
        seen.add(key)
        ctx.report({
          messageId,
          loc: e.target.loc,
          data: { method: e.request.method, url: e.request.url },
          evidence: { http: exchangeEvidence(e, SHOWN) },
        })
      }
      if (!h['strict-transport-security']) report('no-hsts')
      if ((h['x-content-type-options'] ?? '').trim().toLowerCase() !== 'nosniff') report('no-nosniff')
      if (e.request.authenticated && !/(^|,)\s*no-store\s*(,|$)/i.test(h['cache-control'] ?? ''))
        report('cacheable-authenticated')
    }
  },
})
