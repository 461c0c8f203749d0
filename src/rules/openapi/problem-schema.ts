import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj } from '../../loaders/openapi-walker.js'
import { isErrorStatus } from './util.js'
import { isObj, isProblemMediaType, locKey, schemaFacets, typesOf } from './util-http.js'

interface Options {
  required: string[]
}

// RFC 9457 §3.1: the JSON types of the standard members.
const MEMBER_TYPES: Record<string, string> = {
  type: 'string',
  title: 'string',
  status: 'integer',
  detail: 'string',
  instance: 'string',
}

// A problem schema that composes others through allOf is followed this deep (with cycles cut).
const MAX_DEPTH = 8

export default defineRule<Options>({
  meta: {
    id: 'problem-schema',
    title: 'Problem details bodies declare the RFC 9457 members',
    failureTitle: 'Problem details bodies lack RFC 9457 members',
    description:
      'A client handles errors from many services generically only when their problem details carry the same members with the same types. ' +
      'Describe application/problem+json bodies with a schema that has type, title, status, detail and instance as RFC 9457 §3.1 defines them.',
    fix: 'Give the problem details schema the RFC 9457 members (type, title, status, detail, instance) with their standard types, e.g. by referring to a shared Problem schema.',
    sources: [
      {
        title: 'RFC 9457 Problem Details for HTTP APIs, §3.1 Members of a Problem Details Object',
        url: 'https://www.rfc-editor.org/rfc/rfc9457#section-3.1',
      },
      {
        title: 'NL API Design Rules: /core/error-handling/problem-details',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/error-handling/problem-details',
      },
      {
        title: 'REST API-profil (DIGG): Felhantering',
        url: 'https://dev.dataportal.se/rest-api-profil/felhantering',
      },
    ],
    requires: ['openapi'],
    messages: {
      missing: 'The problem details schema lacks the RFC 9457 member(s) {{missing}}.',
      'wrong-type':
        "The problem details member '{{member}}' is typed {{actual}}; RFC 9457 defines it as {{expected}}.",
      'no-schema':
        'The {{mediaType}} body has no schema, so clients cannot tell it carries the RFC 9457 members.',
    },
    options: {
      type: 'object',
      properties: {
        required: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: ['type', 'title', 'status', 'detail', 'instance'],
          description: 'The members the problem details schema must declare in its properties.',
        },
      },
      additionalProperties: false,
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const required = ctx.options.required ?? ['type', 'title', 'status', 'detail', 'instance']
    const root = api.valueAt(api.rootLoc)
    const rootProduces = isObj(root) ? root.produces : undefined
    const checked = new Set<string>()
    let bodies = 0

    /** The properties of a schema and of its allOf members; undefined when a member cannot be followed. */
    const propertiesOf = (schema: Node<Obj>): Map<string, Node<unknown>> | undefined => {
      const props = new Map<string, Node<unknown>>()
      const seen = new Set<string>()
      let complete = true
      const visit = (n: Node<Obj>, depth: number) => {
        if (seen.has(locKey(n.loc)) || depth > MAX_DEPTH) return
        seen.add(locKey(n.loc))
        const p = api.child(n, 'properties')
        if (p && isObj(p.value))
          for (const name of Object.keys(p.value)) if (!props.has(name)) props.set(name, api.child(p, name)!)
        const all = api.child(n, 'allOf')
        if (all && Array.isArray(all.value))
          all.value.forEach((_, i) => {
            const m = api.resolve(api.child(all, i)!)
            if (m && isObj(m.value)) visit(m as Node<Obj>, depth + 1)
            else complete = false
          })
      }
      visit(schema, 0)
      return complete ? props : undefined
    }

    const checkSchema = (raw: Node<unknown>) => {
      const schema = api.resolve(raw)
      // An unresolvable $ref (e.g. to a remote Problem schema that was not loaded) is reported as a
      // reference problem; its members cannot be judged here.
      if (!schema || !isObj(schema.value)) return
      bodies++
      if (checked.has(locKey(schema.loc))) return
      checked.add(locKey(schema.loc))
      const props = propertiesOf(schema as Node<Obj>)
      if (!props) return
      const missing = required.filter((m) => !props.has(m))
      if (missing.length)
        ctx.report({ messageId: 'missing', node: schema, data: { missing: missing.join(', ') } })
      for (const [member, expected] of Object.entries(MEMBER_TYPES)) {
        const raw = props.get(member)
        const prop = raw && api.resolve(raw)
        if (!prop || !isObj(prop.value)) continue
        const facets = schemaFacets(api, prop as Node<Obj>, ['allOf'])
        const types = [...facets.types]
        // An untyped member says nothing wrong; 3.1 `type: [integer, "null"]` still holds an integer.
        if (!types.length || types.includes(expected)) continue
        const typed = facets.members.find((m) => typesOf(m.value).length)!
        ctx.report({
          messageId: 'wrong-type',
          node: api.child(typed, 'type') ?? prop,
          data: { member, expected, actual: types.join(' or ') },
        })
      }
    }

    return {
      MediaType(media) {
        if (api.kind === 'swagger' || media.direction !== 'response' || !isProblemMediaType(media.name))
          return
        const schema = api.child(media.node, 'schema')
        if (schema) checkSchema(schema)
        else {
          bodies++
          ctx.report({ messageId: 'no-schema', node: media.node, data: { mediaType: media.name } })
        }
      },
      Response(status, node, op) {
        // Swagger 2 has one schema per response and the media types in `produces`: an error response
        // is a problem details body only when the operation (or the document) produces problem+json.
        if (api.kind !== 'swagger' || !isErrorStatus(status)) return
        const produces = Array.isArray(op.node.value.produces) ? op.node.value.produces : rootProduces
        if (!Array.isArray(produces) || !produces.some((t) => typeof t === 'string' && isProblemMediaType(t)))
          return
        const schema = api.child(node, 'schema')
        if (schema) checkSchema(schema)
      },
      DocumentExit() {
        if (!bodies)
          ctx.notApplicable('No application/problem+json or application/problem+xml bodies are described.')
      },
    }
  },
})
