import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { HttpExchange } from '../../loaders/live.js'
import { isObj, type Obj } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { securitySchemes } from '../openapi/util-closed.js'
import { objChild } from '../openapi/util-style.js'
import { contentTypeOf, exchangeEvidence } from './util.js'

const OIDC_WELL_KNOWN = '/.well-known/openid-configuration'
const OAUTH_WELL_KNOWN = '/.well-known/oauth-authorization-server'

/** OpenID Connect Discovery 1.0 §3: the metadata every OpenID Provider must publish (token_endpoint aside). */
const OIDC_REQUIRED = {
  issuer: 'string',
  authorization_endpoint: 'string',
  jwks_uri: 'string',
  response_types_supported: 'array',
  subject_types_supported: 'array',
  id_token_signing_alg_values_supported: 'array',
} as const
/** RFC 8414 §2: the metadata every authorization server must publish (token_endpoint aside). */
const OAUTH_REQUIRED = { issuer: 'string', response_types_supported: 'array' } as const

type SchemeType = 'openIdConnect' | 'oauth2'

/** What the description says about a scheme whose metadata can be discovered, URLs as written. */
interface Documented {
  type: SchemeType
  /** OpenID Connect: the discovery URL. */
  discoveryUrl?: string
  /** OAuth 2.0: the token URLs of its flows. */
  tokenUrls: string[]
}

