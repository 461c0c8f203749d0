import { defineRule } from '../../core/define-rule.js'
import type { Loc } from '../../core/types.js'
import { refOf, type OpenApiArtifact, type StructuralProblem } from '../../loaders/openapi.js'
import { escapeSegment, parsePointer } from '../../loaders/source.js'

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
    let refProblems = 0
    for (const p of api.refProblems) {
      if (inLiteral(p.loc.pointer)) continue
      const data: Record<string, string> = { ref: p.ref }
      if (p.reason === 'missing-target') {
        if (isAnchorRef(api, p.ref, p.loc.uri)) continue
        data.why = whyMissing(p.ref, allowsAnchors(api))
      }
      refProblems++
      ctx.report({ messageId: p.reason, loc: p.loc, data })
    }
    for (const p of mergeEnumProblems(api.structuralProblems)) {
      // The validator sees an unresolvable reference as an empty object and may complain about that
      // emptiness at the place that refers to it; the reference itself is reported above.
      const at = api.node(p.loc)
      if (refOf(at.value) !== undefined && !api.resolve(at)) continue
      if (contradicted(api, p.loc, p.message)) continue
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
    if (api.structuralSkipped && refProblems === 0) ctx.notChecked(api.structuralSkipped)
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

// Keywords whose values are data, not description: a `$ref` inside an example of a JSON Schema or
// OpenAPI document is part of the example. Under these parents the same words are names instead.
const LITERAL_KEYWORDS = new Set(['example', 'default', 'const', 'enum'])
const NAME_PARENTS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'schemas',
  'parameters',
  'responses',
  'examples',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
  'paths',
  'content',
  'encoding',
  'variables',
  'mapping',
])

/** Whether a `$ref` is inside an example, default, const or enum value or an extension (`x-…`). */
function inLiteral(pointer: string): boolean {
  const segs = parsePointer(pointer).slice(0, -1)
  return segs.some((seg, i) => {
    const parent = segs[i - 1]
    if (parent !== undefined && NAME_PARENTS.has(parent)) return false
    if (seg.startsWith('x-')) return true
    if (LITERAL_KEYWORDS.has(seg)) return true
    // The `value` of an Example Object.
    return seg === 'value' && segs[i - 2] === 'examples'
  })
}

/**
 * A value that matches none of several alternatives (e.g. a parameter's `in`) gets one "must be one
 * of" per alternative; they are said once, with all the allowed values.
 */
function mergeEnumProblems(problems: readonly StructuralProblem[]): StructuralProblem[] {
  const out: StructuralProblem[] = []
  const merged = new Map<string, { problem: StructuralProblem; values: string[] }>()
  for (const p of problems) {
    const m = /^(.*) must be one of (.*)$/.exec(p.message)
    if (!m) {
      out.push(p)
      continue
    }
    const key = `${p.loc.uri}#${p.loc.pointer}|${m[1]}`
    const values = m[2]!.split(', ')
    const seen = merged.get(key)
    if (seen) {
      for (const v of values) if (!seen.values.includes(v)) seen.values.push(v)
      seen.problem.message = `${m[1]} must be one of ${seen.values.join(', ')}`
      continue
    }
    const problem = { ...p }
    merged.set(key, { problem, values })
    out.push(problem)
  }
  return out
}

/**
 * swagger-parser validates with circular references left as `$ref`s, so in a description with
 * cycles it can claim that an object reached through one lacks a property it has, or has a `$ref`
 * it does not. Such claims are checked against the place they are mapped to.
 */
function contradicted(api: OpenApiArtifact, loc: Loc, message: string): boolean {
  const missing = /must have the property '(.*)'$/.exec(message)?.[1]
  if (missing !== undefined) {
    const at = api.resolve(api.node(loc))
    return !!at && at.value !== null && typeof at.value === 'object' && Object.hasOwn(at.value, missing)
  }
  if (/has a property '(.*)' that is not allowed here$/.test(message)) return api.valueAt(loc) === undefined
  return false
}

function allowsAnchors(api: OpenApiArtifact): boolean {
  return api.kind === 'openapi' && !/^3\.0\./.test(api.specVersion)
}

/**
 * OpenAPI 3.1 schemas may be referenced by a JSON Schema `$anchor` (`#Name`); the loader follows only
 * JSON Pointers, so such a reference is not a problem of the description when the anchor exists.
 */
function isAnchorRef(api: OpenApiArtifact, ref: string, baseUri: string): boolean {
  if (!allowsAnchors(api)) return false
  let target: URL
  try {
    target = new URL(ref, baseUri)
  } catch {
    return false
  }
  const name = decodeURIComponent(target.hash.slice(1))
  if (!/^[A-Za-z_][-A-Za-z0-9._]*$/.test(name)) return false
  target.hash = ''
  const doc = api.documents.get(target.href)
  if (!doc) return false
  const stack: unknown[] = [doc.value]
  while (stack.length) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object') continue
    if (Array.isArray(v)) stack.push(...v)
    else {
      const o = v as Record<string, unknown>
      if (o.$anchor === name || o.$dynamicAnchor === name) return true
      stack.push(...Object.values(o))
    }
  }
  return false
}
