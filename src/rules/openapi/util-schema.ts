import { Ajv, type ErrorObject, type Format, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import type { Loc, Node } from '../../core/types.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { locKey } from './util-http.js'
import { SUBSCHEMA_LIST, SUBSCHEMA_MAP, SUBSCHEMA_ONE } from '../../loaders/schema-keywords.js'
import { isObj } from '../../loaders/openapi-walker.js'
import { SchemaInterpreter, UNSUPPORTED_KEYWORDS } from './util-schema-interpreter.js'
import { metaSchemaKey, precompiled } from '../../core/precompiled.js'

type Obj = Record<string, unknown>

// ajv-formats is CommonJS; under NodeNext its default import is typed as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv | Ajv2020) => void

/** How the schemas of a description are to be read. */
export type SchemaDialect = 'swagger2' | 'oas30' | 'oas31'

export function dialectOf(api: OpenApiArtifact): SchemaDialect {
  if (api.kind === 'swagger') return 'swagger2'
  return /^3\.0\./.test(api.specVersion) ? 'oas30' : 'oas31'
}

/** A schema that ajv refused, and where it is written. */
export interface SchemaProblem {
  loc: Loc
  error: string
}

/**
 * Where an example is used. A required property that is `readOnly` is only required in responses,
 * one that is `writeOnly` only in requests (OAS 3.0.3 §4.7.24, Schema Object fixed fields).
 */
export type ExampleUse = 'request' | 'response' | 'any'

export interface CompiledSchema {
  /** Where the compiled schema is written (after following references). */
  loc: Loc
  validate?: ValidateFunction
  /** Why the schema could not be compiled. */
  error?: string
}

const ID_BASE = 'https://schemas.interop.invalid/'

// Annotations and identifiers that ajv need not (or must not) see: ids and anchors would clash
// between the copies of one schema; `examples` is an object in some hand-written 3.0 schemas; without
// titles and descriptions, equal small schemas share one compiled validator.
const DROP = new Set([
  'title',
  'description',
  'readOnly',
  'writeOnly',
  'discriminator',
  'xml',
  'externalDocs',
  'example',
  'examples',
  'deprecated',
  '$id',
  '$schema',
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  '$comment',
])

export { locKey }

/**
 * Turns the schemas of an OpenAPI description into JSON Schemas ajv can compile, and compiles each
 * once. Every schema a `$ref` points at is registered under a synthetic `$id` and the `$ref` is
 * rewritten to it, so references across files and recursive schemas need no further resolving.
 */
export class SchemaCompiler {
  readonly dialect: SchemaDialect
  private ajvInstance?: Ajv | Ajv2020
  private readonly ownFormats: Record<string, Format>
  private readonly ids = new Map<string, string>()
  private readonly pending: Loc[] = []
  /** The use of the schema being compiled; schemas are converted and registered per use. */
  private use: ExampleUse = 'any'
  private readonly compiled = new Map<string, CompiledSchema>()
  private readonly byContent = new Map<string, Omit<CompiledSchema, 'loc'>>()
  /** Referenced schemas ajv refused, not yet handed out by `takeProblems`. */
  private problems: SchemaProblem[] = []
  /** The converted schemas by id, for the interpreter (and ajv, when it has to compile one). */
  private readonly registered = new Map<string, unknown>()
  /** Registered schemas not yet handed to ajv. */
  private readonly forAjv: { id: string; loc: Loc }[] = []
  /** Whether a registered schema, or one it refers to, needs ajv (see `needsAjv`). */
  private readonly ajvOnly = new Map<string, boolean>()
  private readonly interpreter: SchemaInterpreter

  /**
   * With `spectralFormats`, `date-time` and `time` values without a UTC offset are accepted, as
   * Spectral (through ajv-formats 2) accepts them, so that Spectral rulesets find what Spectral finds.
   */
  constructor(
    private readonly api: OpenApiArtifact,
    compatibility: { spectralFormats?: boolean } = {},
  ) {
    this.dialect = dialectOf(api)
    // The formats the OpenAPI Specification defines beyond JSON Schema's (OAS 3.0.3 §4.4, Format Registry).
    const int = (bits: number) => (n: number) =>
      Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n <= 2 ** (bits - 1) - 1
    const own: Record<string, Format> = {
      int32: { type: 'number', validate: int(32) },
      int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
      float: { type: 'number', validate: () => true },
      double: { type: 'number', validate: () => true },
      byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
      binary: true,
      password: true,
    }
    if (compatibility.spectralFormats) {
      const time = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]\d\d(:?\d\d)?)?$/i
      const date = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
      own.time = (v: string) => time.test(v)
      own['date-time'] = (v: string) => {
        const parts = v.split(/t|\s/i)
        return parts.length === 2 && date.test(parts[0]!) && time.test(parts[1]!)
      }
    }
    this.ownFormats = own
    this.interpreter = new SchemaInterpreter({
      draft: this.dialect === 'oas31' ? '2020' : 'draft7',
      // What ajv has once ajv-formats and these are added to it.
      formats: { ...fullFormats, ...own } as never,
      schemaById: (id) => this.registered.get(id),
    })
  }

  /** ajv, made when a schema first needs it: most descriptions' schemas are all interpreted. */
  private get ajv(): Ajv | Ajv2020 {
    if (this.ajvInstance) return this.ajvInstance
    const options = {
      strict: false,
      allErrors: true,
      // Patterns in descriptions are usually written for non-Unicode regular expressions
      // (e.g. `[\w-\.]`), which the `u` flag rejects.
      unicodeRegExp: false,
      logger: false as const,
    }
    const ajv = this.dialect === 'oas31' ? new Ajv2020(options) : new Ajv(options)
    addFormats(ajv)
    for (const [name, format] of Object.entries(this.ownFormats)) ajv.addFormat(name, format)
    return (this.ajvInstance = ajv)
  }

  /**
   * The validator for the schema at a node (a `$ref` is followed), compiled once per place.
   * Undefined when the node does not lead to a schema.
   */
  compile(schema: Node<unknown>, use: ExampleUse = 'any'): CompiledSchema | undefined {
    const entry = this.entryOf(schema)
    if (!entry) return undefined
    this.use = use
    const key = this.keyOf(entry.loc)
    const cached = this.compiled.get(key)
    if (cached) return cached
    let result: CompiledSchema
    let id = this.ids.get(key)
    if (!id) {
      const before = this.ids.size
      const converted = this.convert(entry.value, entry.loc.uri)
      if (this.ids.size === before) {
        // Without references the schema stands alone; descriptions repeat small schemas such as
        // `{type: string, format: date}` many times, so these are compiled once per content.
        result = { loc: entry.loc, ...this.compileAlone(converted) }
        this.compiled.set(key, result)
        return result
      }
      id = this.ids.get(key)
      if (id) {
        // The schema refers to itself: it is registered here, from what was just converted.
        const i = this.pending.findIndex((l) => this.keyOf(l) === key)
        if (i !== -1) this.pending.splice(i, 1)
      } else {
        id = `${ID_BASE}${this.ids.size}`
        this.ids.set(key, id)
      }
      this.register(id, entry.loc, converted)
    }
    this.drain()
    const root = id
    const compileWithAjv = (): Omit<CompiledSchema, 'loc'> => {
      try {
        this.toAjv()
        const validate = this.ajv.getSchema(root)
        return validate ? { validate } : { error: 'it could not be compiled' }
      } catch (e) {
        return { error: cleanError(e) }
      }
    }
    result = {
      loc: entry.loc,
      ...(this.needsAjv(root)
        ? compileWithAjv()
        : { validate: this.interpreted(this.registered.get(root), compileWithAjv) }),
    }
    this.compiled.set(key, result)
    return result
  }

  private metaValidator?: ValidateFunction | null
  private schemaErrors: ErrorObject[] = []

  /**
   * Whether a converted schema is a valid JSON Schema of the dialect, against the meta-schema
   * compiled at build time (ajv compiles it on first use otherwise: some 40 ms per run).
   */
  private validSchema(schema: unknown): boolean {
    if (typeof schema === 'boolean') return true
    if (this.metaValidator === undefined) {
      const name = this.dialect === 'oas31' ? '2020-12' : 'draft-07'
      this.metaValidator =
        precompiled(name === '2020-12' ? 'meta2020' : 'meta07', name, metaSchemaKey(name)) ?? null
    }
    if (!this.metaValidator) {
      const ok = this.ajv.validateSchema(schema as object) as boolean
      this.schemaErrors = this.ajv.errors ?? []
      return ok
    }
    const ok = this.metaValidator(schema) as boolean
    this.schemaErrors = this.metaValidator.errors ?? []
    return ok
  }

  /**
   * A validator that walks the schema with the interpreter (no code generation, see
   * util-schema-interpreter.ts) and falls back to ajv's compiled validator if the interpreter stops.
   */
  private interpreted(schema: unknown, compileWithAjv: () => Omit<CompiledSchema, 'loc'>): ValidateFunction {
    let ajvValidate: ValidateFunction | undefined
    const validate = ((data: unknown) => {
      if (!ajvValidate)
        try {
          const errors = this.interpreter.validate(schema, data)
          validate.errors = errors.length ? errors : null
          return errors.length === 0
        } catch {
          ajvValidate = compileWithAjv().validate ?? ((() => true) as unknown as ValidateFunction)
        }
      const ok = ajvValidate(data) as boolean
      validate.errors = ajvValidate.errors
      return ok
    }) as ValidateFunction
    return validate
  }

  /**
   * Whether a registered schema must be compiled by ajv rather than interpreted: it, or a schema it
   * refers to, uses a keyword the interpreter leaves to ajv, or has a regular expression that does
   * not compile (ajv refuses such a schema as a whole, which is reported).
   */
  private needsAjv(id: string): boolean {
    const known = this.ajvOnly.get(id)
    if (known !== undefined) return known
    this.ajvOnly.set(id, false) // a cycle back here adds nothing
    const refs: string[] = []
    let needs = schemaNeedsAjv(this.registered.get(id), refs)
    for (const ref of refs) if (!needs && this.registered.has(ref)) needs = this.needsAjv(ref)
    this.ajvOnly.set(id, needs)
    return needs
  }

  private compileAlone(converted: unknown): Omit<CompiledSchema, 'loc'> {
    const text = JSON.stringify(converted)
    let result = this.byContent.get(text)
    if (result) return result
    const schema = typeof converted === 'boolean' || isObj(converted) ? converted : {}
    const compileWithAjv = () => {
      try {
        return { validate: this.ajv.compile(schema) }
      } catch (e) {
        return { error: cleanError(e) }
      }
    }
    if (!this.validSchema(schema)) result = { error: describeSchemaErrors(this.schemaErrors) }
    else if (schemaNeedsAjv(schema, [])) result = compileWithAjv()
    else result = { validate: this.interpreted(schema, compileWithAjv) }
    this.byContent.set(text, result)
    return result
  }

  /** Referenced schemas that ajv refused since the last call (each reported once). */
  takeProblems(): SchemaProblem[] {
    const out = this.problems
    this.problems = []
    return out
  }

  /** Where the schema to compile is: the target of a `$ref`, except for 3.1 refs with sibling keywords. */
  private entryOf(schema: Node<unknown>): Node<unknown> | undefined {
    const v = schema.value
    if (this.dialect === 'oas31' && isObj(v) && typeof v.$ref === 'string' && Object.keys(v).length > 1)
      return schema
    const resolved = this.api.resolve(schema)
    if (!resolved) return undefined
    if (!isObj(resolved.value) && typeof resolved.value !== 'boolean') return undefined
    return resolved
  }

  private keyOf(loc: Loc): string {
    return `${this.use}|${locKey(loc)}`
  }

  private idFor(loc: Loc): string {
    const key = this.keyOf(loc)
    let id = this.ids.get(key)
    if (!id) {
      id = `${ID_BASE}${this.ids.size}`
      this.ids.set(key, id)
      this.pending.push(loc)
    }
    return id
  }

  /** Converts and registers every schema reached so far that ajv does not know yet. */
  private drain(): void {
    for (let loc = this.pending.shift(); loc; loc = this.pending.shift())
      this.register(this.ids.get(this.keyOf(loc))!, loc, this.convert(this.api.valueAt(loc), loc.uri))
  }

  private register(id: string, loc: Loc, converted: unknown): void {
    // A `$ref` gets its own level, so that no dialect ignores the `$id` beside it.
    const schema = !isObj(converted)
      ? { $id: id, ...(converted === false ? { not: {} } : {}) }
      : '$ref' in converted
        ? { $id: id, allOf: [converted] }
        : { ...converted, $id: id }
    if (this.validSchema(schema)) {
      // Handed to ajv only if a schema has to be compiled (see toAjv).
      this.registered.set(id, schema)
      this.forAjv.push({ id, loc })
      return
    }
    this.problems.push({ loc, error: describeSchemaErrors(this.schemaErrors) })
    // Stand in with a schema that accepts anything, so that examples using it are still checked.
    this.registered.set(id, { $id: id })
    this.forAjv.push({ id, loc })
  }

  /** Registers with ajv the schemas it has not seen yet, before it compiles one of them. */
  private toAjv(): void {
    for (const { id, loc } of this.forAjv.splice(0)) {
      const schema = this.registered.get(id) as object
      try {
        this.ajv.addSchema(schema, undefined, undefined, false)
      } catch (e) {
        // ajv refuses what the meta-schema allowed (rare): the schema stands in as accepting anything.
        this.problems.push({ loc, error: cleanError(e) })
        this.ajv.addSchema({ $id: id }, undefined, undefined, false)
      }
    }
  }

  private convert(schema: unknown, uri: string): unknown {
    if (typeof schema === 'boolean') return schema
    if (!isObj(schema)) return {}
    const out: Obj = {}
    if (typeof schema.$ref === 'string') {
      const target = this.api.refTarget(schema.$ref, uri)
      // A reference that does not resolve is reported by openapi-valid; here it accepts anything.
      if (target) out.$ref = this.idFor(target)
      // Before 3.1, keywords beside a `$ref` are ignored (OAS 3.0.3 §4.7.25, Reference Object).
      if (this.dialect !== 'oas31') return out
    }
    for (const [k, v] of Object.entries(schema)) {
      // ajv knows `nullable` as in OpenAPI 3.0; 3.0's is handled below and 3.1 has none (null is a type).
      // (A member named __proto__ is no keyword; assigned, it would become the copy's prototype.)
      if (k === '$ref' || k === 'nullable' || k === '__proto__' || k.startsWith('x-') || DROP.has(k)) continue
      if (SUBSCHEMA_ONE.has(k))
        out[k] = Array.isArray(v) ? v.map((s) => this.convert(s, uri)) : this.convert(v, uri)
      else if (SUBSCHEMA_LIST.has(k)) out[k] = Array.isArray(v) ? v.map((s) => this.convert(s, uri)) : v
      else if (SUBSCHEMA_MAP.has(k))
        out[k] = isObj(v)
          ? Object.fromEntries(
              Object.entries(v).map(([name, s]) => [name, Array.isArray(s) ? s : this.convert(s, uri)]),
            )
          : v
      else out[k] = v
    }
    if (Array.isArray(out.required) && isObj(schema.properties)) {
      const props = schema.properties
      out.required = out.required.filter(
        (name) => !(typeof name === 'string' && this.notRequiredHere(props[name], uri)),
      )
    }
    return this.dialect === 'oas31' ? out : this.fromOas30(out, schema)
  }

  /** Whether a property is read-only in a request or write-only in a response example. */
  private notRequiredHere(property: unknown, uri: string): boolean {
    const flags =
      this.use === 'request'
        ? ['readOnly']
        : this.use === 'response'
          ? ['writeOnly']
          : ['readOnly', 'writeOnly']
    let cur = property
    let base = uri
    // Follow a few references: the flag may be beside the $ref (3.1) or on its target.
    for (let hops = 0; hops < 8 && isObj(cur); hops++) {
      if (flags.some((f) => (cur as Obj)[f] === true)) return true
      const ref = cur.$ref
      const target = typeof ref === 'string' ? this.api.refTarget(ref, base) : undefined
      if (!target) return false
      cur = this.api.valueAt(target)
      base = target.uri
    }
    return false
  }

  /** Rewrites the OpenAPI 3.0 / Swagger 2 schema extensions of JSON Schema draft-04/05 into draft-07. */
  private fromOas30(out: Obj, original: Obj): Obj {
    // Draft-04 style boolean exclusive bounds (OAS 3.0.3 and Swagger 2 use draft-04 Wright 00).
    for (const [ex, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (typeof out[ex] !== 'boolean') continue
      if (out[ex] && typeof out[bound] === 'number') {
        out[ex] = out[bound]
        delete out[bound]
      } else delete out[ex]
    }
    if (this.dialect === 'swagger2' && out.type === 'file') delete out.type
    const nullable =
      original.nullable === true || (this.dialect === 'swagger2' && original['x-nullable'] === true)
    if (!nullable) return out
    // `nullable: true` adds null to the allowed values (OAS 3.0.3 §4.7.24.1). Authors also use it
    // beside allOf/oneOf/anyOf to make a referenced schema nullable, so then null is allowed as a whole.
    if (typeof out.type === 'string' && !['allOf', 'anyOf', 'oneOf', 'not'].some((k) => k in out)) {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
      return out
    }
    return { anyOf: [{ type: 'null' }, out] }
  }
}

