import type { Loc, Node } from '../core/types.js'
import type { OpenApiArtifact } from '../loaders/openapi.js'
import { refOf } from '../loaders/openapi.js'
import { getAt, joinPointer, parsePointer } from '../loaders/source.js'
import { SchemaCompiler } from '../rules/openapi/util-schema.js'
import {
  describeAjvErrors,
  isPlainObject,
  printValue,
  schemaResults,
  type FunctionContext,
  type FunctionResult,
  type RuleFunction,
} from './functions.js'
import { locatePath } from './rule.js'
import type { PathSegment } from './jsonpath.js'

type Obj = Record<string, unknown>

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace']

function* operations(paths: Obj): Generator<{ path: string; method: string; op: Obj }> {
  for (const [p, item] of Object.entries(paths)) {
    if (!isPlainObject(item)) continue
    for (const method of METHODS) {
      const op = item[method]
      if (isPlainObject(op)) yield { path: p, method, op }
    }
  }
}

const oasOpIdUnique: RuleFunction = {
  input: { type: 'object' },
  run(paths) {
    const seen = new Set<unknown>()
    const out: FunctionResult[] = []
    for (const { path, method, op } of operations(paths as Obj)) {
      if (!('operationId' in op)) continue
      if (seen.has(op.operationId))
        out.push({ message: 'operationId must be unique.', path: ['paths', path, method, 'operationId'] })
      else seen.add(op.operationId)
    }
    return out
  },
}

const TEMPLATE = /(\{;?\??[a-zA-Z0-9_-]+\*?\})/g

const oasPathParam: RuleFunction = {
  input: { type: 'object' },
  run(input) {
    const paths = input as Obj
    const out: FunctionResult[] = []
    const normalized = new Map<string, string>()
    const named = (p: Obj, at: PathSegment[], seen: Map<string, PathSegment[]>) => {
      if (p.in !== 'path' || p.name === undefined) return
      const name = String(p.name)
      if (p.required !== true)
        out.push({
          message: `Path parameter "${name}" must have "required" property that is set to "true".`,
          path: at,
        })
      if (seen.has(name))
        out.push({ message: `Path parameter "${name}" must not be defined multiple times.`, path: at })
      else seen.set(name, at)
    }
    for (const [p, item] of Object.entries(paths)) {
      if (!isPlainObject(item)) continue
      const norm = p.replace(TEMPLATE, '%')
      const earlier = normalized.get(norm)
      if (earlier !== undefined)
        out.push({ message: `Paths "${earlier}" and "${p}" must not be equivalent.`, path: ['paths', p] })
      else normalized.set(norm, p)
      const inPath: string[] = []
      for (const m of p.matchAll(TEMPLATE)) {
        const name = m[0].replace(/[{}?*;]/g, '')
        if (inPath.includes(name))
          out.push({
            message: `Path "${p}" must not use parameter "{${name}}" multiple times.`,
            path: ['paths', p],
          })
        else inPath.push(name)
      }
      const top = new Map<string, PathSegment[]>()
      if (Array.isArray(item.parameters))
        item.parameters.forEach((param, i) => {
          if (isPlainObject(param)) named(param, ['paths', p, 'parameters', i], top)
        })
      for (const method of Object.keys(item)) {
        const op = item[method]
        if (!METHODS.includes(method) || !isPlainObject(op)) continue
        const own = new Map<string, PathSegment[]>()
        if (Array.isArray(op.parameters))
          op.parameters.forEach((param, i) => {
            if (isPlainObject(param)) named(param, ['paths', p, method, 'parameters', i], own)
          })
        const defined = new Map([...top, ...own])
        for (const [name, at] of defined)
          if (!inPath.includes(name))
            out.push({ message: `Parameter "${name}" must be used in path "${p}".`, path: at })
        for (const name of inPath)
          if (!defined.has(name))
            out.push({
              message: `Operation must define parameter "{${name}}" as expected by path "${p}".`,
              path: ['paths', p, method],
            })
      }
    }
    return out
  },
}

