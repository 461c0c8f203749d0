import { defineRule } from '../../core/define-rule.js'
import { environmentsOf, openApiServers, swaggerServer } from './util-cloud.js'

/**
 * Words that name a non-production environment in a server URL or description: the manifest's
 * kinds (test, sandbox, staging, acceptance), their usual short forms (acc, uat, qa, stage, stg),
 * demo and pre-production, and the Dutch and Nordic words for them.
 */
const NON_PRODUCTION = new Set([
  'sandbox',
  'sandboxes',
  'test',
  'tests',
  'testing',
  'staging',
  'stage',
  'stg',
  'acceptance',
  'acceptatie',
  'acceptans',
  'acc',
  'uat',
  'qa',
  'demo',
  'preprod',
  'preproduction',
  'playground',
  'verifiering',
  'verifieringsmiljö',
])
/** Compound words start with these: testmiljö(n), testmiljø, testiympäristö, sandlåda(n). */
const NON_PRODUCTION_PREFIXES = ['testmilj', 'testiymp', 'sandlåd', 'sandbox']

/** The words of a text, lower-cased; `pre-prod` and `pre-production` are joined first. */
function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/pre[-_ ]prod/g, 'preprod')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
}

export function namesNonProduction(text: string): boolean {
  return tokens(text).some(
    (t) => NON_PRODUCTION.has(t) || NON_PRODUCTION_PREFIXES.some((p) => t.startsWith(p)),
  )
}

export default defineRule({
  meta: {
    id: 'sandbox-environment',
    title: 'A test or sandbox environment is offered besides production',
    failureTitle: 'No test or sandbox environment is offered besides production',
    description:
      'A municipality has to build and test its integrations, and rehearse every upgrade, without touching residents’ real data; that needs an environment beside production with the same API. ' +
      'Describe the sandbox, test, staging or acceptance environment as a server in the description or as an environment of the API in the manifest.',
    fix: 'Add the sandbox or test server to `servers` (with a description saying what it is), or list it under the API’s environments in interop.yaml.',
    sources: [
      {
        title: 'NL API Design Rules: /core/uri-version (a test and a production server side by side)',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/uri-version',
      },
      { title: 'REST API-profil (DIGG)', url: 'https://dev.dataportal.se/rest-api-profil/' },
      {
        title: 'OpenAPI Specification 3.1.0: Server Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#server-object',
      },
    ],
    requires: ['openapi'],
    optional: ['manifest'],
    messages: {
      missing:
        'Neither the servers nor the manifest name a sandbox, test, staging or acceptance environment besides production.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        if (api.kind === 'swagger') {
          // Swagger 2 has a single host; it can itself be the sandbox (sandbox.vendor.se).
          const { host, basePath } = swaggerServer(api, root)
          if (namesNonProduction(`${host?.value ?? ''} ${basePath?.value ?? ''}`)) return
        } else if (
          openApiServers(api, root).some((s) => namesNonProduction(`${s.url} ${s.description ?? ''}`))
        )
          return
        const environments = environmentsOf(ctx.artifacts.manifest, api)
        if (environments.some((e) => e.kind !== 'production')) {
          // Only the vendor's manifest says the environment exists.
          ctx.establishedBy('declared')
          return
        }
        const at =
          api.kind === 'swagger'
            ? (swaggerServer(api, root).host ?? root)
            : (api.child(root, 'servers') ?? root)
        ctx.report({ messageId: 'missing', node: at, key: at !== root })
      },
    }
  },
})
