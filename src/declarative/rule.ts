import { defineRule, roundOf, type Rule, type RuleContext } from '../core/define-rule.js'
import { remembered } from '../core/memo.js'
import type { Loc, Node, Severity, SeveritySetting } from '../core/types.js'
import type { OpenApiArtifact } from '../loaders/openapi.js'
import { refOf } from '../loaders/openapi.js'
import { unescapeSegment } from '../loaders/json-index.js'
import { getAt, joinPointer, type PositionStyle } from '../loaders/source.js'
import {
  functionSchemaValidator,
  isPlainObject,
  printValue,
  type FunctionResult,
  type RuleFunction,
} from './functions.js'
import { isRecursive, prefetch, query, walksOnce, type PathSegment } from './jsonpath.js'
import { markShared, markTree } from './jsonpath-walk.js'

/** Document formats a rule or alias can be limited to, as Spectral names them. */
export type FormatName = 'oas2' | 'oas3' | 'oas3.0' | 'oas3.1'
export const FORMAT_NAMES: Record<FormatName, string> = {
  oas2: 'OpenAPI 2.0 (Swagger)',
  oas3: 'OpenAPI 3.x',
  'oas3.0': 'OpenAPI 3.0.x',
  'oas3.1': 'OpenAPI 3.1.x',
}

/** The formats a document is in (Spectral's detection: the major version of `swagger` or `openapi`). */
export function formatsOf(document: unknown): Set<FormatName> {
  const out = new Set<FormatName>()
  if (!isPlainObject(document)) return out
  if ('swagger' in document && parseInt(String(document.swagger)) === 2) out.add('oas2')
  if ('openapi' in document && parseInt(String(document.openapi)) === 3) {
    out.add('oas3')
    const v = String(document.openapi)
    if (/^3\.0(?:\.[0-9]*)?$/.test(v)) out.add('oas3.0')
    if (/^3\.1(?:\.[0-9]*)?$/.test(v)) out.add('oas3.1')
  }
  return out
}

export interface ThenClause {
  field?: string
  function: string
  functionOptions?: unknown
}

/** An alias: one list of paths, or lists that apply to documents of given formats. */
export type AliasDefinition = string[] | { formats?: FormatName[]; given: string[] }[]

/** A rule written as data: where to look (`given`), what to check there (`then`), what to say. */
export interface DeclarativeRuleDefinition {
  id: string
  description?: string
  message?: string
  given: string[]
  then: ThenClause[]
  /** Run on the document with `$ref`s resolved (default), or as written. */
  resolved: boolean
  /** Only for documents in one of these formats; all documents when absent. */
  formats?: FormatName[]
  documentationUrl?: string
  /** Aliases the `given` paths may start with (`#Name`). */
  aliases: Record<string, AliasDefinition>
  /** Positions as Spectral reports them (objects start after their key), for Spectral rulesets. */
  positionStyle?: PositionStyle
  /** The severity the rule has where a ruleset turns it on without saying one. */
  severityDefault?: SeveritySetting
  /** Severity per document: by the document's path relative to the ruleset (Spectral `overrides`). */
  severityFor?: (documentUri: string, pointer: string) => Severity | 'off' | undefined
  /** The rules loaded with this one, whose paths are evaluated together (one walk per document). */
  batch?: QueryBatch
}

/**
 * The declarative rules of one ruleset. When the first of them runs on a document, the paths of
 * all of them are evaluated in one walk of it (see `walkPaths`); each rule then finds its matches.
 */
export class QueryBatch {
  private readonly entries: { def: DeclarativeRuleDefinition; rule: Rule }[] = []
  private readonly done = new WeakSet<object>()

  add(def: DeclarativeRuleDefinition, rule: Rule): void {
    this.entries.push({ def, rule })
  }

  /**
   * Evaluates the paths of the rules that run (`round`: all of them when not known) on the
   * description, once per description. A ruleset that extends spectral:oas with its rules off
   * (NL ADR's) would otherwise walk every recursive path of the rules it turned off.
   */
  prefetch(api: OpenApiArtifact, formats: ReadonlySet<FormatName>, round?: ReadonlySet<Rule>): void {
    if (this.done.has(api)) return
    this.done.add(api)
    const running = this.entries.filter((e) => !round || round.has(e.rule)).map((e) => e.def)
    for (const resolved of [true, false]) {
      const paths = running
        .filter((d) => d.resolved === resolved && (!d.formats || d.formats.some((f) => formats.has(f))))
        .flatMap((d) => d.given.flatMap((g) => expandGiven(g, d.aliases, formats)))
      if (paths.length) prefetch(resolved ? resolvedDocument(api) : writtenDocument(api), paths)
    }
  }
}