/**
 * Whether a converted schema uses a keyword the interpreter leaves to ajv or a regular expression
 * that does not compile; collects the ids it refers to in `refs`.
 */
function schemaNeedsAjv(schema: unknown, refs: string[]): boolean {
  const stack = [schema]
  while (stack.length) {
    const s = stack.pop()
    if (Array.isArray(s)) {
      stack.push(...s)
      continue
    }
    if (!isObj(s)) continue
    for (const [k, v] of Object.entries(s)) {
      if (k === 'enum' || k === 'const' || k === 'default') continue
      if (UNSUPPORTED_KEYWORDS.includes(k)) return true
      if (k === '$ref' && typeof v === 'string') refs.push(v)
      else if (k === 'pattern' && typeof v === 'string' && !compiles(v)) return true
      else if (k === 'patternProperties' && isObj(v) && !Object.keys(v).every(compiles)) return true
      if (v !== null && typeof v === 'object') stack.push(v)
    }
  }
  return false
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch {
    return false
  }
}

function cleanError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e)
  return msg.split('\n')[0]!.replaceAll(ID_BASE, '#').replace(/\.$/, '')
}

/** Why a schema is not a valid JSON Schema: its first specific meta-schema error. */
function describeSchemaErrors(errors: readonly ErrorObject[]): string {
  const e = errors.find((x) => !['anyOf', 'oneOf', 'if'].includes(x.keyword)) ?? errors[0]
  if (!e) return 'it is not a valid JSON Schema'
  return `${e.instancePath === '' ? 'the schema' : e.instancePath} ${describeError(e)}`
}

