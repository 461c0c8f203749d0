import { parseDocument } from 'yaml'
import type { Loc } from '../../core/types.js'
import { NAME_MAPS, refOf, type OpenApiArtifact } from '../../loaders/openapi.js'
import { isObj } from '../../loaders/openapi-walker.js'
import { escapeSegment, getAt, joinPointer } from '../../loaders/source.js'

/**
 * Comparing an OpenAPI description as supplied (often split over files with `$ref`s) with the one a
 * service publishes (bundled into one file with internal `$ref`s, or fully dereferenced): both are
 * dereferenced into one tree, and the trees are compared. Nothing in a published document is run.
 */

type Obj = Record<string, unknown>

/** The most values a dereferenced description may hold: enough for any real description, not for a bomb. */
export const NODE_BUDGET = 2_000_000
/** The deepest nesting followed; deeper ones are abuse, and would exhaust the stack. */
const MAX_DEPTH = 1_000
/** The most aliases a published YAML document may expand ("billion laughs"). */
const MAX_ALIAS_COUNT = 100

/**
 * Where a recursive schema refers to itself, the dereferenced tree holds `{ "$recursive": pointer }`:
 * the pointer, in the dereferenced tree, of where that schema was first expanded, not of the file or
 * component it is written in. The comparison does not compare markers but follows them to what they
 * stand for, so a recursion that a tool unrolled once more on one side is no difference.
 */
export const RECURSIVE = '$recursive'

/** A description with its references followed, and what its recursion markers point at. */
export interface Tree {
  value: unknown
  /** The expanded object a `$recursive` marker of this tree stands for. */
  targetOf(marker: object): unknown
}

export type Dereferenced = Tree | { tooLarge: string }

/** Root sections of reusable definitions. They are expanded last, so a schema is first met where it is used. */
const REUSABLE = new Set(['components', 'definitions', 'parameters', 'responses', 'securityDefinitions'])

/** Keys whose values are data, not description: a `$ref` in them is a value, not a reference. */
const DATA_KEYS = new Set(['example', 'default', 'const', 'enum'])

function isDataKey(key: string, parentPath: string, value: unknown): boolean {
  const parentKey = parentPath.slice(parentPath.lastIndexOf('/') + 1)
  if (NAME_MAPS.has(parentKey)) return false
  // The keys of a media type's `examples` map are names; its Example objects' `value` is data.
  if (parentKey === 'examples' && !Array.isArray(value)) return false
  if (DATA_KEYS.has(key) || key.startsWith('x-')) return true
  if (key === 'value' && /\/examples\/[^/]+$/.test(parentPath)) return true
  return key === 'examples' && Array.isArray(value)
}

/** Where values are read and references followed: the supplied files, or one published document. */
interface Space<L extends { value: unknown }> {
  /** Identifies a place, for memoizing and for finding recursion. */
  key(loc: L): string
  child(loc: L, segment: string): L
  /** Where a `$ref` written in the object at `from` points; undefined when it cannot be followed. */
  follow(ref: string, from: L): L | undefined
}

class TooLarge extends Error {}

/** A plain object without a prototype, so that a key `__proto__` in a published document is only a key. */
function record(): Obj {
  return Object.create(null) as Obj
}

/** A member of an object or array, read from the parent rather than looked up from the root again. */
function childOf(v: unknown, segment: string): unknown {
  return v !== null && typeof v === 'object' && Object.hasOwn(v, segment)
    ? (v as Record<string, unknown>)[segment]
    : undefined
}

class Dereferencer<L extends { value: unknown }> {
  /** The expansion of every object, by place: a schema used many times is expanded once. */
  private readonly memo = new Map<string, unknown>()
  /** The places being expanded, with where in the dereferenced tree: a reference to one is recursion. */
  private readonly open = new Map<string, string>()
  /** The place each marker stands for, and the expansion of each such place. */
  private readonly marked = new WeakMap<object, string>()
  private readonly targets = new Map<string, unknown>()
  private nodes = 0

  constructor(
    private readonly space: Space<L>,
    private readonly omit: (pointer: string) => boolean,
  ) {}

  run(root: L): Dereferenced {
    try {
      const value = this.expand(root, '', false, 0)
      const { marked, targets } = this
      return {
        value,
        targetOf: (marker) => {
          const key = marked.get(marker)
          return key === undefined ? undefined : targets.get(key)
        },
      }
    } catch (e) {
      if (e instanceof TooLarge) return { tooLarge: e.message }
      throw e
    }
  }

