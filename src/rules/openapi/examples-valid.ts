import { defineRule } from '../../core/define-rule.js'
import { NodeSet } from '../../core/loc-map.js'
import type { Loc, Node } from '../../core/types.js'
import { isObj, type Obj } from '../../loaders/openapi-walker.js'
import { describeErrors, locKey, SchemaCompiler, type ExampleUse } from './util-schema.js'

/**
 * Media types whose examples are the data itself (JSON and the form encodings, whose examples are
 * written as objects) or plain text. For others (XML, CSV, binary) an example is usually the
 * serialized body as a string, which a schema of the data does not describe.
 */
function examplesAreData(mediaType: string): boolean {
  const t = mediaType.split(';')[0]!.trim().toLowerCase()
  return (
    t === '*/*' ||
    t === 'application/json' ||
    t.endsWith('+json') ||
    t === 'application/x-www-form-urlencoded' ||
    t === 'multipart/form-data' ||
    t.startsWith('text/plain')
  )
}

export default defineRule({
  meta: {
    id: 'examples-valid',
    title: 'Examples match their schemas',
    failureTitle: 'Examples do not match their schemas',
    description:
      'Developers copy examples into their code and mock servers and test tools return them, so an example that breaks its schema misleads every integrator. ' +
      'Make every example in the description valid against the schema it illustrates.',
    fix: 'Correct the example, or the schema if the example shows what the API really sends.',
    sources: [
      {
        title: 'OpenAPI Specification 3.1.0: Media Type Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#media-type-object',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Example Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#example-object',
      },
      {
        title: 'NL API Design Rules: /core/doc-openapi',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/doc-openapi',
      },
      {
        title: 'JSON Schema Validation 2020-12',
        url: 'https://json-schema.org/draft/2020-12/json-schema-validation',
      },
    ],
    requires: ['openapi'],
    messages: {
      invalid: '{{what}} does not match its schema: {{errors}}.',
      'schema-invalid': 'This schema cannot be used to check examples against it: {{error}}.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const compiler = new SchemaCompiler(api)
    const checked = new Set<string>()
    let exampleCount = 0
    const badSchemas = new Set<string>()
    const params = new NodeSet()

    const resolvedObject = (n: Node<unknown> | undefined): Node<Obj> | undefined => {
      const r = n && api.resolve(n)
      return r && isObj(r.value) ? (r as Node<Obj>) : undefined
    }

    const reportSchema = (loc: Loc, error: string) => {
      if (badSchemas.has(locKey(loc))) return
      badSchemas.add(locKey(loc))
      ctx.report({ messageId: 'schema-invalid', loc, data: { error } })
    }

    /** Validates one example against one schema, once per pair of places. */
    const check = (
      example: Node<unknown> | undefined,
      schema: Node<unknown> | undefined,
      what: string,
      use: ExampleUse,
    ) => {
      if (!example) return
      exampleCount++
      if (!schema) return
      const key = `${locKey(example.loc)}|${locKey(schema.loc)}|${use}`
      if (checked.has(key)) return
      checked.add(key)
      const compiled = compiler.compile(schema, use)
      for (const p of compiler.takeProblems()) reportSchema(p.loc, p.error)
      if (!compiled) return
      if (!compiled.validate) {
        reportSchema(compiled.loc, compiled.error ?? 'it could not be compiled')
        return
      }
      if (!compiled.validate(example.value))
        ctx.report({
          messageId: 'invalid',
          node: example,
          data: { what, errors: describeErrors(compiled.validate.errors ?? []) },
        })
    }

    /** `example` and `examples` of OpenAPI 3 media types, parameters and headers (`externalValue` is not fetched). */
    const checkExamples = (
      holder: Node<Obj>,
      schema: Node<unknown> | undefined,
      use: ExampleUse,
      isData: (v: unknown) => boolean,
    ) => {
      const example = api.child(holder, 'example')
      if (example && isData(example.value)) check(example, schema, 'The example', use)
      const examples = resolvedObject(api.child(holder, 'examples'))
      if (!examples) return
      for (const name of Object.keys(examples.value)) {
        const ex = resolvedObject(api.child(examples, name))
        const value = ex && api.child(ex, 'value')
        if (value && isData(value.value)) check(value, schema, `Example "${name}"`, use)
      }
    }

    /**
     * A parameter or header example written as a string for an array or object schema may be the
     * serialized form (`style`), which the schema of the value does not describe.
     */
    const serializedAllowed = (schema: Node<unknown> | undefined) => {
      const s = schema && api.resolve(schema)
      const type = s && isObj(s.value) ? s.value.type : undefined
      const structured = type === 'array' || type === 'object'
      return (v: unknown) => !(structured && typeof v === 'string')
    }

    return {
      MediaType(media) {
        if (api.kind === 'swagger' || !media.isKey || !isObj(media.node.value)) return
        const mt = media.node as Node<Obj>
        const data = examplesAreData(media.name)
        checkExamples(mt, api.child(mt, 'schema'), media.direction, (v) => data || typeof v !== 'string')
      },
      Parameter(param) {
        // A shared parameter is visited once per operation that uses it, to the same effect.
        if (api.kind === 'swagger' || !params.add(param)) return
        const schema = api.child(param, 'schema')
        checkExamples(param, schema, 'request', serializedAllowed(schema))
      },
      Header(header) {
        // Request headers are parameters, checked above.
        if (api.kind === 'swagger' || header.direction !== 'response') return
        const schema = api.child(header.node, 'schema')
        checkExamples(header.node, schema, 'response', serializedAllowed(schema))
      },
      Response(_status, node) {
        // Swagger 2 keeps response examples by media type beside the one schema.
        if (api.kind !== 'swagger') return
        const examples = resolvedObject(api.child(node, 'examples'))
        if (!examples) return
        const schema = api.child(node, 'schema')
        for (const name of Object.keys(examples.value)) {
          const value = api.child(examples, name)
          if (value && (examplesAreData(name) || typeof value.value !== 'string'))
            check(value, schema, `The ${name} example`, 'response')
        }
      },
      DocumentExit() {
        if (exampleCount === 0) ctx.notApplicable('the description has no examples')
      },
      Schema({ node }) {
        const s = node.value
        // Swagger 2 non-body parameters are walked as schemas; they have no `example` keyword.
        if (api.kind === 'swagger' && typeof s.in === 'string' && typeof s.name === 'string') return
        if ('example' in s) check(api.child(node, 'example'), node, 'The schema example', 'any')
        // JSON Schema `examples` (an array) is a schema keyword from OpenAPI 3.1 on.
        if (compiler.dialect === 'oas31' && Array.isArray(s.examples)) {
          const list = api.child(node, 'examples')
          s.examples.forEach((_, i) =>
            check(list && api.child(list, i), node, `Schema example ${i + 1}`, 'any'),
          )
        }
      },
    }
  },
})