const uniquenessTags: RuleFunction = {
  input: { type: 'array', items: { type: 'object' } },
  run(tags, _o, ctx) {
    const seen = new Map<unknown, number>()
    const out: FunctionResult[] = []
    ;(tags as Obj[]).forEach((tag, i) => {
      if (!('name' in tag)) return
      const first = seen.get(tag.name)
      if (first === undefined) seen.set(tag.name, i)
      else
        out.push({
          message: `"tags[${first}]" and "tags[${i}]" must not be equal.`,
          path: [...ctx.path, i, 'name'],
        })
    })
    return out
  },
}

const serverVariables: RuleFunction = {
  input: {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string' },
      variables: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: {
            enum: { type: 'array', items: { type: 'string' } },
            default: { type: 'string' },
            description: { type: 'string' },
            examples: { type: 'string' },
          },
          patternProperties: { '^x-': true },
          additionalProperties: false,
        },
      },
    },
  },
  invalidInput: 'Invalid Server Object',
  options: {
    type: ['object', 'null'],
    properties: { checkSubstitutions: { type: 'boolean' }, requireDefault: { type: 'boolean' } },
    additionalProperties: false,
  },
  run(input, options, ctx) {
    const { url, variables } = input as { url: string; variables?: Record<string, Obj> }
    const o = (options ?? {}) as { checkSubstitutions?: boolean; requireDefault?: boolean }
    const found = (url.match(/{(.+?)}/g) ?? []).map((v) => v.slice(1, -1))
    const defined = variables ? Object.keys(variables) : []
    const out: FunctionResult[] = []
    for (const v of defined)
      if (!found.includes(v))
        out.push({
          message: `Server's "variables" object has unused defined "${v}" url variable.`,
          path: [...ctx.path, 'variables', v],
        })
    if (!found.length) return out
    const missing = found.filter((v) => !defined.includes(v))
    if (missing.length)
      out.push({
        message: `Not all server's variables are described with "variables" object. Missed: ${missing.join(', ')}.`,
        path: [...ctx.path, 'variables'],
      })
    if (!variables) return out
    const pairs: [string, string[]][] = []
    for (const key of defined) {
      if (!found.includes(key)) continue
      const variable = variables[key]!
      if (Array.isArray(variable.enum)) {
        pairs.push([key, variable.enum as string[]])
        if ('default' in variable && !variable.enum.includes(variable.default))
          out.push({
            message: `Server Variable "${key}" has a default not listed in the enum.`,
            path: [...ctx.path, 'variables', key, 'default'],
          })
      } else pairs.push([key, 'default' in variable ? [variable.default as string] : []])
      if (o.requireDefault && !('default' in variable))
        out.push({
          message: `Server Variable "${key}" has a missing default.`,
          path: [...ctx.path, 'variables', key],
        })
    }
    if (o.checkSubstitutions && pairs.length) {
      // Every combination of the variables' values must give an absolute URL; at most five are named.
      const invalid: string[] = []
      const walk = (u: string, i: number): boolean => {
        const [name, values] = pairs[i]!
        for (const value of values) {
          const next = u.split(`{${name}}`).join(encodeURI(value))
          if (i < pairs.length - 1) {
            if (walk(next, i + 1)) return true
          } else {
            try {
              new URL(next)
            } catch {
              invalid.push(next)
              if (invalid.length === 5) return true
            }
          }
        }
        return false
      }
      walk(url, 0)
      if (invalid.length === 5)
        out.push({
          message: `At least 5 substitutions of server variables resulted in invalid URLs: ${invalid.join(', ')} and more`,
          path: [...ctx.path, 'variables'],
        })
      else if (invalid.length)
        out.push({
          message: `A few substitutions of server variables resulted in invalid URLs: ${invalid.join(', ')}`,
          path: [...ctx.path, 'variables'],
        })
    }
    return out
  },
}

/** Problems swagger-parser found in the description's structure, where they are written. */
const oasDocumentSchema: RuleFunction = {
  run(_input, _o, ctx) {
    return ctx.artifact.structuralProblems.map((p) => ({ message: p.message.replace(/\.$/, ''), loc: p.loc }))
  },
}

const compilers = new WeakMap<OpenApiArtifact, SchemaCompiler>()
function compilerFor(api: OpenApiArtifact): SchemaCompiler {
  let c = compilers.get(api)
  if (!c) compilers.set(api, (c = new SchemaCompiler(api, { spectralFormats: true })))
  return c
}

function holderNode(ctx: FunctionContext): Node<unknown> | undefined {
  const { missing, node } = locatePath(ctx.artifact, ctx.path, ctx.resolved)
  return missing.length ? undefined : node
}

