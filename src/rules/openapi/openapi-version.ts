import { defineRule } from '../../core/define-rule.js'

interface Options {
  minimum: '3.0' | '3.1'
}

// The `openapi` field is `major.minor.patch` (OAS 3.1.0 §4.1); the official 3.x JSON schemas also
// allow a pre-release suffix such as `3.1.0-rc0`.
const OPENAPI_3 = /^3\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/
// Minor versions of OpenAPI 3 that have been published (3.0, 3.1 and 3.2).
const PUBLISHED_MINORS = new Set(['0', '1', '2'])

export default defineRule<Options>({
  meta: {
    id: 'openapi-version',
    title: 'The API is described with OpenAPI 3',
    failureTitle: 'The API is not described with OpenAPI 3',
    description:
      'Tools for generating clients, documentation and tests increasingly support only OpenAPI 3, and the NL API Design Rules and the Swedish REST API-profil require it. ' +
      'Describe the API with OpenAPI 3.0 or later (3.1 where the ruleset asks for it) and convert Swagger 2.0 descriptions.',
    fix: 'Convert the description to OpenAPI 3 (3.1 where required) and set `openapi` to its full version, e.g. "3.1.0".',
    sources: [
      {
        title: 'NL API Design Rules: /core/doc-openapi',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/doc-openapi',
      },
      {
        title: 'REST API-profil (DIGG): Dokumentation (DOK.17)',
        url: 'https://dev.dataportal.se/rest-api-profil/dokumentation',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Versions',
        url: 'https://spec.openapis.org/oas/v3.1.0#versions',
      },
    ],
    requires: ['openapi'],
    messages: {
      swagger2:
        'The description uses Swagger {{version}}; describe the API with OpenAPI {{minimum}} or later.',
      unsupported:
        '"{{version}}" is not a published OpenAPI 3 version; give the full version of the specification used, e.g. "3.1.0".',
      missing: 'The description has no `openapi` field saying which OpenAPI version it uses.',
      prefer31: 'The description uses OpenAPI {{version}}; this ruleset asks for OpenAPI 3.1 or later.',
    },
    options: {
      type: 'object',
      properties: {
        minimum: {
          enum: ['3.0', '3.1'],
          default: '3.0',
          description: 'The lowest OpenAPI minor version accepted.',
        },
      },
      additionalProperties: false,
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const minimum = ctx.options.minimum ?? '3.0'
    return {
      Document(root) {
        if (api.kind === 'swagger') {
          const node = api.child(root, 'swagger') ?? root
          const version = String(node.value)
          ctx.report({
            messageId: version === '2.0' ? 'swagger2' : 'unsupported',
            node,
            data: { version, minimum },
          })
          return
        }
        const node = api.child(root, 'openapi')
        if (!node) {
          ctx.report({ messageId: 'missing', node: root })
          return
        }
        const version = String(node.value)
        const m = OPENAPI_3.exec(version)
        if (!m || !PUBLISHED_MINORS.has(m[1]!)) {
          ctx.report({ messageId: 'unsupported', node, data: { version } })
          return
        }
        if (minimum === '3.1' && Number(m[1]) < 1)
          ctx.report({ messageId: 'prefer31', node, data: { version } })
      },
    }
  },
})
