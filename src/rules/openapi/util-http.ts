import { LocSet, NodeMap, NodeSet } from '../../core/loc-map.js'
import { remembered } from '../../core/memo.js'
import type { Loc, Node } from '../../core/types.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { isObj, type Obj, type SchemaInfo } from '../../loaders/openapi-walker.js'
import { mediaTypeEssence } from './util-style.js'

/** RFC 9457 §6.1: the problem details media types. */
export const PROBLEM_MEDIA_TYPES = ['application/problem+json', 'application/problem+xml']

export { isObj }

export function isProblemMediaType(name: string): boolean {
  return PROBLEM_MEDIA_TYPES.includes(mediaTypeEssence(name))
}

export function locKey(loc: Loc): string {
  return `${loc.uri}#${loc.pointer}`
}

/**
 * Returns a function that is true the first time it sees a location. The walker visits a shared
 * component once per place that uses it; findings whose text names the operation would otherwise
 * repeat at one location.
 */
export function firstTime(): (loc: Loc, extra?: string) => boolean {
  const seen = new LocSet()
  return (loc, extra = '') => seen.add(loc, extra)
}

/** The `type` of a schema as a list (OpenAPI 3.1 allows an array). */
export function typesOf(schema: Obj): string[] {
  const t = schema.type
  if (typeof t === 'string') return [t]
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string')
  return []
}

export interface SchemaFacets {
  /** The schema itself first, then the members of its combinators, refs resolved. */
  members: Node<Obj>[]
  types: Set<string>
  /** Every `format` written on the schema or its members, where it is written. */
  formats: Node<unknown>[]
  /** Descriptions and titles of the schema and its members. */
  texts: string[]
  /** A member could not be resolved, so the facets may be incomplete. */
  unresolved: boolean
}

const ALL_COMBINATORS: readonly string[] = ['allOf', 'anyOf', 'oneOf']

// Deep enough for real descriptions (a nullable wrapper around an allOf of a shared type), and a
// bound on odd or cyclic ones.
const MAX_DEPTH = 8

/**
 * What a schema says about its values once its `allOf` (and, unless told otherwise, `anyOf`/`oneOf`)
 * members are taken into account: a `birthDate` written as `allOf: [$ref: Date]` has the format of `Date`.
 */
export function schemaFacets(
  api: OpenApiArtifact,
  node: Node<Obj>,
  combinators: readonly string[] = ALL_COMBINATORS,
): Readonly<SchemaFacets> {
  // Several rules ask for the facets of every named schema: each is worked out once per description.
  let byCombinators = facetsCache.get(api)
  if (!byCombinators) facetsCache.set(api, (byCombinators = new Map()))
  const which = combinators === ALL_COMBINATORS ? '' : combinators.join(',')
  let cache = byCombinators.get(which)
  if (!cache) byCombinators.set(which, (cache = new NodeMap()))
  let facets = cache.get(node)
  if (!facets) cache.set(node, (facets = computeFacets(api, node, combinators)))
  return facets
}

const facetsCache = new WeakMap<OpenApiArtifact, Map<string, NodeMap<SchemaFacets>>>()

function computeFacets(api: OpenApiArtifact, node: Node<Obj>, combinators: readonly string[]): SchemaFacets {
  const facets: SchemaFacets = { members: [], types: new Set(), formats: [], texts: [], unresolved: false }
  /** What one member says itself. */
  const add = (n: Node<Obj>) => {
    facets.members.push(n)
    const s = n.value
    for (const t of typesOf(s)) facets.types.add(t)
    if (s.format !== undefined) facets.formats.push(api.child(n, 'format')!)
    for (const f of ['description', 'title']) if (typeof s[f] === 'string') facets.texts.push(s[f] as string)
  }
  const s = node.value
  if (typeof s.$ref !== 'string' && !combinators.some((c) => Array.isArray(s[c]))) {
    // Most schemas combine nothing: their facets are their own, with no members to keep apart.
    add(node)
    return facets
  }
  const seen = new NodeSet()
  const visit = (n: Node<Obj>, depth: number) => {
    if (depth > MAX_DEPTH || !seen.add(n)) return
    add(n)
    for (const c of combinators) {
      const list = api.child(n, c)
      if (!list || !Array.isArray(list.value)) continue
      list.value.forEach((_, i) => {
        const raw = api.child(list, i)
        const m = raw && api.resolve(raw)
        if (m && isObj(m.value)) visit(m as Node<Obj>, depth + 1)
        else facets.unresolved = true
      })
    }
  }
  visit(node, 0)
  return facets
}

