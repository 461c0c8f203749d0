import { defineRule } from '../../core/define-rule.js'
import { words } from './util-style.js'

/**
 * Request header fields a client can send to any service, lower-cased: those of RFC 9110/9111
 * (content negotiation, conditional requests, ranges, caching), RFC 7240 Prefer, W3C Trace Context
 * and Baggage, RFC 9530 digests, RFC 9421 message signatures, RFC 9449 DPoP, RFC 9440 client
 * certificates, RFC 7239 Forwarded, the IETF Idempotency-Key draft and the NL API Design Rules'
 * API-Version. Anything else that is required ties clients to one vendor's conventions.
 */
const STANDARD_HEADERS = new Set(
  [
    'Authorization',
    'Accept',
    'Accept-Charset',
    'Accept-Encoding',
    'Accept-Language',
    'Content-Type',
    'Content-Encoding',
    'Content-Language',
    'Content-Length',
    'Content-Location',
    'Content-Range',
    'If-Match',
    'If-None-Match',
    'If-Modified-Since',
    'If-Unmodified-Since',
    'If-Range',
    'Range',
    'Cache-Control',
    'Expect',
    'From',
    'Host',
    'Origin',
    'Referer',
    'User-Agent',
    'Date',
    'Prefer',
    'traceparent',
    'tracestate',
    'baggage',
    'Idempotency-Key',
    'API-Version',
    'Digest',
    'Want-Digest',
    'Content-Digest',
    'Repr-Digest',
    'Want-Content-Digest',
    'Want-Repr-Digest',
    'Signature',
    'Signature-Input',
    'DPoP',
    'Client-Cert',
    'Client-Cert-Chain',
    'Forwarded',
  ].map((h) => h.toLowerCase()),
)

/**
 * Query parameters that carry a vendor's tenancy, licensing or session state: names starting with
 * vendor/session/installation, and tenant/customer/licence/subscription keys (`tenantId`,
 * `customer_key`, `licenseKey`, `tenant`). A customer's own search field (`customerName`) is not one.
 */
const PREFIX_WORDS = new Set(['vendor', 'session', 'installation'])
const KEY_OWNERS = new Set(['tenant', 'customer', 'license', 'licence', 'subscription'])
const KEY_WORDS = new Set(['id', 'key', 'code', 'no', 'nr', 'number', 'token', 'guid', 'uuid'])

function isVendorParameter(name: string): boolean {
  const w = words(name)
  if (!w.length) return false
  if (PREFIX_WORDS.has(w[0]!)) return true
  const owner = w.findIndex((x) => KEY_OWNERS.has(x))
  if (owner === -1) return false
  return owner === w.length - 1 || w.slice(owner + 1).every((x) => KEY_WORDS.has(x))
}

export default defineRule({
  meta: {
    id: 'no-vendor-headers',
    title: 'No vendor-specific headers or parameters are required',
    failureTitle: 'Vendor-specific headers or parameters are required',
    description:
      'A required header or tenant key that only one vendor uses has to be built into every client, gateway and integration platform the municipality runs, and makes the API impossible to replace by another implementation. ' +
      'Require only standard HTTP fields, carry identity in Authorization, and derive the tenant or licence from the credentials or the server URL.',
    fix: 'Make the header or parameter optional, or replace it with a standard field (Authorization, Accept-Language, traceparent …) or the credentials.',
    sources: [
      {
        title: 'IANA Hypertext Transfer Protocol (HTTP) Field Name Registry',
        url: 'https://www.iana.org/assignments/http-fields/http-fields.xhtml',
      },
      { title: 'RFC 9110 HTTP Semantics', url: 'https://www.rfc-editor.org/rfc/rfc9110' },
      {
        title: 'The Idempotency-Key HTTP Header Field (IETF draft)',
        url: 'https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/',
      },
      {
        title: 'NL API Design Rules: /core/version-header',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/version-header',
      },
      {
        title: 'European Interoperability Framework, recommendation 4 (reusability)',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
    ],
    requires: ['openapi'],
    messages: {
      'vendor-header':
        'The required request header "{{name}}" is not a standard HTTP field; clients of any other service would not send it.',
      'vendor-parameter':
        'The required query parameter "{{name}}" carries a vendor, tenant, licence or session key; derive it from the credentials or the server URL.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Parameter(param) {
        const p = param.value
        if (p.required !== true || typeof p.name !== 'string') return
        const at = api.child(param, 'name') ?? param
        if (p.in === 'header' && !STANDARD_HEADERS.has(p.name.toLowerCase()))
          ctx.report({ messageId: 'vendor-header', node: at, data: { name: p.name } })
        else if (p.in === 'query' && isVendorParameter(p.name))
          ctx.report({ messageId: 'vendor-parameter', node: at, data: { name: p.name } })
      },
    }
  },
})
