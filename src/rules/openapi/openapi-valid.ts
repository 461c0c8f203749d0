import { defineRule } from '../../core/define-rule.js'
import { escapeSegment } from '../../loaders/source.js'

export default defineRule({
  meta: {
    id: 'openapi-valid',
    title: 'The OpenAPI description is valid',
    failureTitle: 'The OpenAPI description is not valid',
    description:
      'Code generators, gateways and documentation tools reject or silently misread a description that breaks the specification or has references they cannot follow. ' +
      'Keep the description valid against its OpenAPI version and make every $ref point at something that exists within the description.',
    fix: 'Correct the description where the validator points, and make every $ref resolve to a part of the description.',
    sources: [
      { title: 'OpenAPI Specification 3.1.0', url: 'https://spec.openapis.org/oas/v3.1.0' },
      {
        title: 'NL API Design Rules: /core/doc-openapi',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/doc-openapi',
      },
      {
        title: 'REST API-profil (DIGG): Dokumentation',
        url: 'https://dev.dataportal.se/rest-api-profil/dokumentation',
      },
      {
        title: 'RFC 3986 URI Generic Syntax: Reference Resolution',
        url: 'https://www.rfc-editor.org/rfc/rfc3986#section-5',
      },
    ],
    requires: ['openapi'],
    messages: {
      structural: 'Not valid {{spec}}: {{problem}}.',
      'outside-folder':
        '$ref "{{ref}}" points outside the folder of the description; only files in that folder or below it are read.',
      'remote-not-allowed':
        '$ref "{{ref}}" is a remote reference; remote references are only followed for hosts allowed with `--allow-remote-ref HOST`.',
      'missing-target': '$ref "{{ref}}" does not resolve: {{why}}.',
      'invalid-ref': '$ref "{{ref}}" is not a valid URI reference.',
    },
  },
  check(ctx) {
    const api = ctx.artifacts.openapi!
    const spec = `${api.kind === 'swagger' ? 'Swagger' : 'OpenAPI'} ${api.specVersion}`
    for (const p of api.refProblems) {
      const data: Record<string, string> = { ref: p.ref }
      if (p.reason === 'missing-target') data.why = whyMissing(p.ref, api.allowsAnchors)
      ctx.report({ messageId: p.reason, loc: p.loc, data })
    }
    for (const p of api.structuralProblems) {
      // A property that is not allowed is a problem of its name: point at the key.
      const extra = /has a property '(.*)' that is not allowed here$/.exec(p.message)?.[1]
      const key = extra !== undefined && p.loc.pointer.endsWith('/' + escapeSegment(extra))
      ctx.report({
        messageId: 'structural',
        loc: p.loc,
        key,
        data: { spec, problem: p.message.replace(/\.$/, '') },
      })
    }
    if (api.structuralSkipped && api.refProblems.length === 0) ctx.notChecked(api.structuralSkipped)
  },
})

/** Why a reference to a loaded document does not resolve. */
function whyMissing(ref: string, anchors: boolean): string {
  const hash = ref.indexOf('#')
  const fragment = hash === -1 ? '' : ref.slice(hash + 1)
  // OpenAPI fragments are JSON Pointers (RFC 6901); `#Name` is a plain-name fragment that only a
  // JSON Schema `$anchor` (OpenAPI 3.1) can define.
  if (fragment !== '' && !fragment.startsWith('/'))
    return anchors
      ? `"#${fragment}" is neither a JSON Pointer (starting with "#/") nor an $anchor of the target document`
      : `"#${fragment}" is not a JSON Pointer (it must start with "#/")`
  return `nothing exists at "#${fragment}"`
}
