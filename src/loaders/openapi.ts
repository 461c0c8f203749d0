import { groupBy } from '../core/group-by.js'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { InputError, isInputError } from '../core/errors.js'
import type { ValidateFunction } from 'ajv'
import { OAS_DEFINITIONS, oasSchemas, oasSchemasKey, precompiled, type OasKind } from '../core/precompiled.js'
import type { Loc, Location, Node } from '../core/types.js'
import { PATH_ITEM_METHODS } from './openapi-walker.js'
import { SUBSCHEMA_LIST, SUBSCHEMA_MAP, SUBSCHEMA_ONE } from './schema-keywords.js'
import { createDiskReader, RefusedError, toFileUri, type DocumentReader } from './reader.js'
import {
  escapeSegment,
  excerptOf,
  MAX_DEPTH,
  locationIn,
  getAt,
  joinPointer,
  parsePointer,
  parseRead,
  positionOf,
  type SourceDocument,
} from './source.js'

export type SpecKind = 'swagger' | 'openapi'

/** A `$ref` that could not be followed, and why. */
export interface RefProblem {
  /** Where the `$ref` is written. */
  loc: Loc
  ref: string
  reason: 'outside-folder' | 'remote-not-allowed' | 'missing-target' | 'invalid-ref'
}

/** A problem the structural validator (swagger-parser) found, placed at its source. */
export interface StructuralProblem {
  loc: Loc
  message: string
}

export interface LoadOpenApiOptions {
  /** Hosts whose documents may be fetched for remote `$ref`s. */
  allowRemoteRefHosts?: readonly string[]
  /** Where documents are read from; defaults to the disk, confined to the root document's folder. */
  reader?: DocumentReader
  /** Skip structural validation (swagger-parser). */
  validate?: boolean
}

const MAX_REF_HOPS = 64

/**
 * A `$ref` within its own document (`#/components/schemas/Pet`) written in printable ASCII other
 * than the characters a URL fragment percent-encodes (space, `"`, `<`, `>`, `` ` ``) and `%`: its
 * fragment is the pointer as written. Large descriptions hold tens of thousands of distinct ones.
 */
const PLAIN_LOCAL_REF = /^#[!#$&-;=?-_a-~]*$/

/**
 * An OpenAPI description, possibly split over several files, parsed once with source positions.
 * `$ref`s stay in the documents; `resolve` follows them, so every value keeps the place it was written.
 */
export class OpenApiArtifact {
  readonly refProblems: RefProblem[] = []
  /**
   * Objects handed to the structural validator as empty objects: references inside example and
   * other data values (no rule follows them), and `$anchor` references swagger-parser cannot follow.
   */
  readonly validatorBlanks: Loc[] = []
  private readonly anchorIndex = new WeakMap<SourceDocument, Map<string, string>>()
  structuralProblems: StructuralProblem[] = []
  /** The objects and arrays that hold a `$ref`, or hold one that does (when the loader noted them). */
  refBearing?: WeakSet<object>

  /**
   * Whether a value of the documents may hold a `$ref` (a `$ref` string member, at any depth): a
   * value it says no for holds none; without the loader's notes, every object and array may.
   */
  bearsRefs(value: object): boolean {
    return this.refBearing ? this.refBearing.has(value) : true
  }
  /** Why structural validation did not run, when it did not. */
  structuralSkipped?: string

  constructor(
    readonly root: SourceDocument,
    readonly documents: ReadonlyMap<string, SourceDocument>,
    readonly kind: SpecKind,
    readonly specVersion: string,
  ) {}

  get rootLoc(): Loc {
    return { uri: this.root.uri, pointer: '' }
  }

  /** The raw value at a location, without following a `$ref` there. */
  valueAt(loc: Loc): unknown {
    const doc = this.documents.get(loc.uri)
    if (!doc) return undefined
    return getAt(doc.value, loc.pointer).value
  }

  node<T = unknown>(loc: Loc): Node<T> {
    return { value: this.valueAt(loc) as T, loc }
  }

  /** Targets of `$ref`s by base and reference, with their values: large descriptions repeat a few refs thousands of times. */
  private readonly targets = new Map<string, Map<string, Node<unknown> | null>>()

  /** Where a `$ref` written at `base` points, or undefined when it cannot be followed. */
  refTarget(ref: string, baseUri: string): Loc | undefined {
    return this.refNode(ref, baseUri)?.loc
  }

  /**
   * The target of a `$ref` with its value, or undefined when it cannot be followed (documents do not
   * change once loaded, so it is kept).
   */
  refNode(ref: string, baseUri: string): Node<unknown> | undefined {
    // By document, then by the ref as written: both are strings the documents hold, whose hashes
    // are kept, where a key made of the two would be a new string to hash on every lookup.
    let byRef = this.targets.get(baseUri)
    if (!byRef) this.targets.set(baseUri, (byRef = new Map()))
    let node = byRef.get(ref)
    if (node === undefined) {
      node = this.findRefTarget(ref, baseUri) ?? null
      byRef.set(ref, node)
    }
    return node ?? undefined
  }

  private findRefTarget(ref: string, baseUri: string): Node<unknown> | undefined {
    let uri: string
    let fragment: string
    if (PLAIN_LOCAL_REF.test(ref) && this.documents.has(baseUri)) {
      // Within the document, with nothing a URL would encode, drop or decode: what URL gives, without it.
      uri = baseUri
      fragment = ref.slice(1)
    } else {
      let target: URL
      try {
        target = new URL(ref, baseUri)
      } catch {
        return undefined
      }
      fragment = target.hash ? decodeURIComponent(target.hash.slice(1)) : ''
      target.hash = ''
      uri = target.href
    }
    const doc = this.documents.get(uri)
    if (!doc) return undefined
    if (fragment !== '' && !fragment.startsWith('/')) {
      const pointer = this.allowsAnchors ? this.anchorsOf(doc).get(fragment) : undefined
      return pointer === undefined ? undefined : this.node({ uri, pointer })
    }
    const at = getAt(doc.value, fragment)
    return at.found ? { loc: { uri, pointer: fragment }, value: at.value } : undefined
  }

