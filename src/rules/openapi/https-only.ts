import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { PATH_ITEM_METHODS, type Obj } from '../../loaders/openapi-walker.js'
import { environmentsOf, openApiServers, swaggerServer, urlParts } from './util-cloud.js'
import { isObj } from './util-http.js'
import { objChild } from './util-style.js'

/** Swagger 2 `schemes` values without TLS (the enum is http, https, ws, wss). */
const PLAIN_SCHEMES = new Set(['http', 'ws'])

/** OAuth 2 flow URLs (OAS 3 OAuth Flow Object; Swagger 2 has authorizationUrl and tokenUrl). */
const FLOW_URLS = ['authorizationUrl', 'tokenUrl', 'refreshUrl'] as const

/**
 * True when the URL is absolute with a scheme other than https. Relative references (`/v1`) and
 * network-path references (`//api.example.org`) inherit the scheme the description is served over.
 */
function insecure(url: string): boolean {
  const parts = urlParts(url)
  return !!parts?.scheme && parts.scheme !== 'https'
}

export default defineRule({
  meta: {
    id: 'https-only',
    title: 'Servers and authorization endpoints are reached over HTTPS only',
    failureTitle: 'Servers or authorization endpoints are offered over plain HTTP',
    description:
      'Municipal data and the tokens that guard it must never cross the network unencrypted; the NL API Design Rules require TLS "everywhere and always" and the Swedish REST API-profil requires HTTPS for all transport. ' +
      'Describe every server, OAuth 2 and OpenID Connect endpoint, and every environment in the manifest, with an https URL.',
    fix: 'Change the URL to https (and stop serving the plain-http endpoint).',
    sources: [
      {
        title: 'NL API Design Rules: /core/transport/tls',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/transport/tls',
      },
      {
        title: 'REST API-profil (DIGG): Säkerhet, SAK.01',
        url: 'https://dev.dataportal.se/rest-api-profil/',
      },
      {
        title: 'RFC 9700 Best Current Practice for OAuth 2.0 Security',
        url: 'https://www.rfc-editor.org/rfc/rfc9700',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Server Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#server-object',
      },
    ],
    requires: ['openapi'],
    optional: ['manifest'],
    messages: {
      'insecure-server': 'Server URL "{{url}}" does not use https.',
      'insecure-scheme':
        'The description offers the unencrypted scheme "{{scheme}}"; list only https (or wss for WebSockets).',
      'insecure-auth-url': '{{field}} "{{url}}" of the security scheme "{{scheme}}" does not use https.',
      'insecure-environment':
        'The manifest gives the {{environment}} environment of this API as "{{url}}", which does not use https.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    /** How many URLs, hosts and scheme lists there were to judge. */
    let judged = 0
    const plainSchemes = (list: Node<unknown>) => {
      if (!Array.isArray(list.value)) return
      list.value.forEach((s, i) => {
        if (typeof s === 'string' && PLAIN_SCHEMES.has(s.toLowerCase()))
          ctx.report({ messageId: 'insecure-scheme', node: api.child(list, i)!, data: { scheme: s } })
      })
    }
    const authUrl = (scheme: string, holder: Node<unknown>, field: string) => {
      const n = api.child(holder, field)
      if (!n || typeof n.value !== 'string') return
      judged++
      if (insecure(n.value))
        ctx.report({ messageId: 'insecure-auth-url', node: n, data: { field, url: n.value, scheme } })
    }
    return {
      Document(root) {
        if (api.kind === 'swagger') {
          // Without `schemes`, Swagger 2 uses the scheme the description itself was fetched with.
          const { host, schemes } = swaggerServer(api, root)
          if (host || schemes) judged++
          if (schemes) plainSchemes(schemes)
          // Operations may override the schemes (Swagger 2 Operation Object `schemes`).
          const paths = objChild(api, root, 'paths')
          for (const path of Object.keys(paths?.value ?? {})) {
            const item = !path.startsWith('x-') ? objChild(api, paths!, path) : undefined
            for (const method of PATH_ITEM_METHODS) {
              const op = item && objChild(api, item, method)
              const own = op && api.child(op, 'schemes')
              if (own) {
                judged++
                plainSchemes(own)
              }
            }
          }
        } else {
          for (const server of openApiServers(api, root)) {
            judged++
            if (insecure(server.url)) {
              ctx.report({ messageId: 'insecure-server', node: server.node, data: { url: server.url } })
              continue
            }
            // A scheme held in a variable (`{scheme}://…`) whose enum also allows http offers http too.
            const vars = isObj(server.server.value.variables) ? server.server.value.variables : {}
            const lead = /^\{([^}]+)\}:\/\//.exec(server.raw)
            const v = lead ? vars[lead[1]!] : undefined
            const values = isObj(v) && Array.isArray(v.enum) ? v.enum : []
            const plain = values.findIndex((e) => typeof e === 'string' && e.toLowerCase() === 'http')
            if (lead && plain !== -1)
              ctx.report({
                messageId: 'insecure-server',
                node: api.child(server.server, 'variables', lead[1]!, 'enum', plain) ?? server.node,
                data: { url: server.raw.replace(lead[0], 'http://') },
              })
          }
        }

        const schemes = api.kind === 'swagger' ? objChild(api, root, 'securityDefinitions') : undefined
        const components = api.kind === 'openapi' ? objChild(api, root, 'components') : undefined
        const section = schemes ?? (components && objChild(api, components, 'securitySchemes'))
        for (const name of Object.keys(section?.value ?? {})) {
          const scheme = section && objChild(api, section, name)
          if (!scheme) continue
          const s: Obj = scheme.value
          if (s.type === 'openIdConnect') authUrl(name, scheme, 'openIdConnectUrl')
          if (s.type !== 'oauth2') continue
          if (api.kind === 'swagger') {
            for (const field of FLOW_URLS) authUrl(name, scheme, field)
            continue
          }
          const flows = objChild(api, scheme, 'flows')
          for (const flow of Object.keys(flows?.value ?? {})) {
            const f = flows && objChild(api, flows, flow)
            if (f) for (const field of FLOW_URLS) authUrl(name, f, field)
          }
        }

        for (const env of environmentsOf(ctx.artifacts.manifest, api)) {
          judged++
          if (insecure(env.url))
            ctx.report({
              messageId: 'insecure-environment',
              loc: env.loc,
              data: { environment: env.kind, url: env.url },
            })
        }
        if (!judged)
          ctx.notApplicable(
            'The description names no server, host, scheme or authorization endpoint, and the manifest no environment for it.',
          )
      },
    }
  },
})