/** A short account of why a value failed: the first few errors, most specific first. */
export function describeErrors(errors: readonly ErrorObject[], max = 3): string {
  // A failed anyOf/oneOf lists the errors of every branch; its own summary says more.
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  const useful = errors.filter(
    (e) =>
      e.keyword !== 'if' && !combinators.some((c) => c !== e && e.schemaPath.startsWith(c.schemaPath + '/')),
  )
  const seen = new Set<string>()
  const lines: string[] = []
  for (const e of useful) {
    const line = `${e.instancePath === '' ? '(root)' : e.instancePath} ${describeError(e)}`
    if (seen.has(line)) continue
    seen.add(line)
    lines.push(line)
  }
  const shown = lines.slice(0, max).join('; ')
  return lines.length > max ? `${shown} (and ${lines.length - max} more)` : shown
}

function describeError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'additionalProperties':
      return `has the property '${String(p.additionalProperty)}', which the schema does not allow`
    case 'unevaluatedProperties':
      return `has the property '${String(p.unevaluatedProperty)}', which the schema does not allow`
    case 'enum': {
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues : []
      const list = allowed.slice(0, 8).map((v) => JSON.stringify(v))
      return `must be one of ${list.join(', ')}${allowed.length > 8 ? ', …' : ''}`
    }
    case 'oneOf':
      return Array.isArray(p.passingSchemas)
        ? `matches more than one schema of oneOf (${p.passingSchemas.map((i) => `#${Number(i) + 1}`).join(' and ')})`
        : 'must match exactly one schema of oneOf'
    case 'type':
      return `must be ${([] as unknown[]).concat(p.type).join(' or ')}`
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`
    default:
      return e.message ?? 'is invalid'
  }
}