/** Whether a function takes the value, by the schema of its input (compiled at build when it can be). */
function acceptsInput(name: string, fn: RuleFunction, value: unknown): boolean {
  return !fn.input || functionSchemaValidator(`${name}#input`, fn.input)(value)
}

/** Expands `#Alias` at the start of a path, for a document of the given formats. */
export function expandGiven(
  given: string,
  aliases: Record<string, AliasDefinition>,
  formats: ReadonlySet<FormatName>,
  seen: string[] = [],
): string[] {
  const m = /^#([A-Za-z0-9_-]+)(.*)$/s.exec(given)
  if (!m) return [given]
  const [, name, rest] = m as unknown as [string, string, string]
  const alias = aliases[name]
  if (alias === undefined || seen.includes(name)) return []
  const paths =
    Array.isArray(alias) && alias.every((a) => typeof a === 'string')
      ? (alias as string[])
      : (alias as { formats?: FormatName[]; given: string[] }[])
          .filter((t) => !t.formats || t.formats.some((f) => formats.has(f)))
          .flatMap((t) => t.given)
  return paths.flatMap((p) => expandGiven(p + rest, aliases, formats, [...seen, name]))
}

/** The root document as written, its `$ref`s not followed: as parsed, a tree (see markTree). */
function writtenDocument(api: OpenApiArtifact): unknown {
  const root = api.root.value
  if (root !== null && typeof root === 'object') markTree(root)
  return root
}

const resolvedCache = new WeakMap<OpenApiArtifact, unknown>()

/**
 * The description with every `$ref` replaced by what it points at, as Spectral's rules see it by
 * default. A reference back into an object being resolved (a cycle) stays a `$ref`; one that cannot
 * be followed stays as written. Objects reached through several references are shared.
 */
export function resolvedDocument(api: OpenApiArtifact): unknown {
  if (resolvedCache.has(api)) return resolvedCache.get(api)
  const memo = new Map<string, unknown>()
  const active = new Set<string>()
  // Values with no `$ref` in them are taken as they are written (the loader noted which hold one:
  // api.bearsRefs); only the objects and arrays that hold one are copied, each copied whole and then
  // changed where a member differs, which is much cheaper than adding members one by one. The
  // target of a `$ref` is always a value of its own, apart from the one at the target's place, as a
  // copy would be: walks tell the places a shared value is reached at apart by the value.
  const build = (value: unknown, uri: string): unknown => {
    if (value === null || typeof value !== 'object' || !api.bearsRefs(value)) return value
    if (Array.isArray(value)) {
      let out: unknown[] | undefined
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i]
        const b = build(v, uri)
        if (b !== v) (out ??= value.slice())[i] = b
      }
      return out ?? value
    }
    if (!isPlainObject(value)) return value
    const ref = refOf(value)
    if (ref !== undefined) {
      const target = api.refTarget(ref, uri)
      if (!target) return value
      const key = `${target.uri}#${target.pointer}`
      if (memo.has(key)) return memo.get(key)
      if (active.has(key)) return value
      active.add(key)
      const written = api.valueAt(target)
      let built = build(written, target.uri)
      if (built === written && written !== null && typeof written === 'object') built = copyOf(written)
      active.delete(key)
      memo.set(key, built)
      return built
    }
    const keys = Object.keys(value)
    let out: Record<string, unknown> | undefined
    for (let i = 0; i < keys.length; i++) {
      const v = value[keys[i]!]
      const b = build(v, uri)
      // (Spread defines a `__proto__` member as an own one, which an assignment then only changes.)
      if (b !== v) (out ??= { ...value })[keys[i]!] = b
    }
    return out ?? value
  }
  let resolved = build(api.root.value, api.root.uri)
  // A document of its own, even with no `$ref` (walks keep what they found by document).
  if (resolved === api.root.value && resolved !== null && typeof resolved === 'object')
    resolved = copyOf(resolved)
  if (isPlainObject(resolved)) {
    const shared = new WeakSet<object>()
    for (const v of memo.values()) if (v !== null && typeof v === 'object') shared.add(v)
    markShared(resolved, shared)
  }
  resolvedCache.set(api, resolved)
  return resolved
}

