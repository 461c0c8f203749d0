import type { ErrorObject } from 'ajv'

type Obj = Record<string, unknown>

/** A format as ajv holds it: a regular expression, a function, an object with `validate`, or `true` (ignored). */
type FormatDefinition =
  | RegExp
  | ((value: unknown) => boolean)
  | { type?: string; validate: RegExp | ((value: unknown) => boolean); async?: boolean }
  | true

export interface InterpreterOptions {
  /** `draft7` for OpenAPI 3.0 and Swagger 2 (their schemas are converted to draft-07), `2020` for 3.1. */
  draft: 'draft7' | '2020'
  /** The formats of the ajv instance the same schemas would be compiled with. */
  formats: Record<string, FormatDefinition | undefined>
  /** The schema registered under an id (`$ref`s are ids after conversion). */
  schemaById: (id: string) => unknown
}

/** Thrown when a schema uses what the interpreter does not evaluate; the caller compiles it with ajv then. */
export class Unsupported extends Error {}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

const NUMBER = ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'format']
const STRING = ['maxLength', 'minLength', 'pattern', 'format']
const ARRAY7 = ['maxItems', 'minItems', 'additionalItems', 'items', 'contains', 'uniqueItems']
const ARRAY2020 = ['maxItems', 'minItems', 'prefixItems', 'items', 'contains', 'uniqueItems']
const OBJECT = [
  'maxProperties',
  'minProperties',
  'required',
  'propertyNames',
  'additionalProperties',
  'dependencies',
  'properties',
  'patternProperties',
]
const OBJECT2020 = [...OBJECT, 'dependentRequired', 'dependentSchemas']
/** Keywords whose evaluation needs the annotations of others; left to ajv. */
export const UNSUPPORTED_KEYWORDS = [
  'unevaluatedProperties',
  'unevaluatedItems',
  '$dynamicRef',
  '$recursiveRef',
]

// Most keys need no escaping: testing first spares two regular expressions per property visited.
const escapeKey = (k: string | number) =>
  typeof k === 'number'
    ? String(k)
    : k.includes('~') || k.includes('/')
      ? k.replace(/~/g, '~0').replace(/\//g, '~1')
      : k

/** Deep equality of JSON values, as ajv's `equal` (fast-deep-equal) decides it. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]))
  }
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Obj)[k], (b as Obj)[k]))
}

/** String length in code points, as ajv counts it (a surrogate pair is one character). */
function ucs2length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    n++
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if ((d & 0xfc00) === 0xdc00) i++
    }
  }
  return n
}

function isType(type: unknown, data: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof data === 'string'
    case 'number':
      return typeof data === 'number' && Number.isFinite(data)
    case 'integer':
      return typeof data === 'number' && Number.isFinite(data) && !(data % 1)
    case 'boolean':
      return typeof data === 'boolean'
    case 'null':
      return data === null
    case 'object':
      return isObj(data)
    case 'array':
      return Array.isArray(data)
    default:
      return false
  }
}

/**
 * Validates JSON values against the JSON Schemas that the example checks build from a description,
 * by walking the schema rather than compiling it. ajv turns each schema into JavaScript first, which
 * costs about a millisecond per schema: more than the validation itself when each schema checks one
 * or two examples (a large description has hundreds of schemas). The errors are ajv's (same keywords,
 * params, messages, order of evaluation), so that findings read the same either way; a schema with a
 * keyword this does not evaluate raises `Unsupported`, and is compiled with ajv instead.
 */
export class SchemaInterpreter {
  private readonly regexps = new Map<string, RegExp>()
  private readonly plans = new WeakMap<Obj, Plan>()
  private readonly draft2020: boolean

  constructor(private readonly options: InterpreterOptions) {
    this.draft2020 = options.draft === '2020'
  }

  /** The errors of `data` against `schema`, in ajv's form and order; empty when it is valid. */
  validate(schema: unknown, data: unknown): ErrorObject[] {
    const errors: ErrorObject[] = []
    this.node(schema, data, '', '#', errors)
    return errors
  }

  private regexp(pattern: string): RegExp {
    let re = this.regexps.get(pattern)
    if (!re) {
      // As ajv with `unicodeRegExp: false`.
      re = new RegExp(pattern)
      this.regexps.set(pattern, re)
    }
    return re
  }

