import { defineRule } from '../../core/define-rule.js'
import type { TlsObservation } from '../../loaders/live.js'

interface Options {
  expiryWarningDays: number
}

const DAY_MS = 24 * 60 * 60 * 1000
// TLS 1.0 and 1.1 are deprecated by RFC 8996; anything below TLS 1.2 is a finding.
const MODERN = new Set(['TLSv1.2', 'TLSv1.3'])

/** A certificate name covers a host exactly, or as a wildcard for one left-most label (RFC 6125 §6.4.3). */
export function certificateCovers(name: string, host: string): boolean {
  const n = name.toLowerCase()
  const h = host.toLowerCase()
  if (n === h) return true
  if (!n.startsWith('*.')) return false
  const rest = h.indexOf('.')
  return rest > 0 && h.slice(rest + 1) === n.slice(2)
}

export default defineRule<Options>({
  meta: {
    id: 'tls-configuration',
    title: 'The service offers only current TLS with a valid certificate',
    failureTitle: 'The service’s TLS is outdated, or its certificate is invalid or about to expire',
    description:
      'A municipality’s systems will refuse, or worse silently accept, connections that are not protected by current TLS with a certificate they can verify. ' +
      'Offer TLS 1.2 or 1.3 only (RFC 8996 deprecates 1.0 and 1.1), with a certificate from a trusted authority that names the host and is renewed well before it expires.',
    fix: 'Disable TLS 1.0 and 1.1, and serve a trusted certificate for the host that is renewed at least 30 days before it expires.',
    sources: [
      { title: 'RFC 8996 Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
      {
        title: 'RFC 9325 Recommendations for Secure Use of TLS and DTLS',
        url: 'https://www.rfc-editor.org/rfc/rfc9325',
      },
      { title: 'RFC 6125 Service Identity in TLS', url: 'https://www.rfc-editor.org/rfc/rfc6125' },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'old-protocol': '{{host}} ({{environment}}) negotiated {{protocol}}; offer TLS 1.2 or 1.3.',
      'legacy-accepted': '{{host}} ({{environment}}) still accepts {{protocols}}, which RFC 8996 deprecates.',
      untrusted: 'The certificate of {{host}} ({{environment}}) does not verify: {{error}}.',
      'name-mismatch': 'The certificate of {{host}} ({{environment}}) names {{names}}, not the host.',
      expiring: 'The certificate of {{host}} ({{environment}}) expires on {{validTo}}, in {{days}} days.',
      expired: 'The certificate of {{host}} ({{environment}}) expired on {{validTo}}.',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        expiryWarningDays: {
          type: 'integer',
          minimum: 0,
          default: 30,
          description: 'Report a certificate that expires within this many days of the observation.',
        },
      },
    },
  },
  check(ctx) {
    const live = ctx.artifacts.live!
    const reached = live.tls.filter((t) => !t.error)
    if (!reached.length) {
      const why = live.tls.map((t) => `${t.host}: ${t.error}`).join('; ')
      ctx.notChecked(live.tls.length ? `no TLS handshake succeeded (${why})` : 'no https base URL was probed')
      return
    }
    const observed = Date.parse(live.observedAt)
    for (const t of reached) {
      const data = { host: t.host, environment: t.target.environment }
      const report = (messageId: string, extra: Record<string, unknown> = {}) =>
        ctx.report({
          messageId,
          loc: t.target.loc,
          data: { ...data, ...extra },
          evidence: { http: evidence(t) },
        })
      if (t.protocol && !MODERN.has(t.protocol)) report('old-protocol', { protocol: t.protocol })
      if (t.legacyAccepted.length) report('legacy-accepted', { protocols: t.legacyAccepted.join(' and ') })
      const cert = t.certificate
      if (!cert) continue
      if (!cert.trusted) report('untrusted', { error: cert.trustError ?? 'the chain is not trusted' })
      if (!cert.subjectAltNames.some((n) => certificateCovers(n, t.host)))
        report('name-mismatch', { names: cert.subjectAltNames.join(', ') || 'no names' })
      const days = Math.floor((Date.parse(cert.validTo) - observed) / DAY_MS)
      if (days < 0) report('expired', { validTo: cert.validTo.slice(0, 10) })
      else if (days < ctx.options.expiryWarningDays)
        report('expiring', { validTo: cert.validTo.slice(0, 10), days })
    }
  },
})

function evidence(t: TlsObservation) {
  return {
    url: `https://${t.host}:${t.port}`,
    tls: {
      ...(t.protocol ? { protocol: t.protocol } : {}),
      legacyAccepted: t.legacyAccepted,
      ...(t.certificate
        ? { certificateValidTo: t.certificate.validTo, subjectAltNames: t.certificate.subjectAltNames }
        : {}),
    },
  }
}