function validateExample(
  api: OpenApiArtifact,
  schema: Node<unknown>,
  example: Node<unknown>,
): FunctionResult[] {
  const compiled = compilerFor(api).compile(schema, 'any')
  compilerFor(api).takeProblems()
  if (!compiled) return []
  if (!compiled.validate)
    return [{ message: `schema is invalid: ${compiled.error ?? 'it cannot be compiled'}`, loc: example.loc }]
  if (compiled.validate(example.value)) return []
  const base = parsePointer(example.loc.pointer)
  // Spectral validates examples with ajv's allErrors off: the first problem of each example is said.
  return describeAjvErrors(compiled.validate.errors ?? [], example.value, base)
    .slice(0, 1)
    .map((e) => ({
      message: e.message,
      loc: { uri: example.loc.uri, pointer: example.loc.pointer + e.pointer } satisfies Loc,
    }))
}

const oasExample: RuleFunction = {
  input: { type: 'object' },
  options: {
    type: 'object',
    required: ['schemaField', 'oasVersion', 'type'],
    properties: {
      schemaField: { type: 'string' },
      oasVersion: { enum: [2, 3] },
      type: { enum: ['media', 'schema'] },
    },
    additionalProperties: false,
  },
  run(_input, options, ctx) {
    const api = ctx.artifact
    const o = options as { schemaField: string; oasVersion: 2 | 3; type: 'media' | 'schema' }
    const holder = holderNode(ctx)
    if (!holder) return
    const target = api.resolve(holder)
    if (!target || !isPlainObject(target.value)) return
    const schema = o.schemaField === '$' ? target : api.child(target, o.schemaField)
    if (!schema) return
    const out: FunctionResult[] = []
    if (o.type === 'schema') {
      for (const field of o.oasVersion === 2 ? ['example', 'x-example', 'default'] : ['example', 'default']) {
        const ex = api.child(target, field)
        if (ex) out.push(...validateExample(api, schema, ex))
      }
      return out
    }
    // Media: OpenAPI 3's `example`, or else its named `examples` (their `value`); Swagger 2's
    // `examples` by media type. As in Spectral, only the first of these a media type has is checked.
    if (o.oasVersion === 3) {
      const example = api.child(target, 'example')
      if (example) return validateExample(api, schema, example)
    }
    const examples = api.child(target, 'examples')
    const resolvedExamples = examples && api.resolve(examples)
    if (!resolvedExamples || !isPlainObject(resolvedExamples.value)) return out
    for (const name of Object.keys(resolvedExamples.value)) {
      const ex = api.child(resolvedExamples, name)
      if (!ex) continue
      if (o.oasVersion === 2) {
        out.push(...validateExample(api, schema, ex))
        continue
      }
      const value = api.resolve(ex)
      if (!value || !isPlainObject(value.value) || 'externalValue' in value.value) continue
      const v = api.child(value, 'value')
      if (v) out.push(...validateExample(api, schema, v))
    }
    return out
  },
}

const oasOpSuccessResponse: RuleFunction = {
  input: { type: 'object' },
  run(responses) {
    if (Object.keys(responses as Obj).some((c) => /^[23](\d\d|XX)$/i.test(c))) return
    return [{ message: 'Operation must define at least a single 2xx or 3xx response' }]
  },
}

const oasTagDefined: RuleFunction = {
  input: { type: 'object' },
  run(doc) {
    const d = doc as Obj
    const defined = new Set(Array.isArray(d.tags) ? d.tags.filter(isPlainObject).map((t) => t.name) : [])
    const out: FunctionResult[] = []
    if (!isPlainObject(d.paths)) return
    for (const { path, method, op } of operations(d.paths)) {
      if (!Array.isArray(op.tags)) continue
      op.tags.forEach((tag, i) => {
        if (!defined.has(tag))
          out.push({
            message: `Operation tags must be defined in global tags.`,
            path: ['paths', path, method, 'tags', i],
          })
      })
    }
    return out
  },
}