/** A shallow copy of an array or a plain object (spread defines `__proto__` as an own member). */
function copyOf(value: object): unknown {
  return Array.isArray(value) ? value.slice() : { ...value }
}

const expandedCache = new WeakMap<OpenApiArtifact, number>()

/**
 * How many values the resolved description has when every shared object is counted at each place
 * it is reached: what a recursive path (`$..x`) walks. Descriptions that reuse schemas heavily
 * (Stripe's) reach hundreds of millions.
 */
export function expandedSize(api: OpenApiArtifact): number {
  const cached = expandedCache.get(api)
  if (cached !== undefined) return cached
  const sizes = new WeakMap<object, number>()
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1
    const known = sizes.get(v)
    if (known !== undefined) return known
    sizes.set(v, 1) // a cycle counts once
    let n = 1
    for (const child of Object.values(v)) {
      n += size(child)
      if (n > Number.MAX_SAFE_INTEGER / 2) break
    }
    sizes.set(v, n)
    return n
  }
  const n = size(resolvedDocument(api))
  expandedCache.set(api, n)
  return n
}

/** Above this many values, recursive paths are not walked on the resolved description. */
export const MAX_EXPANDED_VALUES = 5_000_000

/**
 * Where a path of the document a rule ran on is written: the deepest part of it that exists, with
 * `$ref`s followed for a resolved rule, the part of the path that does not exist, and the node
 * there (what the document holds at `loc`).
 */
export function locatePath(
  api: OpenApiArtifact,
  path: readonly PathSegment[],
  resolved: boolean,
): { loc: Loc; missing: PathSegment[]; node: Node<unknown> } {
  if (!resolved) {
    let cur: unknown = api.root.value
    let i = 0
    for (; i < path.length; i++) {
      const key = String(path[i])
      if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) break
      cur = (cur as Record<string, unknown>)[key]
    }
    const loc = { uri: api.root.uri, pointer: joinPointer('', ...path.slice(0, i)) }
    return { loc, missing: path.slice(i), node: { value: cur, loc } }
  }
  let cur = api.node(api.rootLoc)
  for (let i = 0; i < path.length; i++) {
    const next = api.child(cur, path[i]!)
    if (!next) {
      const end = api.resolve(cur) ?? cur
      return { loc: end.loc, missing: path.slice(i), node: end }
    }
    cur = next
  }
  const end = api.resolve(cur) ?? cur
  return { loc: end.loc, missing: [], node: end }
}

/** A path as Spectral prints it in messages and output: `paths./pets.get.responses[200]`. */
export function printDotPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, seg, i) => {
    const s = String(seg)
    if (typeof seg === 'number') return `${out}[${seg}]`
    if (s === '') return `${out}['']`
    if (/\s/.test(s)) return `${out}['${s}']`
    if (!Number.isNaN(Number(s))) return `${out}[${s}]`
    return `${out}${i === 0 ? '' : '.'}${s}`
  }, '')
}

interface MessageVars {
  property: string
  error: string
  path: string
  description: string | undefined
  value: unknown
}

/**
 * Fills a message template: `{{property}}`, `{{value}}`, `{{error}}`, `{{path}}`, `{{description}}`,
 * and `#{{print("property")}}` / `#{{print("value")}}`. Nothing in a template is evaluated.
 */
export function interpolate(template: string, vars: MessageVars): string {
  const parts = templateParts(template)
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    out += typeof part === 'string' ? part : fill(part, vars)
  }
  return out
}

/** A placeholder of a template: `{{id}}`, or `#{{print("id")}}` (`print` set). */
interface Placeholder {
  id: string
  hash: boolean
  /** What #{{print(…)}} prints; undefined for any other #{{…}}, which is left out. */
  print?: string
}

