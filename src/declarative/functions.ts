import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import Ajv04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import { precompiled } from '../core/precompiled.js'
import type { Loc } from '../core/types.js'
import type { OpenApiArtifact } from '../loaders/openapi.js'
import { getAt, parsePointer } from '../loaders/source.js'
import type { PathSegment } from './jsonpath.js'
import { groupBy } from '../core/group-by.js'
import { cachedValidator } from './schema-cache.js'

type Obj = Record<string, unknown>

/** What a rule's function is given besides the value and its options. */
export interface FunctionContext {
  /** Path of the value in the document the rule runs on (resolved or not). */
  path: PathSegment[]
  /** The document the rule runs on: with `$ref`s resolved, or as written (`resolved: false`). */
  document: unknown
  /** The description, for functions that need its other documents or where things are written. */
  artifact: OpenApiArtifact
  resolved: boolean
}

export interface FunctionResult {
  /** May hold the placeholders of rule messages (`{{property}}`, `#{{print("value")}}`). */
  message: string
  /** Where the problem is, when not at the value the function was given. */
  path?: PathSegment[]
  /** Where the problem is written, for functions that find it in the sources themselves. */
  loc?: Loc
}

export interface RuleFunction {
  /** JSON Schema of the values the function judges; other values are skipped, as in Spectral. */
  input?: AnySchema
  /** When set, a value the function cannot judge is a finding with this message, not skipped. */
  invalidInput?: string
  /** JSON Schema of its options; a ruleset whose options do not match is refused. */
  options?: AnySchema
  /** Checks the options further (e.g. that regular expressions compile); returns the problem. */
  checkOptions?(options: unknown): string | undefined
  run(input: unknown, options: unknown, ctx: FunctionContext): FunctionResult[] | void
}

const functionSchemaValidators = new WeakMap<object, ValidateFunction>()
// For a function's schemas the build did not compile (a stale build); the same options as there.
let functionSchemaAjv: Ajv | undefined

/**
 * The validator of a built-in function's options (`key` its name) or input (`name#input`): compiled
 * at build (scripts/build-validators.js, generated/validators/spectral.cjs) when it can be, else
 * here once per schema. Compiling one here costs ajv's meta-schema and code generation.
 */
export function functionSchemaValidator(key: string, schema: AnySchema): ValidateFunction {
  let validate = typeof schema === 'object' ? functionSchemaValidators.get(schema) : undefined
  if (!validate) {
    validate =
      precompiled('spectral', key, schema) ??
      (functionSchemaAjv ??= new Ajv({ strict: false, allErrors: false })).compile(schema)
    if (typeof schema === 'object') functionSchemaValidators.set(schema, validate)
  }
  return validate
}

export const isPlainObject = (v: unknown): v is Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

/** A value as messages print it: strings quoted, objects and arrays by kind. */
export function printValue(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'Array[]'
  if (value !== null && typeof value === 'object') return 'Object{}'
  return JSON.stringify(value)
}

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s
const regexCache = new Map<string, RegExp>()

/** A pattern option as a RegExp: `[a-z]+`, or `/[a-z]+/i` with flags. */
export function regexOf(pattern: string): RegExp {
  let re = regexCache.get(pattern)
  if (!re) {
    const literal = REGEX_LITERAL.exec(pattern)
    re = literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(pattern)
    regexCache.set(pattern, re)
  }
  re.lastIndex = 0
  return re
}

function checkRegex(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return undefined
  try {
    regexOf(pattern)
    return undefined
  } catch (e) {
    return `the regular expression ${JSON.stringify(pattern)} is invalid: ${(e as Error).message}`
  }
}

const truthy: RuleFunction = {
  options: { type: 'null' },
  run: (input) => (input ? undefined : [{ message: '#{{print("property")}}must be truthy' }]),
}
const falsy: RuleFunction = {
  options: { type: 'null' },
  run: (input) => (input ? [{ message: '#{{print("property")}}must be falsy' }] : undefined),
}
const defined: RuleFunction = {
  options: { type: 'null' },
  run: (input) => (input === undefined ? [{ message: '#{{print("property")}}must be defined' }] : undefined),
}
const undefinedFn: RuleFunction = {
  options: { type: 'null' },
  run: (input) =>
    input !== undefined ? [{ message: '#{{print("property")}}must be undefined' }] : undefined,
}