const typedEnum: RuleFunction = {
  input: { type: 'object', required: ['enum', 'type'] },
  run(input, _o, ctx) {
    const s = input as { enum: unknown; type: unknown; nullable?: unknown }
    if (!Array.isArray(s.enum)) return
    const types = (Array.isArray(s.type) ? s.type : [s.type]).map(String)
    if (s.nullable === true) types.push('null')
    const typeOf = (v: unknown) =>
      v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v
    const out: FunctionResult[] = []
    s.enum.forEach((v, i) => {
      const t = typeOf(v)
      if (types.includes(t) || (t === 'integer' && types.includes('number'))) return
      out.push({
        message: `Enum value ${printValue(v)} must be "${types.join('" or "')}".`,
        path: [...ctx.path, 'enum', i],
      })
    })
    return out
  },
}

const refSiblings: RuleFunction = {
  run(_input, _o, ctx) {
    const parentPath = ctx.path.slice(0, -1)
    let parent: unknown = ctx.document
    for (const seg of parentPath)
      parent = isPlainObject(parent) || Array.isArray(parent) ? (parent as Obj)[seg] : undefined
    if (!isPlainObject(parent) || refOf(parent) === undefined) return
    return Object.keys(parent)
      .filter((k) => k !== '$ref')
      .map((k) => ({
        message: '$ref must not be placed next to any other properties',
        path: [...parentPath, k],
      }))
  },
}

const oasSecurityDefined: RuleFunction = {
  input: { type: 'object' },
  options: {
    type: 'object',
    required: ['oasVersion'],
    properties: { oasVersion: { enum: [2, 3] } },
    additionalProperties: false,
  },
  run(requirement, options, ctx) {
    const doc = ctx.document as Obj
    const version = (options as { oasVersion: number }).oasVersion
    const schemes =
      version === 2
        ? doc.securityDefinitions
        : isPlainObject(doc.components)
          ? doc.components.securitySchemes
          : undefined
    const names = isPlainObject(schemes) ? Object.keys(schemes) : []
    const out: FunctionResult[] = []
    for (const name of Object.keys(requirement as Obj)) {
      if (!names.includes(name)) {
        out.push({
          message: `${ctx.path.length === 2 ? 'API' : 'Operation'} "security" values must match a scheme defined in the "${version === 2 ? 'securityDefinitions' : 'components.securitySchemes'}" object.`,
          path: [...ctx.path, name],
        })
        continue
      }
      const scopes = (requirement as Obj)[name]
      const scheme = (schemes as Obj)[name]
      if (!Array.isArray(scopes)) continue
      // As in Spectral, scopes are looked for in the scheme's flows (OAuth 2) whatever its type.
      const defined = new Set<string>()
      if (isPlainObject(scheme) && version === 2 && isPlainObject(scheme.scopes))
        for (const sc of Object.keys(scheme.scopes)) defined.add(sc)
      if (isPlainObject(scheme) && version === 3 && isPlainObject(scheme.flows))
        for (const flow of Object.values(scheme.flows))
          if (isPlainObject(flow) && isPlainObject(flow.scopes))
            for (const sc of Object.keys(flow.scopes)) defined.add(sc)
      scopes.forEach((scope, i) => {
        if (!defined.has(String(scope)))
          out.push({
            message: `"${String(scope)}" must be listed among scopes.`,
            path: [...ctx.path, name, i],
          })
      })
    }
    return out
  },
}

/** Every place a `$ref` in any document of the description points at, as `uri#pointer`. */
const referenced = new WeakMap<OpenApiArtifact, Set<string>>()
function referencedTargets(api: OpenApiArtifact): Set<string> {
  let set = referenced.get(api)
  if (set) return set
  set = new Set()
  for (const doc of api.documents.values()) {
    const stack: unknown[] = [doc.value]
    while (stack.length) {
      const v = stack.pop()
      if (v === null || typeof v !== 'object') continue
      const ref = refOf(v)
      if (ref !== undefined) {
        const target = api.refTarget(ref, doc.uri)
        if (target) set.add(`${target.uri}#${target.pointer}`)
      }
      for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push(child)
    }
  }
  referenced.set(api, set)
  return set
}

function orphans(api: OpenApiArtifact, location: string): FunctionResult[] {
  const holder = getAt(api.root.value, location).value
  if (!isPlainObject(holder)) return []
  const used = referencedTargets(api)
  return Object.keys(holder)
    .filter((name) => !used.has(`${api.root.uri}#${joinPointer(location, name)}`))
    .map((name) => ({
      message: 'Potential orphaned reusable object has been detected',
      path: [...parsePointer(location), name],
    }))
}