const PLACEHOLDER = /(#?)\{\{([^}\n]+)\}\}/g
const templates = new Map<string, readonly (string | Placeholder)[]>()

/** A template as its text and its placeholders, in order: worked out once per template (a rule's message). */
function templateParts(template: string): readonly (string | Placeholder)[] {
  return remembered(templates, template, 10_000, parseTemplate)
}

function parseTemplate(template: string): readonly (string | Placeholder)[] {
  const list: (string | Placeholder)[] = []
  let last = 0
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) list.push(template.slice(last, m.index))
    const id = m[2]!.trim()
    const hash = m[1] === '#'
    const call = hash ? /^print\(\s*["']([a-z]+)["']\s*\)$/.exec(id) : null
    list.push({ id, hash, ...(call && { print: call[1]! }) })
    last = m.index + m[0].length
  }
  if (last < template.length) list.push(template.slice(last))
  return list
}

function fill(p: Placeholder, vars: MessageVars): string {
  if (p.hash) {
    if (p.print === undefined) return ''
    if (p.print === 'property') return vars.property !== '' ? `"${vars.property}" property ` : 'The document '
    if (p.print === 'value') return printValue(vars.value)
    const v = vars[p.print as keyof MessageVars]
    return v === undefined || v === null ? '' : String(v)
  }
  if (!(p.id in vars)) return ''
  return String(vars[p.id as keyof MessageVars])
}

/** Splits a `field` the way lodash's toPath does: `info.contact`, `a[0].b`, `['x.y']`. */
export function fieldPath(field: string): string[] {
  const out: string[] = []
  const re =
    /[^.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]|(?=(?:\.|\[\])(?:\.|\[\]|$))/g
  if (field.startsWith('.')) out.push('')
  field.replace(re, (match, number: string, quote: string, sub: string) => {
    out.push(quote ? sub.replace(/\\(\\)?/g, '$1') : (number ?? match))
    return match
  })
  return out
}

function getIn(value: unknown, path: readonly string[]): unknown {
  let cur = value
  for (const seg of path) {
    if (cur === null || cur === undefined) return undefined
    cur = (cur as Record<string, unknown>)[seg]
    if (typeof cur === 'function') return undefined
  }
  return cur
}

function lintTargets(value: unknown, field: string | undefined): { path: PathSegment[]; value: unknown }[] {
  const targets: { path: PathSegment[]; value: unknown }[] = []
  if (value !== null && typeof value === 'object' && field !== undefined) {
    if (field === '@key') for (const key of Object.keys(value)) targets.push({ path: [key], value: key })
    else if (field.startsWith('$')) targets.push(...query(value, field))
    else {
      const path = fieldPath(field)
      targets.push({ path, value: getIn(value, path) })
    }
  } else targets.push({ path: [], value })
  if (!targets.length) targets.push({ path: [], value: undefined })
  return targets
}

/**
 * A rule object, like the shipped rules, that runs a declarative definition over an OpenAPI
 * description. Findings are placed where the value is written, following `$ref`s back to it.
 */
export function declarativeRule(
  def: DeclarativeRuleDefinition,
  functions: Readonly<Record<string, RuleFunction>>,
): Rule {
  const placeholders = (t: string) => t.replace(/#?\{\{[^}]*\}\}/g, '…')
  const title = def.description ?? (def.message !== undefined ? placeholders(def.message) : def.id)
  const said = def.message !== undefined ? placeholders(def.message) : undefined
  // A message that is only placeholders ('{{error}}') says nothing by itself.
  const failureTitle = said && said.replace(/…/g, '').trim().length > 3 ? said : title
  const rule = defineRule({
    meta: {
      id: def.id,
      title,
      failureTitle,
      description: def.description ?? '',
      fix: '',
      sources: def.documentationUrl ? [{ title: def.id, url: def.documentationUrl }] : [],
      requires: ['openapi'],
      messages: { finding: '{{message}}' },
    },
    check(ctx: RuleContext) {
      const api = ctx.artifacts.openapi!
      const formats = formatsOf(api.root.value)
      if (def.formats && !def.formats.some((f) => formats.has(f))) {
        ctx.notApplicable(`only for ${def.formats.map((f) => FORMAT_NAMES[f]).join(', ')} documents`)
        return
      }
      const givens = def.given.flatMap((g) => expandGiven(g, def.aliases, formats))
      if (
        def.resolved &&
        givens.some((g) => isRecursive(g) && !walksOnce(g)) &&
        expandedSize(api) > MAX_EXPANDED_VALUES
      ) {
        // Walking every place a shared object is reached would take hours; say so instead.
        ctx.notChecked(
          `its recursive JSONPath (..) would walk ${expandedSize(api).toExponential(1)} values of this description with its $refs resolved, more than ${MAX_EXPANDED_VALUES.toLocaleString('en')}`,
        )
        return
      }
      def.batch?.prefetch(api, formats, roundOf(ctx))
      const document = def.resolved ? resolvedDocument(api) : writtenDocument(api)
      const report = (path: PathSegment[], result: FunctionResult) => {
        const located = result.loc ? undefined : locatePath(api, path, def.resolved)
        const loc = result.loc ?? located!.loc
        const missing = located?.missing ?? []
        const doc = api.documents.get(loc.uri)
        // The property and the value are worked out when a message names them (most do not: a
        // ruleset's finding on a large description is one of thousands).
        let property: string | undefined
        let value: { is: unknown } | undefined
        const vars: MessageVars = {
          get property() {
            if (property === undefined) {
              // The pointer's last segment: the name the value has where it is written.
              const at = loc.pointer.lastIndexOf('/')
              const last = at === -1 ? [] : [unescapeSegment(loc.pointer.slice(at + 1))]
              property =
                missing.length > 0 ? printDotPath([...last, ...missing]) : last.length ? last[0]! : ''
            }
            return property
          },
          error: result.message,
          path: '#' + loc.pointer,
          description: def.description,
          get value() {
            // What the path led to, as the walk that placed it found it (or, for a place a function
            // gave, read from its document).
            value ??= {
              is: located ? located.node.value : doc ? getAt(doc.value, loc.pointer).value : undefined,
            }
            return value.is
          },
        }
        const resultMessage = interpolate(result.message, vars)
        vars.error = resultMessage
        const message = (
          def.message === undefined ? (def.description ?? resultMessage) : interpolate(def.message, vars)
        ).trim()
        const severity = def.severityFor?.(loc.uri, loc.pointer)
        if (severity === 'off') return
        ctx.report({
          messageId: 'finding',
          data: { message },
          loc,
          positionStyle:
            def.positionStyle === 'after-key' && (loc.uri === api.root.uri || doc?.format === 'yaml')
              ? 'after-key'
              : 'value',
          ...(severity ? { severity } : {}),
        })
      }
      for (const given of givens) {
        for (const node of query(document, given)) {
          for (const then of def.then) {
            const fn = functions[then.function]!
            for (const target of lintTargets(node.value, then.field)) {
              const path = [...node.path, ...target.path]
              if (!acceptsInput(then.function, fn, target.value)) {
                if (fn.invalidInput) report(path, { message: fn.invalidInput })
                continue
              }
              const results = fn.run(target.value, then.functionOptions ?? null, {
                path,
                document,
                artifact: api,
                resolved: def.resolved,
              })
              for (const r of results ?? []) report(r.path ?? path, r)
            }
          }
        }
      }
    },
  })
  rule.definition = {
    given: def.given.length === 1 ? def.given[0] : def.given,
    then: def.then.length === 1 ? def.then[0] : def.then,
    ...(def.message !== undefined ? { message: def.message } : {}),
    ...(def.resolved ? {} : { resolved: false }),
    ...(def.formats ? { formats: def.formats } : {}),
  }
  def.batch?.add(def, rule)
  return rule
}

/**
 * Spectral's warning for a document that is in none of the formats a ruleset's rules are for
 * (then only the rules without formats run).
 */
export function unrecognizedFormatRule(formats: ReadonlySet<FormatName>): Rule {
  const names = [...formats].map((f) => FORMAT_NAMES[f])
  return defineRule({
    meta: {
      id: 'unrecognized-format',
      title: 'The document is in a format the ruleset is for',
      failureTitle: 'The document is in none of the formats the ruleset is for',
      description: `The ruleset's rules are written for ${names.join(', ')}; rules limited to those formats do not run on other documents.`,
      fix: 'Check that the right document was given, and that it says which OpenAPI version it follows.',
      sources: [],
      requires: ['openapi'],
      messages: {
        unrecognized: 'The provided document does not match any of the registered formats [{{formats}}]',
      },
    },
    check(ctx) {
      const found = formatsOf(ctx.artifacts.openapi!.root.value)
      if ([...formats].some((f) => found.has(f))) return
      ctx.report({
        messageId: 'unrecognized',
        data: { formats: names.join(', ') },
        loc: ctx.artifacts.openapi!.rootLoc,
        positionStyle: 'after-key',
      })
    },
  })
}