  private error(
    errors: ErrorObject[],
    keyword: string,
    instancePath: string,
    schemaPath: string,
    params: Obj,
    message: string,
    propertyName?: string,
  ): void {
    errors.push({
      instancePath,
      schemaPath: `${schemaPath}/${keyword}`,
      keyword,
      params,
      message,
      ...(propertyName !== undefined ? { propertyName } : {}),
    } as ErrorObject)
  }

  /** Validates one value against one schema, appending errors; true when it is valid. */
  private node(
    schema: unknown,
    data: unknown,
    path: string,
    sp: string,
    errors: ErrorObject[],
    propertyName?: string,
  ): boolean {
    if (schema === true) return true
    if (schema === false) {
      errors.push({
        instancePath: path,
        schemaPath: sp,
        keyword: 'false schema',
        params: {},
        message: 'boolean schema is false',
        ...(propertyName !== undefined ? { propertyName } : {}),
      } as ErrorObject)
      return false
    }
    if (!isObj(schema)) return true
    const plan = this.plan(schema)
    const before = errors.length
    const err = (keyword: string, params: Obj, message: string) =>
      this.error(errors, keyword, path, sp, params, message, propertyName)

    const ref = schema.$ref
    if (plan.refOnly) {
      this.ref(ref as string, data, path, errors, propertyName)
      return errors.length === before
    }

    const { types, checkUpfront } = plan
    const typeError = () => err('type', { type: schema.type }, `must be ${String(schema.type)}`)
    if (checkUpfront && !types.some((t) => isType(t, data))) typeError()

    // Keywords of any type, in ajv's order.
    if (typeof ref === 'string') this.ref(ref, data, path, errors, propertyName)
    if (schema.const !== undefined && !jsonEqual(data, schema.const))
      err('const', { allowedValue: schema.const }, 'must be equal to constant')
    if (Array.isArray(schema.enum) && !schema.enum.some((v) => jsonEqual(data, v)))
      err('enum', { allowedValues: schema.enum }, 'must be equal to one of the allowed values')
    if (schema.not !== undefined && this.quiet(schema.not, data, path)) err('not', {}, 'must NOT be valid')
    if (Array.isArray(schema.anyOf)) {
      const start = errors.length
      let valid = false
      for (let i = 0; i < schema.anyOf.length && !valid; i++)
        valid = this.node(schema.anyOf[i], data, path, `${sp}/anyOf/${i}`, errors, propertyName)
      if (valid) errors.length = start
      else err('anyOf', {}, 'must match a schema in anyOf')
    }
    if (Array.isArray(schema.oneOf)) {
      const start = errors.length
      let valid = false
      let passing: number | number[] | null = null
      // As ajv: a second match makes it invalid, naming both, and the rest are not evaluated.
      for (let i = 0; i < schema.oneOf.length; i++) {
        const ok = this.node(schema.oneOf[i], data, path, `${sp}/oneOf/${i}`, errors, propertyName)
        if (i > 0 && ok && valid) {
          valid = false
          passing = [passing as number, i]
          break
        }
        if (ok) {
          valid = true
          passing = i
        }
      }
      if (valid) errors.length = start
      else err('oneOf', { passingSchemas: passing }, 'must match exactly one schema in oneOf')
    }
    if (Array.isArray(schema.allOf))
      schema.allOf.forEach((s, i) => this.node(s, data, path, `${sp}/allOf/${i}`, errors, propertyName))
    if (schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined)) {
      const clause = this.quiet(schema.if, data, path) ? 'then' : 'else'
      if (schema[clause] !== undefined) {
        const ok = this.node(schema[clause], data, path, `${sp}/${clause}`, errors, propertyName)
        if (!ok) err('if', { failingKeyword: clause }, `must match "${clause}" schema`)
      }
    }