  /** OpenAPI 3.1 schemas are JSON Schema 2020-12, where `#name` may refer to an `$anchor`. */
  get allowsAnchors(): boolean {
    return this.kind === 'openapi' && !/^3\.0\./.test(this.specVersion)
  }

  private anchorsOf(doc: SourceDocument): Map<string, string> {
    let anchors = this.anchorIndex.get(doc)
    if (anchors) return anchors
    anchors = new Map()
    const stack: [unknown, string][] = [[doc.value, '']]
    while (stack.length) {
      const [v, ptr] = stack.pop()!
      if (v === null || typeof v !== 'object') continue
      for (const [k, child] of Object.entries(v)) {
        if ((k === '$anchor' || k === '$dynamicAnchor') && typeof child === 'string' && !anchors.has(child))
          anchors.set(child, ptr)
        else if (child !== null && typeof child === 'object')
          stack.push([child, ptr + '/' + escapeSegment(k)])
      }
    }
    this.anchorIndex.set(doc, anchors)
    return anchors
  }

  /** Follows `$ref`s from a node until a value that is not a reference. Unresolvable refs give undefined. */
  resolve<T = unknown>(node: Node<unknown>): Node<T> | undefined {
    let cur = node
    for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
      const ref = refOf(cur.value)
      if (ref === undefined) return cur as Node<T>
      const target = this.refNode(ref, cur.loc.uri)
      if (!target) return undefined
      cur = target
    }
    return undefined
  }

  /** The child of a node (after following refs on the parent). */
  child<T = unknown>(parent: Node<unknown>, ...segments: (string | number)[]): Node<T> | undefined {
    let cur: Node<unknown> | undefined = parent
    // (An indexed loop: rules ask for children by the hundred thousand, much of it before the
    // compiler has optimized them, when an iterator is an allocation.)
    for (let i = 0; i < segments.length; i++) {
      cur = cur && this.resolve(cur)
      if (!cur || cur.value === null || typeof cur.value !== 'object') return undefined
      const key = String(segments[i])
      if (!Object.hasOwn(cur.value, key)) return undefined
      const loc: Loc = { uri: cur.loc.uri, pointer: cur.loc.pointer + '/' + escapeSegment(key) }
      cur = { value: (cur.value as Record<string, unknown>)[key], loc }
    }
    return cur as Node<T> | undefined
  }

  /**
   * Maps a path in the dereferenced document (as swagger-parser and ajv report it) to where that
   * value is written, following `$ref`s along the way.
   */
  locateResolvedPath(segments: readonly string[]): Loc {
    let cur: Node<unknown> = this.node(this.rootLoc)
    for (const seg of segments) {
      const next = this.child(cur, seg)
      if (!next) break
      cur = next
    }
    return (this.resolve(cur) ?? cur).loc
  }

  /** A location as written to reports: display path, pointer, line and column. */
  location(loc: Loc, key = false): Location {
    return locationIn(this.documents.get(loc.uri), loc, key)
  }

  /** A few lines of the source around a location, for evidence. */
  excerpt(loc: Loc): string | undefined {
    const doc = this.documents.get(loc.uri)
    return doc && excerptOf(doc, loc.pointer)
  }
}

export function refOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const ref = (value as Record<string, unknown>)['$ref']
  return typeof ref === 'string' ? ref : undefined
}

/** Keys whose values are data, not description: a `$ref` inside them is an example value, not a reference. */
const DATA_KEYS = new Set(['example', 'default', 'const', 'enum'])
/**
 * Objects whose keys are names (a property called `example` is a schema, not an example; a
 * response called `default` is a response, not a default value).
 */
export const NAME_MAPS: ReadonlySet<string> = new Set([
  'responses',
  'headers',
  'parameters',
  'examples',
  'requestBodies',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'schemas',
  'dependentSchemas',
  'securityDefinitions',
  'content',
  'encoding',
])

/** Where collectRefs is in the document: a value, the key it is under, and its parent's place. */
interface Place {
  value: unknown
  parent: Place | undefined
  /** A member's key, or an item's index. */
  key: string | number
  /** Inside an example or other data value. */
  data: boolean
}

function isDataKey(key: string, parent: Place, value: unknown): boolean {
  // The key the parent is under (escaped or not: no name listed holds '~' or '/').
  const under = parent.parent ? parent.key : ''
  if (typeof under === 'string' && NAME_MAPS.has(under)) return false
  if (DATA_KEYS.has(key) || key.startsWith('x-')) return true
  // An Example object's `value`, and the array of plain values a JSON Schema 2020-12 `examples` holds.
  if (key === 'value' && parent.key !== '' && parent.parent?.parent && parent.parent.key === 'examples')
    return true
  return key === 'examples' && Array.isArray(value)
}

interface RefSite {
  /** Pointer of the object that holds the `$ref`. */
  pointer: string
  /** The keys and indexes of that pointer, unescaped (what kindAt reads). */
  segments: string[]
  /** That object. */
  holder: Record<string, unknown>
  ref: string
  /** True when the `$ref` is inside an example or other data value, and so is no reference. */
  data: boolean
}

/**
 * Every `$ref` string in a document, in document order. Places are kept as a chain of keys and the
 * pointer is written only for the objects that hold a `$ref` (most objects hold none). With
 * `counted`, the objects' members are counted on the way (what parseSource counts to find keys
 * written twice, spared a walk of its own).
 */