export default defineRule({
  meta: {
    id: 'auth-discovery-live',
    title: 'The identity provider publishes metadata that matches the description',
    failureTitle: 'The identity provider’s OpenID Connect or OAuth metadata is missing or does not match',
    description:
      'A municipality configures its clients and gateways from an identity provider’s published metadata; a missing or wrong discovery document breaks that setup, and an issuer or token endpoint that differs from the description sends clients to the wrong place or makes them reject every token. ' +
      'Publish OpenID Connect Discovery (or RFC 8414) metadata with the required fields at the URL the description names, with an issuer that matches that URL and the token endpoint the description documents.',
    fix: 'Publish complete discovery metadata at the issuer’s /.well-known URL and make openIdConnectUrl, issuer and tokenUrl agree with it.',
    sources: [
      {
        title: 'OpenID Connect Discovery 1.0',
        url: 'https://openid.net/specs/openid-connect-discovery-1_0.html',
      },
      {
        title: 'RFC 8414 OAuth 2.0 Authorization Server Metadata',
        url: 'https://www.rfc-editor.org/rfc/rfc8414',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Security Scheme Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#security-scheme-object',
      },
    ],
    requires: ['live', 'openapi'],
    establishedBy: 'live',
    messages: {
      'not-answered':
        'GET {{url}}, the {{kind}} of security scheme "{{scheme}}", answered {{status}} instead of 200.',
      'not-json':
        'GET {{url}}, the {{kind}} of security scheme "{{scheme}}", answered {{status}} with {{what}}; metadata is a JSON object served as application/json.',
      'missing-fields':
        'The {{kind}} at {{url}} (security scheme "{{scheme}}") lacks what {{spec}} requires: {{fields}}.',
      'bad-issuer':
        'The {{kind}} at {{url}} gives issuer "{{issuer}}", which is not an https URL without query or fragment.',
      'issuer-mismatch':
        'The {{kind}} at {{url}} gives issuer "{{issuer}}", whose metadata is at {{expected}} ({{spec}}); clients that check the issuer reject it.',
      'token-endpoint-mismatch':
        'The OAuth metadata at {{url}} gives token_endpoint {{tokenEndpoint}}, but security scheme "{{scheme}}" documents tokenUrl {{tokenUrl}}.',
    },
  },
  check(ctx) {
    const api = ctx.artifacts.openapi!
    const documented = discoverable(api)
    if (!documented.size) {
      ctx.notApplicable(
        'the description has no OpenID Connect security scheme and no OAuth 2.0 scheme with a token URL',
      )
      return
    }
    const probes = ctx.artifacts.live!.exchanges.filter((e) => e.purpose === 'auth-metadata')
    const answered = probes.filter((e) => e.response)
    if (!answered.length) {
      ctx.notChecked(unansweredReason(probes))
      return
    }
    let judged = 0
    for (const e of answered) {
      const res = e.response!
      const type: SchemeType =
        e.scheme?.type ?? (e.request.url.includes(OIDC_WELL_KNOWN) ? 'openIdConnect' : 'oauth2')
      const name = e.scheme?.name ?? '(unnamed)'
      const doc = documented.get(name)
      const oidc = type === 'openIdConnect'
      const base = {
        url: e.request.url,
        status: res.status,
        scheme: name,
        kind: oidc ? 'OpenID Connect discovery document' : 'OAuth authorization server metadata',
      }
      const report = (messageId: string, data: Record<string, unknown> = {}) =>
        ctx.report({
          messageId,
          loc: e.target.loc,
          data: { ...base, ...data },
          evidence: { http: exchangeEvidence(e, ['content-type']) },
        })

      if (res.status < 200 || res.status >= 300) {
        judged++
        report('not-answered')
        continue
      }
      const ctype = contentTypeOf(e)
      const jsonType = ctype === 'application/json' || /^application\/[^/]+\+json$/.test(ctype)
      const meta = parseObject(res.body)
      // A cut-off body cannot be judged; a complete one that is no JSON object can.
      if (!meta && res.truncated) continue
      judged++
      if (!meta || !jsonType) {
        report('not-json', {
          what: !jsonType ? ctype || 'no content type' : `${ctype} that is not a JSON object`,
        })
        if (!meta) continue
      }

      const required: Record<string, 'string' | 'array'> = { ...(oidc ? OIDC_REQUIRED : OAUTH_REQUIRED) }
      // Discovery §3 and RFC 8414 §2: token_endpoint is required unless only the implicit flow is used.
      if (!onlyImplicit(meta)) required.token_endpoint = 'string'
      const missing = Object.entries(required).flatMap(([field, kind]) => {
        const v = meta[field]
        if (v === undefined || v === null) return [field]
        if (kind === 'string' && (typeof v !== 'string' || !v)) return [`${field} (not a string)`]
        if (kind === 'array' && (!Array.isArray(v) || !v.length)) return [`${field} (not a non-empty array)`]
        return []
      })
      if (missing.length)
        report('missing-fields', {
          spec: oidc ? 'OpenID Connect Discovery 1.0 §3' : 'RFC 8414 §2',
          fields: missing.join(', '),
        })

      if (typeof meta.issuer === 'string' && meta.issuer) {
        const issuer = parseUrl(meta.issuer)
        if (!issuer || issuer.protocol !== 'https:' || /[?#]/.test(meta.issuer))
          report('bad-issuer', { issuer: meta.issuer })
        else {
          const expected = oidc ? oidcMetadataUrl(meta.issuer) : oauthMetadataUrl(issuer)
          // The URL asked (after same-host redirects) or the one the description names may match.
          const asked = [e.request.url, ...documentedMetadataUrls(doc, e.target.baseUrl)]
          if (!asked.some((u) => sameUrl(u, expected)))
            report('issuer-mismatch', {
              issuer: meta.issuer,
              expected,
              spec: oidc ? 'OpenID Connect Discovery 1.0 §4.3' : 'RFC 8414 §3.1 and §3.3',
            })
        }
      }

      if (!oidc && typeof meta.token_endpoint === 'string' && meta.token_endpoint) {
        const tokenUrls = [
          ...(e.scheme?.tokenUrl ? [absolute(e.scheme.tokenUrl, e.target.baseUrl)] : []),
          ...(doc?.tokenUrls ?? []).map((u) => absolute(u, e.target.baseUrl)),
        ]
        if (tokenUrls.length && !tokenUrls.some((u) => sameUrl(u, meta.token_endpoint as string)))
          report('token-endpoint-mismatch', { tokenEndpoint: meta.token_endpoint, tokenUrl: tokenUrls[0] })
      }
    }
    if (!judged)
      ctx.notChecked(
        'the identity provider’s metadata was longer than the live checks read, so it could not be judged',
      )
  },
})

/** The OpenID Connect and OAuth 2.0 (with a token URL) schemes of the description, by name. */
function discoverable(api: OpenApiArtifact): Map<string, Documented> {
  const out = new Map<string, Documented>()
  const root = api.resolve<Obj>(api.node(api.rootLoc))
  if (!root || !isObj(root.value)) return out
  for (const { name, node } of securitySchemes(api, root as Node<Obj>)) {
    const s = node.value
    if (s.type === 'openIdConnect') {
      const discoveryUrl = typeof s.openIdConnectUrl === 'string' ? s.openIdConnectUrl : undefined
      out.set(name, { type: 'openIdConnect', ...(discoveryUrl ? { discoveryUrl } : {}), tokenUrls: [] })
    } else if (s.type === 'oauth2') {
      const tokenUrls: string[] = []
      // Swagger 2 writes one flow on the scheme itself; OpenAPI 3 has a `flows` map.
      if (api.kind === 'swagger') {
        if (typeof s.tokenUrl === 'string') tokenUrls.push(s.tokenUrl)
      } else {
        const flows = objChild(api, node, 'flows')
        for (const flow of Object.keys(flows?.value ?? {})) {
          const f = objChild(api, flows!, flow)
          if (typeof f?.value.tokenUrl === 'string') tokenUrls.push(f.value.tokenUrl)
        }
      }
      if (tokenUrls.length) out.set(name, { type: 'oauth2', tokenUrls })
    }
  }
  return out
}

/** Where the description says the scheme's metadata is: the discovery URL, or per token URL its origin's. */
function documentedMetadataUrls(doc: Documented | undefined, base: string): string[] {
  if (!doc) return []
  if (doc.discoveryUrl) return [absolute(doc.discoveryUrl, base)]
  return doc.tokenUrls.flatMap((u) => {
    const parsed = parseUrl(absolute(u, base))
    return parsed ? [parsed.origin + OAUTH_WELL_KNOWN] : []
  })
}

/** Why no metadata could be judged, and, for a refused host, how to allow it. */
function unansweredReason(probes: readonly HttpExchange[]): string {
  if (!probes.length) return 'the identity provider’s metadata was not requested'
  const errors = [...new Set(probes.map((e) => e.error ?? 'no answer'))].join('; ')
  const refused = [
    ...new Set(
      probes
        .filter((e) => e.error?.includes('not named in the manifest'))
        .map((e) => parseUrl(e.request.url)?.hostname)
        .filter((h): h is string => !!h),
    ),
  ]
  if (!refused.length) return `the identity provider’s metadata did not answer (${errors})`
  const flags = refused.map((h) => `--allow-host ${h}`).join(' ')
  return `the identity provider’s metadata could not be fetched because its host is not named in the manifest (${errors}); allow the identity provider’s host with ${flags}`
}

/**
 * Discovery §3 and RFC 8414 §2 leave token_endpoint out only for providers of the implicit flow
 * alone: grant types only `implicit`, or response types none of which includes `code`.
 */
function onlyImplicit(meta: Obj): boolean {
  const grants = meta.grant_types_supported
  if (Array.isArray(grants) && grants.length && grants.every((g) => g === 'implicit')) return true
  const types = meta.response_types_supported
  return (
    Array.isArray(types) &&
    types.length > 0 &&
    types.every((t) => typeof t === 'string' && !t.split(/\s+/).includes('code'))
  )
}

/** Discovery §4.1: the issuer, without a trailing slash, followed by the well-known path. */
function oidcMetadataUrl(issuer: string): string {
  return issuer.replace(/\/+$/, '') + OIDC_WELL_KNOWN
}

/** RFC 8414 §3.1: the well-known path goes between the host and the issuer's path. */
function oauthMetadataUrl(issuer: URL): string {
  const path = issuer.pathname.replace(/\/+$/, '')
  return issuer.origin + OAUTH_WELL_KNOWN + path
}

function parseObject(body: string | undefined): Obj | undefined {
  try {
    const v: unknown = JSON.parse(body ?? '')
    return isObj(v) ? v : undefined
  } catch {
    return undefined
  }
}

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s)
  } catch {
    return undefined
  }
}

/**
 * OpenAPI 3.1 allows URLs relative to the server (RFC 3986 resolution); the base URL stands in for
 * it, as the prober resolves them.
 */
function absolute(url: string, base: string): string {
  try {
    return new URL(url, base).href
  } catch {
    return url
  }
}

/** The same URL once scheme and host case and default ports are normalised. */
function sameUrl(a: string, b: string): boolean {
  const x = parseUrl(a)
  const y = parseUrl(b)
  return !!x && !!y && x.href === y.href
}