    for (const type of plan.groups) {
      if (isType(type, data)) {
        if (type === 'number') this.number(schema, data as number, err)
        else if (type === 'string') this.string(schema, data as string, err)
        else if (type === 'array') this.array(schema, data as unknown[], path, sp, errors, err)
        else this.object(schema, data as Obj, path, sp, errors, err)
      } else if (!checkUpfront && types.length === 1 && types[0] === type) typeError()
    }
    return errors.length === before
  }

  /** What a schema object needs, worked out once: the schemas of a description are few, the values many. */
  private plan(schema: Obj): Plan {
    let plan = this.plans.get(schema)
    if (plan) return plan
    for (const k of UNSUPPORTED_KEYWORDS) if (schema[k] !== undefined) throw new Unsupported(k)
    const others = Object.keys(schema).some((k) => k !== '$ref' && k !== '$id' && KNOWN.has(k))
    const types: unknown[] = schema.type === undefined ? [] : ([] as unknown[]).concat(schema.type)
    const groups = this.draft2020 ? GROUPS_2020 : GROUPS_7
    const uses = (kws: readonly string[]) => kws.some((k) => schema[k] !== undefined)
    const groupOfType = groups.find(([t]) => t === types[0])
    plan = {
      refOnly: typeof schema.$ref === 'string' && !others,
      types,
      checkUpfront: types.length > 0 && !(types.length === 1 && !!groupOfType && uses(groupOfType[1])),
      groups: groups.filter(([, kws]) => uses(kws)).map(([t]) => t),
    }
    this.plans.set(schema, plan)
    return plan
  }

  /** Whether a value is valid against a schema, without keeping errors (`not`, `if`, `contains`). */
  private quiet(schema: unknown, data: unknown, path: string): boolean {
    return this.node(schema, data, path, '#', [])
  }

  private ref(ref: string, data: unknown, path: string, errors: ErrorObject[], propertyName?: string): void {
    const target = this.options.schemaById(ref)
    if (target === undefined) throw new Unsupported(`$ref ${ref}`)
    this.node(target, data, path, ref, errors, propertyName)
  }

  private number(schema: Obj, n: number, err: (k: string, p: Obj, m: string) => void): void {
    const limit = (kw: string, ok: string, fails: (l: number) => boolean) => {
      const l = schema[kw]
      if (typeof l === 'number' && (fails(l) || Number.isNaN(n)))
        err(kw, { comparison: ok, limit: l }, `must be ${ok} ${l}`)
    }
    limit('maximum', '<=', (l) => n > l)
    limit('minimum', '>=', (l) => n < l)
    limit('exclusiveMaximum', '<', (l) => n >= l)
    limit('exclusiveMinimum', '>', (l) => n <= l)
    const m = schema.multipleOf
    if (typeof m === 'number') {
      const r = n / m
      if (m === 0 || r !== parseInt(String(r)))
        err('multipleOf', { multipleOf: m }, `must be multiple of ${m}`)
    }
    this.format(schema, n, 'number', err)
  }

  private string(schema: Obj, s: string, err: (k: string, p: Obj, m: string) => void): void {
    const max = schema.maxLength
    const min = schema.minLength
    if (typeof max === 'number' || typeof min === 'number') {
      const len = ucs2length(s)
      if (typeof max === 'number' && len > max)
        err('maxLength', { limit: max }, `must NOT have more than ${max} characters`)
      if (typeof min === 'number' && len < min)
        err('minLength', { limit: min }, `must NOT have fewer than ${min} characters`)
    }
    if (typeof schema.pattern === 'string' && !this.regexp(schema.pattern).test(s))
      err('pattern', { pattern: schema.pattern }, `must match pattern "${schema.pattern}"`)
    this.format(schema, s, 'string', err)
  }

  private format(
    schema: Obj,
    value: unknown,
    type: 'string' | 'number',
    err: (k: string, p: Obj, m: string) => void,
  ): void {
    const name = schema.format
    if (typeof name !== 'string') return
    const def = Object.hasOwn(this.options.formats, name) ? this.options.formats[name] : undefined
    if (def === undefined || def === true) return
    const spec = def instanceof RegExp || typeof def === 'function' ? { validate: def } : def
    if (spec.async) throw new Unsupported('async format')
    if (((spec as { type?: string }).type ?? 'string') !== type) return
    const v = spec.validate
    const ok = v instanceof RegExp ? v.test(value as string) : v(value)
    if (!ok) err('format', { format: name }, `must match format "${name}"`)
  }

  private array(
    schema: Obj,
    a: unknown[],
    path: string,
    sp: string,
    errors: ErrorObject[],
    err: (k: string, p: Obj, m: string) => void,
  ): void {
    const item = (s: unknown, i: number, at: string) => this.node(s, a[i], `${path}/${i}`, at, errors)
    if (typeof schema.maxItems === 'number' && a.length > schema.maxItems)
      err('maxItems', { limit: schema.maxItems }, `must NOT have more than ${schema.maxItems} items`)
    if (typeof schema.minItems === 'number' && a.length < schema.minItems)
      err('minItems', { limit: schema.minItems }, `must NOT have fewer than ${schema.minItems} items`)
    if (this.draft2020) {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : []
      prefix.forEach((s, i) => i < a.length && item(s, i, `${sp}/prefixItems/${i}`))
      if (schema.items === false && a.length > prefix.length)
        err('items', { limit: prefix.length }, `must NOT have more than ${prefix.length} items`)
      else if (schema.items !== undefined)
        for (let i = prefix.length; i < a.length; i++) item(schema.items, i, `${sp}/items`)
    } else if (Array.isArray(schema.items)) {
      const tuple = schema.items
      if (schema.additionalItems === false && a.length > tuple.length)
        err('additionalItems', { limit: tuple.length }, `must NOT have more than ${tuple.length} items`)
      else if (schema.additionalItems !== undefined)
        for (let i = tuple.length; i < a.length; i++) item(schema.additionalItems, i, `${sp}/additionalItems`)
      tuple.forEach((s, i) => i < a.length && item(s, i, `${sp}/items/${i}`))
    } else if (schema.items !== undefined) {
      for (let i = 0; i < a.length; i++) item(schema.items, i, `${sp}/items`)
    }
    if (schema.contains !== undefined) this.contains(schema, a, path, sp, errors, err)
    if (schema.uniqueItems === true && a.length > 1) {
      const dup = duplicate(a, schema.items)
      if (dup)
        err(
          'uniqueItems',
          { i: dup.i, j: dup.j },
          `must NOT have duplicate items (items ## ${dup.j} and ${dup.i} are identical)`,
        )
    }
  }

  /** `contains` (with 2020's minContains/maxContains) as ajv evaluates it, stopping where it stops. */
  private contains(
    schema: Obj,
    a: unknown[],
    path: string,
    sp: string,
    errors: ErrorObject[],
    err: (k: string, p: Obj, m: string) => void,
  ): void {
    const min = this.draft2020 && typeof schema.minContains === 'number' ? schema.minContains : 1
    const max = this.draft2020 && typeof schema.maxContains === 'number' ? schema.maxContains : undefined
    if (max === undefined && min === 0) return
    const fail = () =>
      err(
        'contains',
        max === undefined ? { minContains: min } : { minContains: min, maxContains: max },
        max === undefined
          ? `must contain at least ${min} valid item(s)`
          : `must contain at least ${min} and no more than ${max} valid item(s)`,
      )
    if (max !== undefined && min > max) return fail()
    const start = errors.length
    const item = (i: number) => this.node(schema.contains, a[i], `${path}/${i}`, `${sp}/contains`, errors)
    let valid = false
    if (max === undefined && min === 1) {
      for (let i = 0; i < a.length && !valid; i++) valid = item(i)
    } else {
      valid = min === 0
      let count = 0
      for (let i = 0; i < a.length; i++) {
        if (!item(i)) continue
        count++
        if (max === undefined) {
          if (count >= min) {
            valid = true
            break
          }
        } else {
          if (count > max) {
            valid = false
            break
          }
          if (count >= min) valid = true
        }
      }
    }
    if (valid) errors.length = start
    else fail()
  }

  private object(
    schema: Obj,
    o: Obj,
    path: string,
    sp: string,
    errors: ErrorObject[],
    err: (k: string, p: Obj, m: string, propertyName?: string) => void,
  ): void {
    const keys = Object.keys(o)
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties)
      err(
        'maxProperties',
        { limit: schema.maxProperties },
        `must NOT have more than ${schema.maxProperties} properties`,
      )
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties)
      err(
        'minProperties',
        { limit: schema.minProperties },
        `must NOT have fewer than ${schema.minProperties} properties`,
      )
    if (Array.isArray(schema.required))
      for (const name of schema.required)
        if (typeof name === 'string' && o[name] === undefined)
          err('required', { missingProperty: name }, `must have required property '${name}'`)
    if (schema.propertyNames !== undefined)
      for (const key of keys)
        if (!this.node(schema.propertyNames, key, path, `${sp}/propertyNames`, errors, key))
          this.error(errors, 'propertyNames', path, sp, { propertyName: key }, 'property name must be valid')
    const props = isObj(schema.properties) ? schema.properties : {}
    const patterns = isObj(schema.patternProperties) ? Object.keys(schema.patternProperties) : []
    const child = (s: unknown, key: string, at: string) =>
      this.node(s, o[key], `${path}/${escapeKey(key)}`, at, errors)
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== true)
      for (const key of keys) {
        if (Object.hasOwn(props, key) || patterns.some((p) => this.regexp(p).test(key))) continue
        if (schema.additionalProperties === false)
          err('additionalProperties', { additionalProperty: key }, 'must NOT have additional properties')
        else child(schema.additionalProperties, key, `${sp}/additionalProperties`)
      }
    const deps = (kw: string, list: boolean, schemas: boolean) => {
      const d = schema[kw]
      if (!isObj(d)) return
      for (const [prop, dep] of Object.entries(d)) {
        if (!list || !Array.isArray(dep) || dep.length === 0 || o[prop] === undefined) continue
        const names = dep as string[]
        for (const missing of names)
          if (o[missing] === undefined)
            err(
              kw,
              { property: prop, missingProperty: missing, depsCount: names.length, deps: names.join(', ') },
              `must have ${names.length === 1 ? 'property' : 'properties'} ${names.join(', ')} when property ${prop} is present`,
            )
      }
      if (schemas)
        for (const [prop, dep] of Object.entries(d))
          if (!Array.isArray(dep) && o[prop] !== undefined)
            this.node(dep, o, path, `${sp}/${kw}/${prop}`, errors)
    }
    deps('dependencies', true, true)
    for (const [key, s] of Object.entries(props))
      if (o[key] !== undefined) child(s, key, `${sp}/properties/${escapeKey(key)}`)
    for (const p of patterns) {
      const re = this.regexp(p)
      for (const key of keys)
        if (re.test(key))
          child((schema.patternProperties as Obj)[p], key, `${sp}/patternProperties/${escapeKey(p)}`)
    }
    if (this.draft2020) {
      deps('dependentRequired', true, false)
      deps('dependentSchemas', false, true)
    }
  }
}