  private tick(): void {
    if (++this.nodes > NODE_BUDGET)
      throw new TooLarge(
        `holds more than ${NODE_BUDGET.toLocaleString('en')} values once its references are followed`,
      )
  }

  private expand(loc: L, path: string, data: boolean, depth: number): unknown {
    this.tick()
    if (depth > MAX_DEPTH) throw new TooLarge(`is nested more than ${MAX_DEPTH} levels deep`)
    const v = loc.value
    if (v === null || typeof v !== 'object') return v
    // Data is reached only where it is written; only the description's own objects are shared.
    const key = data ? undefined : this.space.key(loc)
    if (key !== undefined) {
      if (this.memo.has(key)) return this.memo.get(key)
      const at = this.open.get(key)
      if (at !== undefined) {
        const marker = { [RECURSIVE]: at }
        this.marked.set(marker, key)
        this.targets.set(key, undefined)
        return marker
      }
      this.open.set(key, path)
    }
    let out: unknown
    const ref = data ? undefined : refOf(v)
    if (ref !== undefined) out = this.expandRef(loc, v as Obj, ref, path, depth)
    else if (Array.isArray(v))
      out = v.map((_, i) => this.expand(this.space.child(loc, String(i)), `${path}/${i}`, data, depth + 1))
    else {
      const obj = record()
      for (const k of orderedKeys(Object.keys(v), path)) {
        const p = joinPointer(path, k)
        if (this.omit(p)) continue
        const child = (v as Obj)[k]
        obj[k] = this.expand(this.space.child(loc, k), p, data || isDataKey(k, path, child), depth + 1)
      }
      out = obj
    }
    if (key !== undefined) {
      this.open.delete(key)
      this.memo.set(key, out)
      if (this.targets.has(key)) this.targets.set(key, out)
    }
    return out
  }

  /**
   * A reference is replaced by what it points to. Keywords beside it (allowed in OpenAPI 3.1, and
   * kept by bundlers) are laid over the target, as dereferencing tools do, on both sides alike.
   */
  private expandRef(loc: L, v: Obj, ref: string, path: string, depth: number): unknown {
    const siblings = Object.keys(v).filter((k) => k !== '$ref')
    const target = this.space.follow(ref, loc)
    const base = target === undefined ? { $ref: ref } : this.expand(target, path, false, depth + 1)
    if (!siblings.length || !isObj(base)) return base
    const merged = Object.assign(record(), base)
    const marked = this.marked.get(base)
    if (marked !== undefined) this.marked.set(merged, marked)
    for (const k of siblings.sort()) {
      const p = joinPointer(path, k)
      merged[k] = this.expand(this.space.child(loc, k), p, isDataKey(k, path, v[k]), depth + 1)
    }
    return merged
  }
}

/**
 * Keys in a fixed order, the root's reusable sections last: a recursive schema is then marked where it
 * is first used, and a difference shown where it is used.
 */
function orderedKeys(names: string[], path: string): string[] {
  const keys = names.sort()
  if (path !== '') return keys
  return [...keys.filter((k) => !REUSABLE.has(k)), ...keys.filter((k) => REUSABLE.has(k))]
}

/** The supplied description with every reference followed, across its files. */
export function dereferenceArtifact(api: OpenApiArtifact): Dereferenced {
  type Place = Loc & { value: unknown }
  const space: Space<Place> = {
    key: (loc) => `${loc.uri}#${loc.pointer}`,
    child: (loc, segment) => ({
      uri: loc.uri,
      pointer: joinPointer(loc.pointer, segment),
      value: childOf(loc.value, segment),
    }),
    follow: (ref, from) => {
      const target = api.refTarget(ref, from.uri)
      return target && { ...target, value: api.valueAt(target) }
    },
  }
  return new Dereferencer(space, () => false).run({ ...api.rootLoc, value: api.root.value })
}

export interface DocumentOptions {
  /** Where the document was read: references to it by its URL are internal ones. */
  url?: string
  /** Places in the dereferenced tree to leave out (see `dereferencePublished`). */
  omit?: (pointer: string) => boolean
}