const pattern: RuleFunction = {
  input: { type: 'string' },
  options: {
    type: 'object',
    properties: { match: { type: 'string' }, notMatch: { type: 'string' } },
    anyOf: [{ required: ['match'] }, { required: ['notMatch'] }],
    additionalProperties: false,
  },
  checkOptions: (o) => checkRegex((o as Obj).match) ?? checkRegex((o as Obj).notMatch),
  run(input, options) {
    const o = options as { match?: string; notMatch?: string }
    const out: FunctionResult[] = []
    if (o.match !== undefined && !regexOf(o.match).test(input as string))
      out.push({ message: `#{{print("value")}} must match the pattern ${printValue(o.match)}` })
    if (o.notMatch !== undefined && regexOf(o.notMatch).test(input as string))
      out.push({ message: `#{{print("value")}} must not match the pattern ${printValue(o.notMatch)}` })
    return out
  },
}

const enumeration: RuleFunction = {
  input: { type: ['string', 'number', 'null', 'boolean'] },
  options: {
    type: 'object',
    required: ['values'],
    properties: { values: { type: 'array', items: { type: ['string', 'number', 'null', 'boolean'] } } },
    additionalProperties: false,
  },
  run(input, options) {
    const values = (options as { values: unknown[] }).values
    if (values.includes(input)) return
    return [
      {
        message: `#{{print("value")}} must be equal to one of the allowed values: ${values.map(printValue).join(', ')}`,
      },
    ]
  },
}

const length: RuleFunction = {
  input: { type: ['array', 'object', 'string', 'number'] },
  options: {
    type: 'object',
    properties: { min: { type: 'number' }, max: { type: 'number' } },
    anyOf: [{ required: ['min'] }, { required: ['max'] }],
    additionalProperties: false,
  },
  run(input, options) {
    const o = options as { min?: number; max?: number }
    const n = isPlainObject(input)
      ? Object.keys(input).length
      : typeof input === 'number'
        ? input
        : (input as string | unknown[]).length
    const out: FunctionResult[] = []
    if (o.min !== undefined && n < o.min)
      out.push({ message: `#{{print("property")}}must be longer than ${printValue(o.min)}` })
    if (o.max !== undefined && n > o.max)
      out.push({ message: `#{{print("property")}}must be shorter than ${printValue(o.max)}` })
    return out
  },
}

const CASES: Record<string, string> = {
  flat: '[a-z][a-z{D}]*',
  camel: '[a-z][a-z{D}]*(?:[A-Z{D}](?:[a-z{D}]+|$))*',
  pascal: '[A-Z][a-z{D}]*(?:[A-Z{D}](?:[a-z{D}]+|$))*',
  kebab: '[a-z][a-z{D}]*(?:-[a-z{D}]+)*',
  cobol: '[A-Z][A-Z{D}]*(?:-[A-Z{D}]+)*',
  snake: '[a-z][a-z{D}]*(?:_[a-z{D}]+)*',
  macro: '[A-Z][A-Z{D}]*(?:_[A-Z{D}]+)*',
}