const unreferencedReusableObject: RuleFunction = {
  input: { type: 'object' },
  options: {
    type: 'object',
    required: ['reusableObjectsLocation'],
    properties: { reusableObjectsLocation: { type: 'string', pattern: '^#' } },
    additionalProperties: false,
  },
  run(_input, options, ctx) {
    return orphans(
      ctx.artifact,
      (options as { reusableObjectsLocation: string }).reusableObjectsLocation.slice(1),
    )
  },
}

const oasUnusedComponent: RuleFunction = {
  input: { type: 'object' },
  run(_input, _o, ctx) {
    return [
      'schemas',
      'responses',
      'parameters',
      'examples',
      'requestBodies',
      'headers',
      'links',
      'callbacks',
    ].flatMap((kind) => orphans(ctx.artifact, `/components/${kind}`))
  },
}

const oasOpParams: RuleFunction = {
  input: { type: 'array' },
  run(params, _o, ctx) {
    const out: FunctionResult[] = []
    const seen = new Map<string, number>()
    let body = 0
    let formData = 0
    ;(params as unknown[]).forEach((p, i) => {
      if (!isPlainObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') return
      if (p.in === 'body') body++
      if (p.in === 'formData') formData++
      const key = `${p.in}-${p.name.toLowerCase()}`
      const first = seen.get(key)
      if (first !== undefined)
        out.push({
          message: `"${p.name}" must not be duplicated in parameters with the same "in".`,
          path: [...ctx.path, i],
        })
      else seen.set(key, i)
    })
    if (body > 1)
      out.push({ message: 'Operation must not have more than a single instance of the "in:body" parameter.' })
    if (body && formData)
      out.push({ message: 'Operation cannot have both "in:body" and "in:formData" parameters.' })
    return out
  },
}

const oasSchema: RuleFunction = {
  options: {
    type: 'object',
    required: ['schema'],
    properties: {
      schema: { type: ['object', 'boolean'] },
      dialect: { type: 'string' },
      allErrors: { type: 'boolean' },
    },
  },
  run(input, options, ctx) {
    return schemaResults(input, (options as { schema: Obj }).schema, 'draft7', false, ctx)
  },
}

const oasOpFormDataConsumeCheck: RuleFunction = {
  input: {
    type: 'object',
    required: ['consumes', 'parameters'],
    properties: { consumes: { type: 'array' }, parameters: { type: 'array' } },
  },
  run(input) {
    const { consumes, parameters } = input as { consumes: unknown[]; parameters: unknown[] }
    if (!parameters.some((p) => isPlainObject(p) && p.in === 'formData')) return
    if (/(application\/x-www-form-urlencoded|multipart\/form-data)/.test(consumes.join(','))) return
    return [
      {
        message:
          'Consumes must include urlencoded, multipart, or form-data media type when using formData parameter.',
      },
    ]
  },
}

const oasDiscriminator: RuleFunction = {
  input: { type: 'object', required: ['discriminator'], properties: { discriminator: { type: 'string' } } },
  run(input, _o, ctx) {
    const schema = input as { discriminator: string; properties?: unknown; required?: unknown }
    const out: FunctionResult[] = []
    if (!isPlainObject(schema.properties) || !(schema.discriminator in schema.properties))
      out.push({
        message: 'The discriminator property must be defined in this schema.',
        path: [...ctx.path, 'properties'],
      })
    if (!Array.isArray(schema.required) || !schema.required.includes(schema.discriminator))
      out.push({
        message: 'The discriminator property must be in the required property list.',
        path: [...ctx.path, 'required'],
      })
    return out
  },
}

/** Spectral's OpenAPI functions that interop implements, by name. */
export const OAS_FUNCTIONS: Record<string, RuleFunction> = {
  oasOpIdUnique,
  oasPathParam,
  uniquenessTags,
  serverVariables,
  oasDocumentSchema,
  oasExample,
  oasOpSuccessResponse,
  oasTagDefined,
  typedEnum,
  refSiblings,
  oasSecurityDefined,
  oasOpParams,
  oasSchema,
  unreferencedReusableObject,
  oasUnusedComponent,
  oasOpFormDataConsumeCheck,
  oasDiscriminator,
}