export interface NamedSchema {
  name: string
  node: Node<Obj>
  /** Where to report a finding about the name: the property key, or the parameter. */
  at: Node<unknown>
  key: boolean
  /** The parameter that holds the schema, when it is a parameter's. */
  parameter?: Node<Obj>
  /** The property as written (before its `$ref` was followed), for descriptions beside a `$ref`. */
  written?: Node<unknown>
}

/**
 * Picks out the visits of named schemas (object properties and parameters) that rules judging a
 * value by its name should look at: once per property, not again for the `allOf`/`anyOf`/`oneOf`
 * members the walker visits under the same name (those are judged with their parent through
 * `schemaFacets`). Feed it the walker's Parameter and Schema events.
 */
export class NamedSchemas {
  private members = new NodeSet()
  private params = new NodeMap<Map<string, Node<Obj>>>()
  private seenParams = new NodeSet()

  constructor(private readonly api: OpenApiArtifact) {}

  /** Call from the Parameter handler: the walker visits the parameter's schema right after. */
  parameter(param: Node<Obj>): void {
    const p = param.value
    // A shared parameter is visited once per operation that uses it, to the same effect.
    if (typeof p.name !== 'string' || !this.seenParams.add(param)) return
    const raw = this.api.child(param, 'schema')
    const schema = raw
      ? this.api.resolve(raw)
      : this.api.kind === 'swagger' && p.in !== 'body'
        ? param
        : undefined
    if (!schema) return
    let byName = this.params.get(schema)
    if (!byName) this.params.set(schema, (byName = new Map()))
    byName.set(p.name, param)
  }

  /**
   * Call from the Schema handler; undefined when the visit is not a named schema to judge. `judges`
   * says which names the rule judges at all: a name it does not is passed over without working out
   * the schema's facets (members are kept apart by name, so passing over a name loses nothing for
   * the others).
   */
  named(
    info: SchemaInfo,
    judges: (name: string) => boolean = () => true,
    combinators: readonly string[] = ALL_COMBINATORS,
  ): NamedSchema | undefined {
    const name = info.propertyName
    if (name === undefined || !judges(name)) return undefined
    if (this.members.has(info.node, name)) return undefined
    const members = schemaFacets(this.api, info.node, combinators).members
    for (let i = 1; i < members.length; i++) this.members.add(members[i]!, name)
    const parameter = info.nameLoc ? undefined : this.params.get(info.node)?.get(name)
    if (info.nameLoc) return { name, node: info.node, at: info.nameLoc, key: true, written: info.nameLoc }
    if (parameter) return { name, node: info.node, at: parameter, key: false, parameter }
    // A named visit that is neither a property nor a known parameter (e.g. the combinator member of a
    // shared schema first reached elsewhere): judge it where it is.
    return { name, node: info.node, at: info.node, key: false }
  }
}

/** Tests a JSON Schema `pattern` (ECMA-262, unanchored) against a value; undefined when it does not compile. */
export function patternMatches(pattern: unknown, value: string): boolean | undefined {
  if (typeof pattern !== 'string') return undefined
  // Rules test a pattern against several samples, and descriptions repeat their patterns.
  const re = remembered(patterns, pattern, 10_000, compilePattern)
  return re === null ? undefined : re.test(value)
}

const patterns = new Map<string, RegExp | null>()

/** A pattern as a regular expression (with the `u` flag where it compiles so), or null. */
function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u')
  } catch {
    try {
      return new RegExp(pattern)
    } catch {
      return null
    }
  }
}