type GroupType = 'number' | 'string' | 'array' | 'object'
const GROUPS_7: readonly (readonly [GroupType, readonly string[]])[] = [
  ['number', NUMBER],
  ['string', STRING],
  ['array', ARRAY7],
  ['object', OBJECT],
]
const GROUPS_2020: readonly (readonly [GroupType, readonly string[]])[] = [
  ['number', NUMBER],
  ['string', STRING],
  ['array', ARRAY2020],
  ['object', OBJECT2020],
]

interface Plan {
  /** A `$ref` with nothing beside it that ajv would evaluate: only the reference counts. */
  refOnly: boolean
  types: unknown[]
  /** Whether `type` is checked before the other keywords (ajv's order), else in its group. */
  checkUpfront: boolean
  /** The type groups the schema has keywords of, in ajv's order. */
  groups: GroupType[]
}

/** Keywords the interpreter evaluates or knows to ignore; `$ref` beside any of them does not stand alone. */
const KNOWN = new Set([
  'type',
  'const',
  'enum',
  'not',
  'anyOf',
  'oneOf',
  'allOf',
  'if',
  'then',
  'else',
  ...NUMBER,
  ...STRING,
  ...ARRAY7,
  ...ARRAY2020,
  ...OBJECT2020,
  'minContains',
  'maxContains',
])

/**
 * The first pair of equal items, as ajv finds it: with a primitive item type it scans from the end
 * and names the later index `j`; otherwise it compares each item with those before it, from the end.
 */
function duplicate(a: unknown[], items: unknown): { i: number; j: number } | undefined {
  const itemTypes: unknown[] =
    isObj(items) && items.type !== undefined ? ([] as unknown[]).concat(items.type) : []
  if (itemTypes.length > 0 && !itemTypes.some((t) => t === 'object' || t === 'array')) {
    const seen = new Map<unknown, number>()
    for (let i = a.length - 1; i >= 0; i--) {
      let item = a[i]
      if (!itemTypes.some((t) => isType(t, item))) continue
      if (typeof item === 'string') item = `"${item}`
      const j = seen.get(item)
      if (j !== undefined) return { i, j }
      seen.set(item, i)
    }
    return undefined
  }
  for (let i = a.length - 1; i > 0; i--)
    for (let j = i - 1; j >= 0; j--) if (jsonEqual(a[i], a[j])) return { i, j }
  return undefined
}
