import { defineRule } from '../../core/define-rule.js'
import { answered, declaresSmart, evidence, fhirExchanges, isObj, jsonBody } from './util-live.js'

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris'

export default defineRule({
  meta: {
    id: 'fhir-smart-live',
    title: 'The FHIR server’s SMART on FHIR configuration is complete and enforced',
    failureTitle: 'The FHIR server’s SMART on FHIR configuration is incomplete, inconsistent or not enforced',
    description:
      'Apps and the region’s systems authorise against a FHIR server through SMART on FHIR; an incomplete configuration, one that disagrees with the CapabilityStatement, or data served without a token breaks that or leaks data. ' +
      'Publish .well-known/smart-configuration with token_endpoint, grant_types_supported, capabilities and S256 PKCE (never plain), issuer and jwks_uri with sso-openid-connect, agreeing with metadata, and answer requests without a token with 401.',
    fix: 'Complete .well-known/smart-configuration, keep it equal to the oauth-uris in metadata, and require a token.',
    sources: [
      {
        title: 'SMART App Launch 2.0: Conformance (smart-configuration)',
        url: 'https://hl7.org/fhir/smart-app-launch/conformance.html',
      },
      { title: 'RFC 7636 PKCE', url: 'https://www.rfc-editor.org/rfc/rfc7636' },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'no-configuration':
        'GET {{url}} answered {{status}}; a server that declares SMART on FHIR publishes its configuration there.',
      'missing-fields': 'The SMART configuration at {{url}} lacks {{fields}}.',
      pkce: 'The SMART configuration at {{url}} offers code_challenge_methods {{methods}}; offer S256 and not plain.',
      disagrees:
        'The SMART configuration at {{url}} gives {{field}} {{smart}}, but metadata says {{metadata}}.',
      'no-auth-required':
        'GET {{url}} without a token answered {{status}}; a SMART-protected server answers 401.',
    },
  },
  check(ctx) {
    const fhir = fhirExchanges(ctx)
    if (!fhir) return
    const meta = jsonBody(answered(fhir, 'fhir-metadata'))
    const smart = answered(fhir, 'fhir-smart')
    if (!declaresSmart(meta) && smart?.response?.status !== 200) {
      ctx.notApplicable(
        'the FHIR server declares no SMART on FHIR security and publishes no SMART configuration',
      )
      return
    }
    if (!smart) {
      ctx.notChecked('the SMART configuration was not answered')
      return
    }
    const report = (messageId: string, e: (typeof fhir)[number], data: Record<string, unknown> = {}) =>
      ctx.report({
        messageId,
        loc: e.target.loc,
        data: { url: e.request.url, status: e.response!.status, ...data },
        evidence: evidence(e),
      })
    const config = jsonBody(smart)
    if (smart.response!.status !== 200 || !isObj(config)) report('no-configuration', smart)
    else {
      const capabilities = Array.isArray(config.capabilities) ? config.capabilities : []
      const required = [
        'token_endpoint',
        'grant_types_supported',
        'capabilities',
        'code_challenge_methods_supported',
      ]
      if (capabilities.includes('sso-openid-connect')) required.push('issuer', 'jwks_uri')
      const missing = required.filter((f) => config[f] === undefined)
      if (missing.length) report('missing-fields', smart, { fields: missing.join(', ') })
      const methods = Array.isArray(config.code_challenge_methods_supported)
        ? config.code_challenge_methods_supported
        : []
      if (
        config.code_challenge_methods_supported !== undefined &&
        (!methods.includes('S256') || methods.includes('plain'))
      )
        report('pkce', smart, { methods: methods.join(', ') || 'none' })
      // The endpoints in metadata's oauth-uris extension must be the same.
      const ext =
        isObj(meta) && Array.isArray(meta.rest)
          ? meta.rest.flatMap((r) =>
              isObj(r) && isObj(r.security) && Array.isArray(r.security.extension)
                ? r.security.extension
                : [],
            )
          : []
      const uris = ext.find((x) => isObj(x) && x.url === OAUTH_URIS)
      const inner = isObj(uris) && Array.isArray(uris.extension) ? uris.extension : []
      for (const [name, field] of [
        ['token', 'token_endpoint'],
        ['authorize', 'authorization_endpoint'],
      ] as const) {
        const m = inner.find((x) => isObj(x) && x.url === name)
        const value = isObj(m) ? m.valueUri : undefined
        if (typeof value === 'string' && typeof config[field] === 'string' && value !== config[field])
          report('disagrees', smart, { field, smart: String(config[field]), metadata: value })
      }
    }
    const open = answered(fhir, 'fhir-unauthenticated')
    if (open && open.response!.status !== 401) report('no-auth-required', open)
  },
})
