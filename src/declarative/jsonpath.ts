import { JSONPath } from 'jsonpath-plus'
import { parsePointer } from '../loaders/source.js'
import { compilePath, walkPath, walkPaths, type CompiledPath } from './jsonpath-walk.js'

export type PathSegment = string | number

export interface PathMatch {
  path: PathSegment[]
  value: unknown
}

/**
 * Filter expressions are evaluated by jsonpath-plus's safe evaluator (a small interpreter, never
 * JavaScript's eval): it reads values and calls their own methods (`@property.match(/x/)`) but
 * cannot reach constructors or globals. An expression that fails on a node (a number has no
 * `.match`) does not match that node, as in Spectral.
 */
function prepare(expression: string): string {
  // `void 0` is how Spectral's rulesets write undefined; the safe evaluator has no `void`.
  return expression.replace(/\bvoid 0\b/g, 'undefined')
}

/**
 * Every match of a JSONPath expression in a value, with its path as segments. A value reached in
 * several ways (a shared object of a resolved description) is a match once, with the first way.
 */
export function query(json: unknown, expression: string): readonly PathMatch[] {
  if (json === null || typeof json !== 'object')
    return expression.trim() === '$' ? [{ path: [], value: json }] : []
  // Rules of one ruleset often share a `given`: each is walked once per document.
  const cache = resultsFor(json)
  let matches = cache.get(expression)
  if (!matches) cache.set(expression, (matches = evaluate(json, expression)))
  return matches
}

const results = new WeakMap<object, Map<string, readonly PathMatch[]>>()

/** The expressions whose matches are kept for a value (walked or evaluated so far): for tests. */
export function keptExpressions(json: object): string[] {
  return [...(results.get(json)?.keys() ?? [])]
}

/** The matches kept for a value, by expression. */
function resultsFor(json: object): Map<string, readonly PathMatch[]> {
  let cache = results.get(json)
  if (!cache) results.set(json, (cache = new Map()))
  return cache
}

/**
 * Evaluates expressions together, in one walk of the value, and keeps their matches for `query`:
 * what the rules of a ruleset will ask of a document. Expressions the walk does not take, or that
 * read `@path`/`@parent`, are left for `query` to evaluate alone.
 */
export function prefetch(json: unknown, expressions: Iterable<string>): void {
  if (json === null || typeof json !== 'object') return
  const cache = resultsFor(json)
  const todo: string[] = []
  const compiled: CompiledPath[] = []
  for (const e of new Set(expressions)) {
    if (cache.has(e)) continue
    const c = compilePath(prepare(e))
    if (!c || c.pathDependent || c.steps.length >= 32) continue
    todo.push(e)
    compiled.push(c)
  }
  if (todo.length < 2) return
  const matches = walkPaths(json, compiled)
  todo.forEach((e, i) => cache.set(e, matches[i]!))
}

function evaluate(json: object, expression: string): PathMatch[] {
  const walk = compilePath(prepare(expression))
  if (walk) return walkPath(json, walk)
  const out: PathMatch[] = []
  JSONPath({
    path: prepare(expression),
    json: json as object,
    resultType: 'all',
    eval: 'safe',
    ignoreEvalErrors: true,
    wrap: true,
    callback(result: { pointer: string; value: unknown }, type: string) {
      const path = parsePointer(result.pointer)
      // With `~` the match is the member's name, at the member's place.
      out.push({ path, value: type === 'property' ? path[path.length - 1] : result.value })
    },
  })
  return out
}

/**
 * Why a JSONPath expression cannot be evaluated, or undefined when it can: it must start at the
 * root (`$`), balance its brackets, parentheses and quotes, and its filter expressions must parse.
 */
export function checkJsonPath(expression: string): string | undefined {
  const expr = expression.trim()
  if (!expr.startsWith('$')) return 'a JSONPath expression starts with `$`'
  const stack: string[] = []
  let quote: string | undefined
  let regex = false
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (regex) {
      if (c === '\\') i++
      else if (c === '/') regex = false
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === '/' && stack.at(-1) === '(' && /[(,!&|=]\s*$/.test(expr.slice(0, i))) regex = true
    else if (c === '[' || c === '(') stack.push(c)
    else if (c === ']' || c === ')') {
      const open = stack.pop()
      if ((c === ']' && open !== '[') || (c === ')' && open !== '('))
        return `unbalanced \`${c}\` at character ${i + 1}`
    }
  }
  if (quote) return 'a quoted name is not closed'
  if (stack.length) return `\`${stack.at(-1)}\` is not closed`
  for (const part of JSONPath.toPathArray(prepare(expr))) {
    const filter = /^\?\((.*)\)$/s.exec(part)?.[1]
    if (filter === undefined) continue
    const code = filter
      .replaceAll('@parentProperty', '_$_parentProperty')
      .replaceAll('@parent', '_$_parent')
      .replaceAll('@property', '_$_property')
      .replaceAll('@root', '_$_root')
      .replaceAll(/@([.\s)[])/gu, '_$_v$1')
      .replaceAll(/@$/gu, '_$_v')
      .replaceAll('@path', '_$_path')
    try {
      new (
        JSONPath.prototype as unknown as { safeVm: { Script: new (code: string) => unknown } }
      ).safeVm.Script(code)
    } catch (e) {
      return `the filter \`${filter.trim()}\` cannot be read: ${(e as Error).message}`
    }
  }
  return undefined
}

/** True when the path descends recursively (`..`, also `.[…]`, which JSONPath Plus reads so). */
export function isRecursive(expression: string): boolean {
  return JSONPath.toPathArray(prepare(expression)).includes('..')
}

/**
 * True when evaluating the path walks each object of a resolved description once however often it
 * is referred to (see jsonpath-walk.ts), so its cost follows the description as written.
 */
export function walksOnce(expression: string): boolean {
  const walk = compilePath(prepare(expression))
  return !!walk && !walk.pathDependent
}