/** A parsed document with its internal references (`#/…`, and 3.1 `#anchor`s) followed. */
export function dereferenceDocument(doc: unknown, options: DocumentOptions = {}): Dereferenced {
  const self = options.url ? withoutFragment(options.url) : undefined
  let anchors: Map<string, string> | undefined
  type Place = { pointer: string; value: unknown }
  const at = (pointer: string): Place | undefined => {
    const found = getAt(doc, pointer)
    return found.found ? { pointer, value: found.value } : undefined
  }
  const space: Space<Place> = {
    key: (loc) => loc.pointer,
    child: (loc, segment) => ({
      pointer: joinPointer(loc.pointer, segment),
      value: childOf(loc.value, segment),
    }),
    follow: (ref) => {
      let fragment: string
      try {
        if (ref.startsWith('#')) fragment = decodeURIComponent(ref.slice(1))
        else if (self && withoutFragment(new URL(ref, self).href) === self)
          fragment = decodeURIComponent(new URL(ref, self).hash.slice(1))
        else return undefined
      } catch {
        return undefined
      }
      if (fragment === '' || fragment.startsWith('/')) return at(fragment)
      anchors ??= anchorsOf(doc)
      const pointer = anchors.get(fragment)
      return pointer === undefined ? undefined : at(pointer)
    },
  }
  return new Dereferencer(space, options.omit ?? (() => false)).run({ pointer: '', value: doc })
}

function withoutFragment(url: string): string {
  try {
    const u = new URL(url)
    u.hash = ''
    return u.href
  } catch {
    return url
  }
}

function anchorsOf(doc: unknown): Map<string, string> {
  const anchors = new Map<string, string>()
  const stack: [unknown, string][] = [[doc, '']]
  while (stack.length) {
    const [v, ptr] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    for (const [k, child] of Object.entries(v)) {
      if ((k === '$anchor' || k === '$dynamicAnchor') && typeof child === 'string' && !anchors.has(child))
        anchors.set(child, ptr)
      else if (child !== null && typeof child === 'object') stack.push([child, joinPointer(ptr, k)])
    }
  }
  return anchors
}

const REUSABLE_ENTRY = /^\/(components\/[^/]+|definitions|parameters|responses|securityDefinitions)\/[^/]+$/

/**
 * A published document dereferenced for comparison with the supplied one. Bundlers put the files a
 * split description refers to under `components` (or Swagger 2's `definitions` …) with names of their
 * own; entries of those sections that the supplied description does not have are left out (what they
 * hold is compared where it is used), and so are sections left empty by that.
 */
export function dereferencePublished(doc: unknown, supplied: Tree, url?: string): Dereferenced {
  const has = (pointer: string) => getAt(supplied.value, pointer).found
  const tree = dereferenceDocument(doc, {
    ...(url !== undefined ? { url } : {}),
    omit: (pointer) => REUSABLE_ENTRY.test(pointer) && !has(pointer),
  })
  if ('tooLarge' in tree || !isObj(tree.value)) return tree
  const root = Object.assign(record(), tree.value)
  const gone = (pointer: string, v: unknown) => isObj(v) && !Object.keys(v).length && !has(pointer)
  if (isObj(root.components)) {
    const components = Object.assign(record(), root.components)
    for (const [k, v] of Object.entries(components))
      if (gone(`/components/${escapeSegment(k)}`, v)) delete components[k]
    root.components = components
  }
  for (const k of REUSABLE) if (gone(`/${k}`, root[k])) delete root[k]
  return { value: root, targetOf: tree.targetOf }
}

export type ParsedDescription =
  { value: Obj; kind: 'openapi' | 'swagger'; version: string } | { error: string }

/**
 * A published body as an OpenAPI or Swagger document: JSON, or YAML read with the core schema (no
 * custom tags, nothing executed) and a small alias budget.
 */
export function parseDescription(text: string): ParsedDescription {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (!text.trim()) return { error: 'the body is empty' }
  let value: unknown
  let jsonError: string | undefined
  if (/^\s*[{[]/.test(text)) {
    try {
      value = JSON.parse(text)
    } catch (e) {
      jsonError = `it is not valid JSON (${(e as Error).message})`
    }
  }
  if (value === undefined) {
    const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: false })
    const first = doc.errors[0]
    if (first)
      return { error: jsonError ?? `it is neither JSON nor valid YAML (${first.message.split('\n')[0]})` }
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    } catch (e) {
      return { error: `its YAML could not be read (${(e as Error).message})` }
    }
  }
  if (!isObj(value)) return { error: 'the body is not a JSON or YAML object' }
  if (typeof value.openapi === 'string') return { value, kind: 'openapi', version: value.openapi }
  if (typeof value.swagger === 'string') return { value, kind: 'swagger', version: value.swagger }
  return { error: 'it has no "openapi" or "swagger" version field' }
}

/** A place where the two dereferenced descriptions differ. */
export interface Difference {
  /** JSON pointer into the dereferenced description. */
  pointer: string
  /** Absent: only in the supplied description. */
  published?: unknown
  /** Absent: only in the published description. */
  supplied?: unknown
}