function collectRefs(value: unknown, bearing?: WeakSet<object>, counted?: { members: number }): RefSite[] {
  const out: RefSite[] = []
  const stack: Place[] = [{ value, parent: undefined, key: '', data: false }]
  while (stack.length) {
    const place = stack.pop()!
    const v = place.value
    if (v === null || typeof v !== 'object') continue
    if (Array.isArray(v)) {
      // (Only the items that can hold a `$ref`; an index is made a string only in a pointer.)
      for (let i = v.length - 1; i >= 0; i--) {
        const item: unknown = v[i]
        if (item !== null && typeof item === 'object')
          stack.push({ value: item, parent: place, key: i, data: place.data })
      }
      continue
    }
    const ref = (v as Record<string, unknown>)['$ref']
    if (typeof ref === 'string') {
      const segments = segmentsOf(place)
      out.push({
        pointer: joinPointer('', ...segments),
        segments,
        holder: v as Record<string, unknown>,
        ref,
        data: place.data,
      })
      // The object and the ones it is in up to the first already noted (see OpenApiArtifact.bearsRefs).
      if (bearing)
        for (let p: Place | undefined = place; p && !bearing.has(p.value as object); p = p.parent)
          bearing.add(p.value as object)
    }
    const keys = Object.keys(v)
    if (counted) counted.members += keys.length
    // Pushed in reverse so that refs come out in document order.
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!
      const child = (v as Record<string, unknown>)[k]
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, parent: place, key: k, data: place.data || isDataKey(k, place, child) })
    }
  }
  return out
}

/** The keys from the root to a place. */
function segmentsOf(place: Place): string[] {
  const keys: string[] = []
  for (let p: Place = place; p.parent; p = p.parent) keys.push(String(p.key))
  return keys.reverse()
}

/**
 * Loads an OpenAPI description from a file: the root and every local file it references with
 * relative `$ref`s (never outside the root's folder; remote ones only from allowed hosts),
 * then validates it structurally with swagger-parser.
 */
export async function loadOpenApi(file: string, options: LoadOpenApiOptions = {}): Promise<OpenApiArtifact> {
  const rootPath = path.resolve(file)
  const reader =
    options.reader ??
    createDiskReader({ rootDir: path.dirname(rootPath), allowedHosts: options.allowRemoteRefHosts ?? [] })
  return loadOpenApiFrom(toFileUri(rootPath), reader, options)
}