const casing: RuleFunction = {
  input: { type: 'string', minLength: 1 },
  options: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { enum: Object.keys(CASES) },
      disallowDigits: { type: 'boolean' },
      separator: {
        type: 'object',
        required: ['char'],
        properties: { char: { type: 'string', maxLength: 1 }, allowLeading: { type: 'boolean' } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  run(input, options) {
    const o = options as {
      type: string
      disallowDigits?: boolean
      separator?: { char: string; allowLeading?: boolean }
    }
    const value = input as string
    if (value.length === 1 && o.separator?.allowLeading && value === o.separator.char) return
    const base = CASES[o.type]!.replace(/\{D\}/g, o.disallowDigits ? '' : '0-9')
    let re: RegExp
    if (!o.separator || o.separator.char === '') re = new RegExp(`^${base}$`)
    else {
      const sep = `[${o.separator.char.replace(/[\\^\]-]/g, '\\$&')}]`
      re = new RegExp(`^${o.separator.allowLeading ? `${sep}?` : ''}${base}(?:${sep}${base})*$`)
    }
    return re.test(value) ? undefined : [{ message: `must be ${o.type} case` }]
  },
}

// Spectral compares texts with localeCompare, in the collation of the locale the process runs under:
// a Swedish, Danish or Finnish machine puts Å, Ä and Ö after Z, an English or German one among the
// A's and O's. A report is the same on every machine: texts are compared in the root collation
// (Unicode's default order, which the C locale, English and German use, and so Spectral's verdict
// on most machines), whatever the locale. Made on first use: it loads ICU's collation data.
let collator: Intl.Collator | undefined

function compareSortable(a: unknown, b: unknown): number {
  if (
    (typeof a === 'number' || Number.isNaN(Number(a))) &&
    (typeof b === 'number' || !Number.isNaN(Number(b)))
  )
    return Math.min(1, Math.max(-1, Number(a) - Number(b)))
  if (typeof a !== 'string' || typeof b !== 'string') return 0
  return (collator ??= new Intl.Collator('en')).compare(a, b)
}

const alphabetical: RuleFunction = {
  input: { type: ['object', 'array'] },
  options: {
    type: ['object', 'null'],
    properties: { keyedBy: { type: 'string' } },
    additionalProperties: false,
  },
  run(input, options, ctx) {
    let items: unknown[] = Array.isArray(input) ? input : Object.keys(input as Obj)
    if (items.length < 2) return
    const keyedBy = (options as { keyedBy?: string } | null)?.keyedBy
    if (keyedBy !== undefined) {
      if (!items.every(isPlainObject)) return [{ message: '#{{print("property")}}must be an object' }]
      items = items.map((i) => (i as Obj)[keyedBy])
    }
    if (!items.every((i) => typeof i === 'string' || typeof i === 'number'))
      return [{ message: '#{{print("property")}}must be one of the allowed types: number, string' }]
    for (let i = 0; i < items.length - 1; i++) {
      if (compareSortable(items[i], items[i + 1]) >= 1) {
        if (keyedBy !== undefined) return [{ message: 'properties must follow the alphabetical order' }]
        return [
          {
            path: [...ctx.path, Array.isArray(input) ? i : (items[i] as string)],
            message: `${printValue(items[i])} must be placed after ${printValue(items[i + 1])}`,
          },
        ]
      }
    }
    return
  },
}

const propertiesOption = {
  type: 'object',
  required: ['properties'],
  properties: { properties: { type: 'array', items: { type: 'string' }, minItems: 2 } },
  additionalProperties: false,
}

function listOf(names: string[], last: string): string {
  const printed = names.map(printValue)
  const tail = printed.pop()
  return printed.join(', ') + (tail !== undefined ? ` ${last} ${tail}` : '')
}

const xor: RuleFunction = {
  input: { type: 'object' },
  options: propertiesOption,
  run(input, options) {
    const { properties } = options as { properties: string[] }
    const present = Object.keys(input as Obj).filter((k) => properties.includes(k))
    if (present.length === 1) return
    return [{ message: `${listOf(properties, 'and')} must not be both defined or both undefined` }]
  },
}

const or: RuleFunction = {
  input: { type: 'object' },
  options: propertiesOption,
  run(input, options) {
    const { properties } = options as { properties: string[] }
    if (Object.keys(input as Obj).some((k) => properties.includes(k))) return
    const quoted =
      properties.length > 4
        ? `"${properties.slice(0, 3).join('" or "')}" or ${properties.length - 3} other properties`
        : `"${properties.join('" or "')}"`
    return [{ message: `At least one of ${quoted} must be defined` }]
  },
}

// ajv-formats and ajv-draft-04 are CommonJS; under NodeNext their default imports are typed as modules.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: unknown) => void
const Ajv04 = ((Ajv04Module as unknown as { default?: unknown }).default ??
  Ajv04Module) as unknown as typeof Ajv

type Dialect = 'draft4' | 'draft6' | 'draft7' | 'draft2019-09' | 'draft2020-12'
const ajvs = new Map<string, Ajv | Ajv2019 | Ajv2020>()
const validators = new WeakMap<object, Map<string, ValidateFunction>>()

/** The options of the ajv instance that compiles a `schema` rule's schema (and names its kept module). */
function ajvOptions(allErrors: boolean) {
  // The source of what it compiles is kept, for its standalone module (schema-cache.ts).
  return { allErrors, strict: false, validateSchema: false, logger: false as const, code: { source: true } }
}

function ajvFor(dialect: Dialect, allErrors: boolean): Ajv | Ajv2019 | Ajv2020 {
  const key = `${dialect}|${allErrors}`
  let ajv = ajvs.get(key)
  if (!ajv) {
    const opts = ajvOptions(allErrors)
    ajv =
      dialect === 'draft4'
        ? new Ajv04(opts)
        : dialect === 'draft2019-09'
          ? new Ajv2019(opts)
          : dialect === 'draft2020-12'
            ? new Ajv2020(opts)
            : new Ajv(opts)
    addFormats(ajv)
    ajvs.set(key, ajv)
  }
  return ajv
}

function detectDialect(schema: Obj): Dialect | undefined {
  const s =
    typeof schema.$schema === 'string' ? schema.$schema.replace(/^https?:\/\//, '').replace(/#$/, '') : ''
  if (s === 'json-schema.org/draft-04/schema') return 'draft4'
  if (s === 'json-schema.org/draft-06/schema') return 'draft6'
  if (s === 'json-schema.org/draft-07/schema') return 'draft7'
  if (s === 'json-schema.org/draft/2019-09/schema') return 'draft2019-09'
  if (s === 'json-schema.org/draft/2020-12/schema') return 'draft2020-12'
  return undefined
}

export function compileSchema(
  schema: Obj,
  dialect: Dialect | 'auto' = 'auto',
  allErrors = false,
): ValidateFunction {
  const d = (dialect === 'auto' ? detectDialect(schema) : dialect) ?? 'draft7'
  let byKey = validators.get(schema)
  if (!byKey) validators.set(schema, (byKey = new Map()))
  const key = `${d}|${allErrors}`
  let validate = byKey.get(key)
  if (!validate) {
    const copy = { ...schema }
    delete copy.$schema
    // Kept under the dialect, the instance's options and the formats added to it.
    const variant = `${d}|${JSON.stringify(ajvOptions(allErrors))}|ajv-formats`
    validate = cachedValidator(copy, variant, () => {
      const ajv = ajvFor(d, allErrors)
      return { ajv, validate: ajv.compile(copy) }
    })
    byKey.set(key, validate)
  }
  return validate
}

function lastSegment(pointer: string): string | undefined {
  const i = pointer.lastIndexOf('/')
  return i === -1
    ? undefined
    : pointer
        .slice(i + 1)
        .replace(/~1/g, '/')
        .replace(/~0/g, '~')
}

/**
 * ajv's errors as sentences naming the property, one per place: where a value matches none of
 * several alternatives and the alternatives have errors deeper down, those deeper errors are the
 * ones said; enum errors are merged, with a suggestion of the closest allowed value.
 */
export function describeAjvErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  basePath: readonly PathSegment[],
): { message: string; pointer: string }[] {
  const byPath = groupBy(errors, (e) => e.instancePath)
  // better-ajv-errors builds a tree of the paths in which the root ('') is a sibling of '/a', not
  // its parent: an anyOf/oneOf at the root keeps its errors even when deeper paths have some.
  const hasDeeper = (p: string) =>
    p !== '' && [...byPath.keys()].some((k) => k !== p && k.startsWith(p + '/'))
  const propertyName = (pointer: string): string | undefined =>
    lastSegment(pointer) ?? (basePath.length ? String(basePath[basePath.length - 1]) : undefined)
  const pretty = (pointer: string) => {
    const name = propertyName(pointer)
    if (name !== undefined) return `"${name}" property`
    const type = typeof getAt(data, pointer).value
    return type.charAt(0).toUpperCase() + type.slice(1)
  }
  const clean = (m = '') => m.replace(/['"]/g, '"').replace(/NOT/g, 'not')
  const out: { message: string; pointer: string }[] = []
  for (const [pointer, list] of byPath) {
    if (list.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf') && hasDeeper(pointer)) continue
    if (list.every((e) => e.keyword === 'enum')) {
      const allowed = [...new Set(list.flatMap((e) => e.params.allowedValues as unknown[]))]
      const current = getAt(data, pointer).value
      let message = `${pretty(pointer)} ${list[0]!.message ?? 'must be equal to one of the allowed values'}: ${allowed
        .map((v) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v)))
        .join(', ')}`
      const best = closest(current, allowed)
      if (best !== undefined) message += `. Did you mean "${best}"?`
      out.push({ message, pointer })
      continue
    }
    for (const e of list) {
      if (e.keyword === 'anyOf' || e.keyword === 'oneOf' ? list.length > 1 : false) continue
      let message: string
      if (e.keyword === 'additionalProperties')
        message = `Property "${String(e.params.additionalProperty)}" is not expected to be here`
      else if (e.keyword === 'type') {
        const name = propertyName(pointer)
        message = name === undefined ? `Value type ${e.message}` : `"${name}" property type ${e.message}`
      } else message = `${pretty(pointer)} ${clean(e.message)}`
      out.push({ message, pointer })
    }
  }
  return out
}

function closest(current: unknown, allowed: unknown[]): string | undefined {
  if (typeof current !== 'string') return undefined
  const strings = allowed.filter((v): v is string => typeof v === 'string')
  if (!strings.length) return undefined
  const scored = strings.map((v) => ({ v, d: levenshtein(v, current) })).sort((a, b) => a.d - b.d)
  const best = scored[0]!
  return allowed.length === 1 || best.d < best.v.length ? best.v : undefined
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]!
}

/** Validates a value against a JSON Schema, as Spectral's `schema` function reports it. */
export function schemaResults(
  input: unknown,
  schema: Obj,
  dialect: Dialect | 'auto' | undefined,
  allErrors: boolean | undefined,
  ctx: FunctionContext,
): FunctionResult[] | void {
  if (input === undefined) return [{ path: ctx.path, message: '#{{print("property")}}must exist' }]
  const validate = compileSchema(schema, dialect, allErrors)
  if (validate(input)) return
  return describeAjvErrors(validate.errors ?? [], input, ctx.path).map((e) => ({
    message: e.message,
    path: [...ctx.path, ...parsePointer(e.pointer)],
  }))
}

const schema: RuleFunction = {
  options: {
    type: 'object',
    required: ['schema'],
    properties: {
      schema: { type: ['object', 'boolean'] },
      allErrors: { type: 'boolean' },
      dialect: { enum: ['auto', 'draft4', 'draft6', 'draft7', 'draft2019-09', 'draft2020-12'] },
    },
    additionalProperties: false,
  },
  checkOptions(options) {
    const o = options as { schema: Obj; dialect?: Dialect | 'auto'; allErrors?: boolean }
    try {
      compileSchema(o.schema, o.dialect, o.allErrors)
      return undefined
    } catch (e) {
      return `the schema cannot be compiled: ${(e as Error).message}`
    }
  },
  run(input, options, ctx) {
    const o = options as { schema: Obj; dialect?: Dialect | 'auto'; allErrors?: boolean }
    return schemaResults(input, o.schema, o.dialect, o.allErrors, ctx)
  },
}

/** Spectral's core functions, by the names rulesets use. */
export const CORE_FUNCTIONS: Record<string, RuleFunction> = {
  truthy,
  falsy,
  defined,
  undefined: undefinedFn,
  pattern,
  enumeration,
  length,
  casing,
  alphabetical,
  xor,
  or,
  schema,
}