export type Comparison = { differences: Difference[]; more: boolean } | { tooLarge: string }

/**
 * The first differences between two dereferenced descriptions, in document order (keys sorted, as key
 * order means nothing; reusable sections last, so a difference is shown where it is used). Recursion markers are followed, and a pair of objects met again is taken as
 * equal (it is being, or was, compared already): so shared subtrees are compared once, recursion ends,
 * and a recursion unrolled further on one side than on the other is no difference.
 */
export function compareDescriptions(published: Tree, supplied: Tree, max = 5): Comparison {
  const differences: Difference[] = []
  let more = false
  let steps = 0
  const compared = new WeakMap<object, WeakSet<object>>()
  const add = (d: Difference) => {
    if (differences.length < max) differences.push(d)
    else more = true
  }
  const walk = (p: unknown, s: unknown, pointer: string, depth = 0): void => {
    if (more) return
    if (++steps > NODE_BUDGET)
      throw new TooLarge(`needs more than ${NODE_BUDGET.toLocaleString('en')} comparisons`)
    // Following recursion markers can lead deeper than either tree is; each step is a new pair though.
    if (depth > 2 * MAX_DEPTH) throw new TooLarge(`leads more than ${2 * MAX_DEPTH} levels deep`)
    p = follow(p, published)
    s = follow(s, supplied)
    if (p === s) return
    if (!isObj(p) && !Array.isArray(p)) {
      if (!isEqualScalar(p, s)) add({ pointer, published: p, supplied: s })
      return
    }
    if ((!isObj(s) && !Array.isArray(s)) || Array.isArray(p) !== Array.isArray(s)) {
      add({ pointer, published: p, supplied: s })
      return
    }
    let seen = compared.get(p)
    if (seen?.has(s)) return
    if (!seen) compared.set(p, (seen = new WeakSet()))
    seen.add(s)
    if (Array.isArray(p) && Array.isArray(s)) {
      for (let i = 0; i < Math.max(p.length, s.length); i++) {
        const at = `${pointer}/${i}`
        if (i >= p.length) add({ pointer: at, supplied: s[i] })
        else if (i >= s.length) add({ pointer: at, published: p[i] })
        else walk(p[i], s[i], at, depth + 1)
      }
      return
    }
    const po = p as Obj
    const so = s as Obj
    const keys = [...new Set([...Object.keys(po), ...Object.keys(so)])]
    for (const k of orderedKeys(keys, pointer)) {
      const at = joinPointer(pointer, k)
      if (!Object.hasOwn(po, k)) add({ pointer: at, supplied: so[k] })
      else if (!Object.hasOwn(so, k)) add({ pointer: at, published: po[k] })
      else walk(po[k], so[k], at, depth + 1)
    }
  }
  try {
    walk(published.value, supplied.value, '')
  } catch (e) {
    if (e instanceof TooLarge) return { tooLarge: e.message }
    throw e
  }
  return { differences, more }
}

/** YAML can say `.nan`. */
function isEqualScalar(p: unknown, s: unknown): boolean {
  return p === s || (typeof p === 'number' && typeof s === 'number' && Number.isNaN(p) && Number.isNaN(s))
}

/** Merged recursion markers (with keywords beside them), made once each so that comparing them ends. */
const mergedMarkers = new WeakMap<object, Obj>()

/** What a recursion marker stands for: the object expanded where it points, with any keywords beside it. */
function follow(v: unknown, tree: Tree): unknown {
  if (!isObj(v) || typeof v[RECURSIVE] !== 'string') return v
  const target = tree.targetOf(v)
  if (!isObj(target)) return v
  const siblings = Object.keys(v).filter((k) => k !== RECURSIVE)
  if (!siblings.length) return target
  let merged = mergedMarkers.get(v)
  if (!merged) {
    merged = Object.assign(record(), target)
    for (const k of siblings) merged[k] = v[k]
    mergedMarkers.set(v, merged)
  }
  return merged
}

/** One difference for a message: `/info/version: published "1.4.1", supplied "1.4.2"`. */
export function describeDifference(d: Difference): string {
  const at = d.pointer || 'the document'
  if (!('published' in d)) return `${at}: only in the supplied description`
  if (!('supplied' in d)) return `${at}: only in the published description`
  return `${at}: published ${shorten(d.published)}, supplied ${shorten(d.supplied)}`
}

function shorten(v: unknown, max = 60): string {
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    s = String(v)
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