export async function loadOpenApiFrom(
  rootUri: string,
  reader: DocumentReader,
  options: LoadOpenApiOptions = {},
): Promise<OpenApiArtifact> {
  const refBearing = new WeakSet<object>()
  // A JSON document's `$ref`s are collected as parseSource has its members counted: one walk.
  const collected = new Map<unknown, RefSite[]>()
  const collecting = (value: unknown) => {
    const counted = { members: 0 }
    collected.set(value, collectRefs(value, refBearing, counted))
    return counted.members
  }
  const root = parseRead(reader, rootUri, await reader.read(rootUri), collecting)
  const { kind, version } = detectSpec(root)

  const documents = new Map<string, SourceDocument>([[rootUri, root]])
  const refsByDoc = new Map<string, RefSite[]>()
  const refused: RefProblem[] = []
  const queue = [root]
  while (queue.length) {
    const doc = queue.shift()!
    const refs = collected.get(doc.value) ?? collectRefs(doc.value, refBearing)
    collected.delete(doc.value)
    refsByDoc.set(doc.uri, refs)
    for (const { pointer, ref, data } of refs) {
      if (data || ref.startsWith('#')) continue
      let target: URL
      try {
        target = new URL(ref, doc.uri)
      } catch {
        continue // reported as invalid-ref below
      }
      target.hash = ''
      const uri = target.href
      if (documents.has(uri) || refused.some((r) => r.ref === uri)) continue
      let text: string
      try {
        text = await reader.read(uri)
      } catch (e) {
        if (e instanceof RefusedError) {
          refused.push({
            loc: { uri: doc.uri, pointer: joinPointer(pointer, '$ref') },
            ref: uri,
            reason: e.reason,
          })
          continue
        }
        if (isInputError(e)) {
          const pos = positionOf(doc, joinPointer(pointer, '$ref'))
          throw new InputError(`$ref '${ref}' cannot be read: ${e.describe()}`, {
            file: doc.displayPath,
            line: pos?.line,
            column: pos?.column,
            property: pointer + '/$ref',
          })
        }
        throw e
      }
      const parsed = parseRead(reader, uri, text, collecting)
      documents.set(uri, parsed)
      queue.push(parsed)
    }
  }

  const artifact = new OpenApiArtifact(root, documents, kind, version)
  artifact.refBearing = refBearing
  // Refused documents are reported once per place that refers to them.
  const refusedUris = new Map(refused.map((r) => [r.ref, r.reason]))
  for (const [uri, refs] of refsByDoc) {
    for (const { pointer, ref, data } of refs) {
      if (data) {
        artifact.validatorBlanks.push({ uri, pointer })
        continue
      }
      const loc = { uri, pointer: joinPointer(pointer, '$ref') }
      // A ref within its own document (most are) is into a document read: none to parse as a URL.
      let reason: RefProblem['reason'] | undefined
      if (!ref.startsWith('#')) {
        let target: URL
        try {
          target = new URL(ref, uri)
        } catch {
          artifact.refProblems.push({ loc, ref, reason: 'invalid-ref' })
          continue
        }
        target.hash = ''
        reason = refusedUris.get(target.href)
      }
      if (reason) artifact.refProblems.push({ loc, ref, reason })
      else if (!artifact.refTarget(ref, uri))
        artifact.refProblems.push({ loc, ref, reason: 'missing-target' })
      else if (!/#(\/|$)/.test(ref) && ref.includes('#')) artifact.validatorBlanks.push({ uri, pointer })
    }
  }
  // (Lists are joined with concat, not push(...list): a hostile description can make lists longer
  // than a call takes arguments.)
  const chains = refChains(artifact, refsByDoc)
  artifact.structuralProblems = artifact.structuralProblems.concat(chains.problems)
  // swagger-parser would follow them until its stack overflows.
  for (const holder of chains.holders) artifact.validatorBlanks.push(holder)

  if (options.validate !== false) await validateStructure(artifact, refsByDoc)
  return artifact
}

/**
 * `$ref`s that lead only to other `$ref`s, round in a cycle or on for more than MAX_REF_HOPS, and so
 * never to a value (`resolve` gives up on them): one problem per cycle, at the first of its `$ref`s
 * met in document order, and one per chain too long, where it starts. The number of hops from each
 * `$ref` to a value is worked out once, so that ten thousand `$ref`s each to the next cost ten
 * thousand steps, not fifty million.
 */
function refChains(
  artifact: OpenApiArtifact,
  refsByDoc: Map<string, RefSite[]>,
): { problems: StructuralProblem[]; holders: Loc[] } {
  const key = (loc: Loc) => `${loc.uri}#${loc.pointer}`
  // Hops from the object holding a `$ref` to a value; Infinity in or into a cycle.
  const hops = new Map<string, { loc: Loc; hops: number }>()
  // Objects holding a `$ref` that another `$ref` leads to: they start no chain.
  const reached = new Set<string>()
  const problems: StructuralProblem[] = []
  // The $refs followed from one site, and where each is on that path.
  const path: Loc[] = []
  const onPath = new Map<string, number>()
  // Nearly every $ref leads straight to a value (or to nothing, reported as such): those start no
  // chain and are in no cycle, and are passed over without building a key.
  const chained: { uri: string; site: RefSite }[] = []
  for (const [uri, sites] of refsByDoc)
    for (const site of sites) {
      if (site.data) continue
      const target = artifact.refNode(site.ref, uri)
      if (!target || refOf(target.value) === undefined) continue
      chained.push({ uri, site })
      path.length = 0
      onPath.clear()
      let cur: Loc = { uri, pointer: site.pointer }
      let value: unknown = site.holder
      let after = 0
      for (;;) {
        const k = key(cur)
        const known = hops.get(k)
        if (known) {
          after = known.hops
          break
        }
        const ref = refOf(value)
        if (ref === undefined) break
        const seen = onPath.get(k)
        if (seen !== undefined) {
          const cycle = path.splice(seen)
          for (const loc of cycle) hops.set(key(loc), { loc, hops: Infinity })
          const first = cycle[0]!
          const written = `$ref '${refOf(artifact.valueAt(first))}'`
          problems.push({
            loc: { uri: first.uri, pointer: joinPointer(first.pointer, '$ref') },
            message:
              cycle.length === 1
                ? `${written} refers to the object that holds it, so it reaches no value`
                : `${written} is one of ${cycle.length} $refs that refer to each other in a cycle, so none reaches a value`,
          })
          after = Infinity
          break
        }
        onPath.set(k, path.length)
        path.push(cur)
        if (path.length > 1) reached.add(k)
        const next = artifact.refNode(ref, cur.uri)
        if (!next) break // a missing target, reported as such
        cur = next.loc
        value = next.value
      }
      if (path.length && hops.has(key(cur))) reached.add(key(cur))
      for (let i = path.length - 1; i >= 0; i--) hops.set(key(path[i]!), { loc: path[i]!, hops: ++after })
    }
  for (const { uri, site } of chained) {
    const k = key({ uri, pointer: site.pointer })
    const n = hops.get(k)?.hops ?? 0
    if (reached.has(k) || n <= MAX_REF_HOPS || n === Infinity) continue
    problems.push({
      loc: { uri, pointer: joinPointer(site.pointer, '$ref') },
      message: `$ref '${site.ref}' starts a chain of ${n} $refs, each only to the next, before a value; interop follows at most ${MAX_REF_HOPS}`,
    })
  }
  const holders = [...hops.values()].filter((h) => h.hops > MAX_REF_HOPS).map((h) => h.loc)
  return { problems, holders }
}

function detectSpec(root: SourceDocument): { kind: SpecKind; version: string } {
  const v = root.value
  const notOpenApi = (why: string) =>
    new InputError(`This is not an OpenAPI description: ${why}.`, { file: root.displayPath, line: 1 })
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw notOpenApi('the document is not a mapping')
  const obj = v as Record<string, unknown>
  if (typeof obj.openapi === 'string') return { kind: 'openapi', version: obj.openapi }
  if (typeof obj.swagger === 'string') return { kind: 'swagger', version: obj.swagger }
  if (typeof obj.openapi === 'number' || typeof obj.swagger === 'number') {
    const key = 'openapi' in obj ? 'openapi' : 'swagger'
    const pos = root.position('/' + key)
    throw new InputError(`The \`${key}\` version must be a string, e.g. "3.1.0", not a number.`, {
      file: root.displayPath,
      line: pos?.line,
      column: pos?.column,
      property: key,
    })
  }
  // Shaped like OpenAPI but without its version field: a finding of the version rule, not a refusal.
  if (['paths', 'components', 'webhooks'].some((k) => k in obj) && 'info' in obj)
    return { kind: 'openapi', version: '' }
  throw notOpenApi('it has neither an `openapi` nor a `swagger` field at the root')
}

/** Versions swagger-parser can validate; others are reported by the version rule instead. */
const VALIDATABLE = /^(2\.0|3\.0\.[0-4]|3\.1\.[0-2])$/

/**
 * Structural validation against the JSON Schema of the OpenAPI version (and, for Swagger 2,
 * swagger-parser's own checks). It reads documents only through the artifact (never from disk or
 * network itself); its problems are mapped back to where they are written.
 */
async function validateStructure(
  artifact: OpenApiArtifact,
  refsByDoc: Map<string, RefSite[]>,
): Promise<void> {
  if (!VALIDATABLE.test(artifact.specVersion)) {
    artifact.structuralSkipped = artifact.specVersion
      ? `swagger-parser cannot validate ${artifact.kind} ${artifact.specVersion}`
      : 'the description does not say which OpenAPI version it uses'
    return
  }
  // References that cannot be followed are replaced by empty objects in the copy handed to the
  // validator, and problems found inside them are dropped: they are reported as ref problems.
  const blanked = new Map<string, Set<string>>()
  // So are `$ref`s inside example values, which swagger-parser would otherwise try to follow.
  const holders = [...artifact.refProblems.map((p) => p.loc), ...artifact.validatorBlanks]
  for (const p of holders) {
    const holder = p.pointer.replace(/\/\$ref$/, '')
    if (!blanked.has(p.uri)) blanked.set(p.uri, new Set())
    blanked.get(p.uri)!.add(holder)
  }
  // A single-document OpenAPI 3 description is validated where it is written, `$ref`s being Reference
  // Objects the schema allows: each object once, and no copy. Dereferencing first (as swagger-parser
  // does) validates a shared object at every place that uses it, which on a large description
  // (Microsoft Graph: 20 MB) costs seconds and gigabytes; its only other use, swagger-parser's own
  // checks, are for Swagger 2. Descriptions in several files are still dereferenced, so that each
  // file's parts are validated as what they are used as.
  if (artifact.kind === 'openapi' && artifact.documents.size === 1) {
    let problems: StructuralProblem[] = []
    try {
      validateOasSchema(artifact.root.value as Record<string, unknown>)
    } catch (e) {
      problems = mapValidatorError(artifact, e, blanked)
    }
    problems = problems.concat(refUseProblems(artifact, refsByDoc.get(artifact.root.uri) ?? [], blanked))
    const seen = new Set<string>()
    artifact.structuralProblems = artifact.structuralProblems.concat(
      problems.filter((p) => {
        const key = `${p.loc.uri}#${p.loc.pointer}|${p.message}`
        return !seen.has(key) && !!seen.add(key)
      }),
    )
    return
  }
  const copyOf = (uri: string): unknown => {
    const doc = artifact.documents.get(uri)
    if (!doc) return {}
    const copy = structuredClone(doc.value)
    for (const ptr of blanked.get(uri) ?? []) {
      const segs = parsePointer(ptr)
      if (segs.length === 0) return {}
      const parent = getAt(
        copy,
        segs
          .slice(0, -1)
          .map((s) => '/' + escapeSegment(s))
          .join(''),
      ).value
      if (parent && typeof parent === 'object') (parent as Record<string, unknown>)[segs.at(-1)!] = {}
    }
    return copy
  }
  const keyOf = (u: string): string => {
    if (u.startsWith('file:') || /^https?:/.test(u)) return u.replace(/#.*$/, '')
    return toFileUri(decodeURI(u.replace(/#.*$/, '')))
  }
  const rootPath = artifact.root.uri.startsWith('file:')
    ? fileURLToPath(artifact.root.uri)
    : artifact.root.uri
  // swagger-parser dereferences recursively, and its validator then walks every place a shared object
  // is used: a few kilobytes of `$ref`s, each to the next or twice to the next, would overflow its
  // stack or take hours. Such descriptions are not handed to it.
  const blankObjects = new Set<unknown>()
  for (const [uri, pointers] of blanked)
    for (const pointer of pointers) blankObjects.add(artifact.valueAt({ uri, pointer }))
  const expanded = expandedShape(artifact, blankObjects)
  if (expanded.depth > MAX_DEPTH) {
    artifact.structuralSkipped = `its $refs, followed, nest values more than ${MAX_DEPTH} levels deep, deeper than swagger-parser can validate`
    return
  }
  if (expanded.values > MAX_EXPANDED_VALUES) {
    artifact.structuralSkipped = `its $refs, followed, make more than ${MAX_EXPANDED_VALUES.toLocaleString('en')} values, more than swagger-parser validates in reasonable time`
    return
  }
  try {
    // What SwaggerParser.validate does (dereference with cycles kept as $refs, the JSON Schema of
    // the version, then its own checks of the Swagger 2 semantics), with the schema validators
    // compiled at build time rather than on every run.
    // swagger-parser is loaded only here: single-document OpenAPI 3 descriptions do without it.
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser')
    const parser = new SwaggerParser()
    const api = (await parser.dereference(
      rootPath,
      copyOf(artifact.root.uri) as never,
      {
        resolve: {
          external: true,
          file: false,
          http: false,
          artifact: {
            order: 1,
            canRead: true,
            read: (file: { url: string }) => (artifact.documents.get(keyOf(file.url)) ? '{}' : ''),
          },
        },
        parse: {
          json: false,
          yaml: false,
          text: false,
          binary: false,
          artifact: {
            order: 1,
            canParse: true,
            parse: (file: { url: string }) => copyOf(keyOf(file.url)),
          },
        },
        dereference: { circular: 'ignore' },
      } as never,
    )) as unknown as Record<string, unknown>
    validateOasSchema(api)
    swaggerParserPart<(api: unknown) => void>('validators/spec.js')(api)
  } catch (e) {
    // Its stack can still overflow, on shapes not foreseen above; that is no problem of the description.
    if (e instanceof RangeError && /call stack/.test(e.message))
      artifact.structuralSkipped = 'swagger-parser ran out of stack on this description'
    else
      artifact.structuralProblems = artifact.structuralProblems.concat(
        mapValidatorError(artifact, e, blanked),
      )
  }
}

/**
 * Descriptions that make more values than this once their `$refs` are followed are not validated by
 * swagger-parser (about five seconds of its time).
 */
const MAX_EXPANDED_VALUES = 5_000_000

/**
 * How many values a description has once its `$ref`s are replaced by what they refer to, and how
 * deeply they then nest, as swagger-parser dereferences it (a `$ref` to an object that is being
 * expanded stays a `$ref`; `blanked` objects are empty). Each object is worked out once, with a
 * stack of its own: followed `$ref`s can nest deeper than recursion could.
 */
function expandedShape(artifact: OpenApiArtifact, blanked: Set<unknown>): { values: number; depth: number } {
  type Shape = { values: number; depth: number }
  interface Frame extends Shape {
    value: object
    uri: string
    children: unknown[]
    next: number
  }
  const done = new Map<object, Shape>()
  const expanding = new Set<object>()
  const frames: Frame[] = []
  const LEAF: Shape = { values: 1, depth: 1 }
  // The shape of a value when it is known already, or undefined when it was opened to be worked out.
  const visit = (raw: unknown, uri: string): Shape | undefined => {
    if (raw === null || typeof raw !== 'object') return { values: 1, depth: 0 }
    if (blanked.has(raw)) return LEAF
    let value: unknown = raw
    if (refOf(raw) !== undefined) {
      const target = artifact.resolve({ value: raw, loc: { uri, pointer: '' } })
      if (!target || target.value === null || typeof target.value !== 'object' || blanked.has(target.value))
        return LEAF
      value = target.value
      uri = target.loc.uri
    }
    const obj = value as object
    const known = done.get(obj)
    if (known) return known
    if (expanding.has(obj)) return LEAF
    expanding.add(obj)
    const children = Array.isArray(obj) ? obj : Object.values(obj)
    frames.push({ value: obj, uri, children, next: 0, values: 1, depth: 1 })
    return undefined
  }
  const add = (to: Shape, child: Shape) => {
    to.values += child.values
    to.depth = Math.max(to.depth, child.depth + 1)
  }
  const first = visit(artifact.root.value, artifact.root.uri)
  if (first) return first
  for (;;) {
    const frame = frames.at(-1)!
    if (frame.next < frame.children.length) {
      const shape = visit(frame.children[frame.next++], frame.uri)
      if (shape) add(frame, shape)
      continue
    }
    frames.pop()
    expanding.delete(frame.value)
    const shape = { values: frame.values, depth: frame.depth }
    done.set(frame.value, shape)
    const parent = frames.at(-1)
    if (!parent) return shape
    add(parent, shape)
  }
}

const requireHere = createRequire(import.meta.url)

type KindState = OasKind | 'root' | 'paths' | 'components' | 'Operation' | 'MediaType' | 'Encoding'
/** Where a pointer is in an OpenAPI 3 description: a kind of object, or a map or list of them. */
type KindWhere = KindState | `map:${string}` | `list:${string}`

/**
 * What a place in an OpenAPI 3 document holds, from its path alone (the OpenAPI grammar), or
 * undefined for places that hold none of the kinds (data, extensions, other fields).
 */
export function kindAt(segments: readonly string[]): OasKind | undefined {
  let state: KindWhere = 'root'
  let previous = ''
  for (const seg of segments) {
    const next = kindStep(state, previous, seg)
    if (next === undefined) return undefined
    state = next
    previous = seg
  }
  return state.includes(':') || !(OAS_KIND_SET as Set<string>).has(state) ? undefined : (state as OasKind)
}

/** One step down from `state` (reached with the segment `previous`) by the segment `seg`. */
function kindStep(state: KindWhere, previous: string, seg: string): KindWhere | undefined {
  let next: KindWhere | undefined
  if (state === 'Schema' && previous === 'items' && INDEX.test(seg)) next = 'Schema'
  else if (state.startsWith('map:')) {
    const kind = state.slice(4)
    // In maps of names (not properties), `x-` keys are extensions.
    next = seg.startsWith('x-') && kind !== 'Schema' ? undefined : (kind as KindState)
  } else if (state.startsWith('list:')) next = INDEX.test(seg) ? (state.slice(5) as KindState) : undefined
  else
    switch (state) {
      case 'root':
        next =
          seg === 'paths' || seg === 'webhooks'
            ? 'map:PathItem'
            : seg === 'components'
              ? 'components'
              : undefined
        break
      case 'components': {
        const section = field(COMPONENT_SECTIONS, seg)
        next = section && (`map:${section}` as const)
        break
      }
      case 'PathItem':
        next = (PATH_ITEM_METHODS as readonly string[]).includes(seg)
          ? 'Operation'
          : seg === 'parameters'
            ? 'list:Parameter'
            : undefined
        break
      case 'Operation':
      case 'Parameter':
      case 'Header':
      case 'RequestBody':
      case 'Response':
      case 'MediaType':
      case 'Encoding':
        next = field(FIELDS[state], seg)
        break
      case 'Callback':
        next = 'PathItem'
        break
      case 'Schema':
        next = SUBSCHEMA_MAP.has(seg)
          ? 'map:Schema'
          : SUBSCHEMA_LIST.has(seg)
            ? 'list:Schema'
            : SUBSCHEMA_ONE.has(seg)
              ? 'Schema'
              : undefined
        break
      default:
        next = undefined
    }
  return next
}

/** A table's own field only: a key such as `constructor` in a document must not find Object's members. */
function field<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}
const INDEX = /^\d+$/

// What the fields of each kind of object that holds others hold (kindStep).
const FIELDS: Record<
  'Operation' | 'Parameter' | 'Header' | 'RequestBody' | 'Response' | 'MediaType' | 'Encoding',
  Record<string, KindWhere>
> = {
  Operation: {
    parameters: 'list:Parameter',
    requestBody: 'RequestBody',
    responses: 'map:Response',
    callbacks: 'map:Callback',
  },
  Parameter: { schema: 'Schema', content: 'map:MediaType', examples: 'map:Example' },
  Header: { schema: 'Schema', content: 'map:MediaType', examples: 'map:Example' },
  RequestBody: { content: 'map:MediaType' },
  Response: { headers: 'map:Header', content: 'map:MediaType', links: 'map:Link' },
  MediaType: { schema: 'Schema', examples: 'map:Example', encoding: 'map:Encoding' },
  Encoding: { headers: 'map:Header' },
}

const COMPONENT_SECTIONS: Record<string, OasKind> = {
  schemas: 'Schema',
  parameters: 'Parameter',
  responses: 'Response',
  requestBodies: 'RequestBody',
  headers: 'Header',
  examples: 'Example',
  links: 'Link',
  callbacks: 'Callback',
  securitySchemes: 'SecurityScheme',
  pathItems: 'PathItem',
}
const OAS_KIND_SET = new Set<string>(Object.values(COMPONENT_SECTIONS))

/**
 * A single-document description is validated where it is written, so a `$ref`'s target is validated
 * as what it is where it is written (a schema under components/schemas as a Schema). Where it is used
 * as something else (a parameter's `$ref` in a schema's `items`), it is validated once more as that,
 * as a dereferenced description would be, and problems are said at the place of use.
 */
function refUseProblems(
  artifact: OpenApiArtifact,
  sites: RefSite[],
  blanked: Map<string, Set<string>>,
): StructuralProblem[] {
  const version = oasVersion(artifact.root.value as Record<string, unknown>)
  if (version === 'v2') return []
  const done = new Set<string>()
  const kinds = new Map<string, OasKind | null>()
  const problems: StructuralProblem[] = []
  for (const site of sites) {
    if (site.data || !site.ref.startsWith('#')) continue
    const kind = kindAt(site.segments)
    if (!kind) continue
    const target = artifact.resolve({
      value: site.holder,
      loc: { uri: artifact.root.uri, pointer: site.pointer },
    })
    if (!target || target.loc.uri !== artifact.root.uri) continue
    // Many sites share a target.
    let targetKind = kinds.get(target.loc.pointer)
    if (targetKind === undefined)
      kinds.set(target.loc.pointer, (targetKind = kindAt(parsePointer(target.loc.pointer)) ?? null))
    if (targetKind === kind) continue
    const key = `${target.loc.pointer}|${kind}`
    if (done.has(key)) continue
    done.add(key)
    const validate = oasDefinition(version, kind)
    if (!validate || validate(target.value)) continue
    const details = (validate.errors ?? []).map((e) => ({
      ...e,
      instancePath: site.pointer + e.instancePath,
    }))
    problems.push(...mapValidatorError(artifact, { details }, blanked))
  }
  return problems
}

/** Which of swagger-parser's schemas a description is validated against. */
function oasVersion(api: Record<string, unknown>): 'v2' | 'v3' | 'v31' {
  if (api.swagger) return 'v2'
  return String(api.openapi).startsWith('3.1') ? 'v31' : 'v3'
}

const definitionValidators = new Map<string, ValidateFunction | undefined>()

/** The validator of one definition of an OpenAPI version's JSON Schema (built at build time when it can be). */
function oasDefinition(version: 'v3' | 'v31', kind: OasKind): ValidateFunction | undefined {
  const name = `${version}#${kind}`
  if (definitionValidators.has(name)) return definitionValidators.get(name)
  const pointer = OAS_DEFINITIONS[version][kind]
  let validate = precompiled(version === 'v3' ? 'oas30' : 'oas31', name, oasSchemasKey(requireHere))
  if (!validate && pointer) {
    const schema = oasSchemas(requireHere)[version] as { id?: string; $id?: string }
    // As swagger-parser's validators/schema.js sets ajv up (only when the build has no validator).
    const Ajv = requireHere(version === 'v3' ? 'ajv-draft-04' : 'ajv/dist/2020') as {
      default: new (options: object) => {
        addSchema(s: object): void
        getSchema(id: string): ValidateFunction | undefined
      }
    }
    const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: false })
    ajv.addSchema(schema)
    validate = ajv.getSchema(`${schema.$id ?? schema.id}#${pointer}`)
  }
  definitionValidators.set(name, validate)
  return validate
}

/** A module of swagger-parser's own (its validators), loaded from the installed package. */
function swaggerParserPart<T>(file: string): T {
  const main = requireHere.resolve('@apidevtools/swagger-parser')
  return createRequire(main)(path.join(path.dirname(main), file)) as T
}

/**
 * Validates a dereferenced description against the JSON Schema of its version and throws the
 * errors as swagger-parser's validators/schema.js does, with the validator compiled at build time
 * when there is one (else swagger-parser compiles it, as before).
 */
function validateOasSchema(api: Record<string, unknown>): void {
  const name = oasVersion(api)
  const module = ({ v2: 'oas2', v3: 'oas30', v31: 'oas31' } as const)[name]
  const validate = precompiled(module, name, oasSchemasKey(requireHere))
  if (!validate) return swaggerParserPart<(api: unknown) => void>('validators/schema.js')(api)
  if (validate(api)) return
  throw Object.assign(new SyntaxError('Swagger schema validation failed.'), { details: validate.errors })
}

interface AjvError {
  instancePath: string
  schemaPath?: string
  keyword: string
  message?: string
  params?: Record<string, unknown>
}

function mapValidatorError(
  artifact: OpenApiArtifact,
  e: unknown,
  blanked: Map<string, Set<string>>,
): StructuralProblem[] {
  const err = e as Error & { details?: AjvError[] }
  const inBlanked = (loc: Loc) =>
    [...(blanked.get(loc.uri) ?? [])].some((p) => loc.pointer === p || loc.pointer.startsWith(p + '/'))
  if (Array.isArray(err.details)) {
    const problems: StructuralProblem[] = []
    const seen = new Set<string>()
    for (const d of pruneAjvErrors(err.details)) {
      const segs = parsePointer(d.instancePath)
      let message = d.message ?? 'is invalid'
      let loc = artifact.locateResolvedPath(segs)
      if (d.keyword === 'additionalProperties' && typeof d.params?.additionalProperty === 'string') {
        const extra = d.params.additionalProperty
        message = `has a property '${extra}' that is not allowed here`
        loc = { uri: loc.uri, pointer: joinPointer(loc.pointer, extra) }
      } else if (d.keyword === 'required' && typeof d.params?.missingProperty === 'string') {
        message = `must have the property '${d.params.missingProperty}'`
      } else if (d.keyword === 'enum' && Array.isArray(d.params?.allowedValues)) {
        message = `must be one of ${d.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
      }
      if (inBlanked(loc) || contradicted(artifact, loc, d)) continue
      // An unresolvable reference is seen as an empty object; the reference itself is the problem.
      const at = artifact.node(loc)
      if (refOf(at.value) !== undefined && !artifact.resolve(at)) continue
      const where = d.instancePath === '' ? 'The document' : `'${d.instancePath}'`
      const key = `${loc.uri}#${loc.pointer}|${message}`
      if (seen.has(key)) continue
      seen.add(key)
      problems.push({ loc, message: `${where} ${message}` })
    }
    return mergeEnumProblems(problems)
  }
  // swagger-parser's semantic checks stop at the first problem and name it in the message.
  const message = String(err.message ?? err).replace(/^Validation failed\.\s*/, '')
  return [{ loc: locateMessage(artifact, message), message }]
}

/**
 * swagger-parser validates with circular references left as `$ref`s, so in a description with
 * cycles it can claim that an object reached through one lacks a property it has, or has one it
 * does not. Such claims are checked against the place they are mapped to.
 */
function contradicted(artifact: OpenApiArtifact, loc: Loc, d: AjvError): boolean {
  if (d.keyword === 'required' && typeof d.params?.missingProperty === 'string') {
    const at = artifact.resolve(artifact.node(loc))
    return (
      !!at &&
      at.value !== null &&
      typeof at.value === 'object' &&
      Object.hasOwn(at.value, d.params.missingProperty)
    )
  }
  if (d.keyword === 'additionalProperties') return artifact.valueAt(loc) === undefined
  return false
}

/**
 * A value that matches none of several alternatives gets one "must be one of" per alternative;
 * they are said once, with all the allowed values.
 */
function mergeEnumProblems(problems: StructuralProblem[]): StructuralProblem[] {
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
 * Keeps the most telling errors. Where a value matches none of a oneOf/anyOf's alternatives, only the
 * errors of the alternative it came closest to are kept: the one that failed on fewest keywords,
 * preferring one whose failures are not an enum or const mismatch (which says "another kind of
 * object"). A path parameter without `required: true` is then reported as that, not as "`in` must
 * be query, header or cookie". Then summaries and "is not a $ref" alternatives are dropped, and
 * errors about a value whose parts have errors of their own.
 */
function pruneAjvErrors(errors: AjvError[]): AjvError[] {
  const dropped = new Set<AjvError>()
  for (const e of errors) {
    if ((e.keyword !== 'oneOf' && e.keyword !== 'anyOf') || !e.schemaPath) continue
    const prefix = e.schemaPath + '/'
    const branches = groupBy(errors, (o) =>
      o.schemaPath?.startsWith(prefix) &&
      (o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/'))
        ? o.schemaPath.slice(prefix.length).split('/')[0]!
        : undefined,
    )
    if (branches.size < 2) continue
    const cost = (list: AjvError[]) =>
      list.length + (list.some((o) => o.keyword === 'enum' || o.keyword === 'const') ? 1000 : 0)
    const best = [...branches.values()].sort((a, b) => cost(a) - cost(b))[0]!
    for (const list of branches.values()) if (list !== best) for (const o of list) dropped.add(o)
  }
  const useful = errors.filter(
    (e) =>
      !dropped.has(e) &&
      !['oneOf', 'anyOf', 'if', 'not', '$ref'].includes(e.keyword) &&
      !(e.keyword === 'required' && e.params?.missingProperty === '$ref'),
  )
  const list = useful.length ? useful : errors
  return list.filter(
    (e) =>
      !list.some(
        (o) =>
          o !== e && o.instancePath.startsWith(e.instancePath + '/') && e.keyword !== 'additionalProperties',
      ),
  )
}

/** Finds the path named in one of swagger-parser's semantic messages (`/paths/{id}/get ...`). */
function locateMessage(artifact: OpenApiArtifact, message: string): Loc {
  const paths = (artifact.root.value as Record<string, unknown>).paths
  const m = message.match(/\/paths\/(\S+)/)
  if (m && paths && typeof paths === 'object') {
    const rest = m[1]!
    const names = Object.keys(paths)
      .filter((p) => rest.startsWith(p.replace(/^\//, '')))
      .sort((a, b) => b.length - a.length)
    if (names[0]) {
      const after = rest.slice(names[0].replace(/^\//, '').length).split('/').filter(Boolean)
      return artifact.locateResolvedPath(['paths', names[0], ...after.slice(0, 1)])
    }
  }
  const op = message.match(/operation id '([^']+)'/)
  if (op && paths && typeof paths === 'object') {
    for (const [p, item] of Object.entries(paths))
      for (const [method, o] of Object.entries((item ?? {}) as Record<string, unknown>))
        if ((o as { operationId?: unknown })?.operationId === op[1])
          return artifact.locateResolvedPath(['paths', p, method, 'operationId'])
  }
  return artifact.rootLoc
}
