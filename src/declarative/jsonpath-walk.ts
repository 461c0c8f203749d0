import { JSONPath } from 'jsonpath-plus'

/**
 * A faster evaluation of the JSONPath expressions rulesets use, with JSONPath Plus's meaning.
 *
 * JSONPath Plus builds a new path array and result object at every step and re-walks a value each
 * time it is reached: on a description whose `$ref`s are resolved, a schema used in a hundred
 * places is walked a hundred times for every `..` (Stripe's reaches 3×10¹⁰ values). Here each object
 * is walked once per step of the expression, whatever the way it was reached (the first way is the
 * path given for it), so the cost follows the size of the description as written. The steps are
 * JSONPath Plus's own parse (`toPathArray`) and filters run in its safe evaluator (never `eval`).
 *
 * Expressions with steps this does not take (parent `^`, slices, type selectors `@string()`,
 * script `(expr)`, nested filters) return undefined; the caller then asks JSONPath Plus.
 */
export interface WalkMatch {
  path: string[]
  value: unknown
}

type Filter = (value: unknown, property: string | number, parent: unknown, parentProperty: unknown) => boolean

type Step =
  | { kind: 'names'; names: string[] }
  | { kind: 'all' }
  | { kind: 'descend' }
  | { kind: 'filter'; test: Filter }
  | { kind: 'key' }

export interface CompiledPath {
  steps: Step[]
  /**
   * A filter reads `@path` or `@parent`: what matches depends on the way a value is reached, so
   * each way is walked, as JSONPath Plus does.
   */
  pathDependent: boolean
}

const SLICE = /^(-?\d*):(-?\d*):?(\d*)$/u
// JSONPath Plus's test for a filter nested in a filter, which it evaluates differently.
const NESTED = /@.?([^?]*)[['](\??\(.*?\))(?!.\)\])[\]']/u

interface SafeScript {
  ast: AstNode
  runInNewContext(context: Record<string, unknown>): unknown
}
const SafeScriptClass = (
  JSONPath.prototype as unknown as { safeVm: { Script: new (code: string) => SafeScript } }
).safeVm.Script

const compiled = new Map<string, CompiledPath | null>()

/** The steps of an expression, or undefined when it uses a step only JSONPath Plus takes. */
export function compilePath(expression: string): CompiledPath | undefined {
  let c = compiled.get(expression)
  if (c === undefined) {
    c = compile(expression) ?? null
    compiled.set(expression, c)
  }
  return c ?? undefined
}

function compile(expression: string): CompiledPath | undefined {
  const parts = JSONPath.toPathArray(expression)
  if (parts[0] !== '$') return undefined
  const steps: Step[] = []
  let pathDependent = false
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!
    if (part === '*') steps.push({ kind: 'all' })
    else if (part === '..') steps.push({ kind: 'descend' })
    else if (part === '~') {
      // JSONPath Plus ends at `~` whatever follows.
      steps.push({ kind: 'key' })
      break
    } else if (part.startsWith('?(')) {
      const code = part.replace(/^\?\((.*?)\)$/su, '$1')
      if (NESTED.test(code)) return undefined
      if (code.includes('@path') || code.includes('@parent')) pathDependent = true
      steps.push({ kind: 'filter', test: filter(code) })
    } else if (
      part === '$' ||
      part === '^' ||
      SLICE.test(part) ||
      /^[(@`]/.test(part) ||
      part
        .split(',')
        .some(
          (p) =>
            p === '' ||
            p === '*' ||
            p === '..' ||
            p === '~' ||
            p === '^' ||
            /^[?(@`$]/.test(p) ||
            SLICE.test(p),
        )
    )
      return undefined
    else steps.push({ kind: 'names', names: part.includes(',') ? part.split(',') : [part] })
  }
  return { steps, pathDependent }
}

/**
 * A filter as JSONPath Plus's `_eval` runs it (same names, same safe interpreter; errors do not
 * match), compiled to closures unless `interpret` (which the tests compare it with).
 */
export function filter(code: string, interpret = false): Filter {
  const usesPath = code.includes('@path')
  const script = new SafeScriptClass(
    code
      .replaceAll('@parentProperty', '_$_parentProperty')
      .replaceAll('@parent', '_$_parent')
      .replaceAll('@property', '_$_property')
      .replaceAll('@root', '_$_root')
      .replaceAll(/@([.\s)[])/gu, '_$_v$1')
      .replaceAll(usesPath ? '@path' : '\u0000', '_$_path'),
  )
  const compiled = interpret ? undefined : compileAst(script.ast)
  const skipIndexes = compiled !== undefined && falseAtIndexes(script.ast as AstNode)
  const keyMayMatch = compiled !== undefined ? keyCondition(script.ast as AstNode) : undefined
  const valueMayMatch = compiled !== undefined ? valueCondition(script.ast as AstNode) : undefined
  const scope: Scope = {
    _$_v: undefined,
    _$_property: undefined,
    _$_parent: undefined,
    _$_parentProperty: undefined,
    _$_root: undefined,
    _$_path: undefined,
  }
  return (value, property, parent, parentProperty) => {
    if (skipIndexes && typeof property === 'number') return false
    if (keyMayMatch && typeof property === 'string' && !keyMayMatch(property)) return false
    if (valueMayMatch && !valueMayMatch(value)) return false
    try {
      if (!compiled)
        return !!script.runInNewContext({
          _$_v: value,
          _$_property: property,
          _$_parent: parent,
          _$_parentProperty: parentProperty,
          _$_root: currentRoot,
          _$_path: usesPath ? currentPath : undefined,
        })
      scope._$_v = value
      scope._$_property = property
      scope._$_parent = parent
      scope._$_parentProperty = parentProperty
      scope._$_root = currentRoot
      scope._$_path = usesPath ? currentPath : undefined
      return !!compiled(scope)
    } catch {
      return false
    } finally {
      scope._$_v = scope._$_parent = scope._$_root = undefined
    }
  }
}

type Scope = Record<
  '_$_v' | '_$_property' | '_$_parent' | '_$_parentProperty' | '_$_root' | '_$_path',
  unknown
>
type Compiled = (scope: Scope | undefined) => unknown
interface AstNode {
  type: string
  [k: string]: unknown
}

const SCOPE_NAMES = new Set(['_$_v', '_$_property', '_$_parent', '_$_parentProperty', '_$_root', '_$_path'])
// As JSONPath Plus's SafeEval: these are not read unless the object has them as its own.
const BLOCKED = new Set(['constructor', '__proto__', '__defineGetter__', '__defineSetter__'])
const BINARY: Record<string, (a: unknown, b: unknown) => unknown> = {
  '|': (a, b) => (a as any) | (b as any),
  '^': (a, b) => (a as any) ^ (b as any),
  '&': (a, b) => (a as any) & (b as any),
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
  '<': (a, b) => (a as any) < (b as any),
  '>': (a, b) => (a as any) > (b as any),
  '<=': (a, b) => (a as any) <= (b as any),
  '>=': (a, b) => (a as any) >= (b as any),
  '<<': (a, b) => (a as any) << (b as any),
  '>>': (a, b) => (a as any) >> (b as any),
  '>>>': (a, b) => (a as any) >>> (b as any),
  '+': (a, b) => (a as any) + (b as any),
  '-': (a, b) => (a as any) - (b as any),
  '*': (a, b) => (a as any) * (b as any),
  '/': (a, b) => (a as any) / (b as any),
  '%': (a, b) => (a as any) % (b as any),
}

/**
 * Whether a filter is false wherever @property is a number (an array's index): when it calls on
 * @property a method that numbers lack (`@property.match(…)`), which SafeEval fails on, alone or
 * where a conjunction needs it. Such a filter (NL ADR: `$.paths..[?(@property.match(/get/) && …)]`)
 * is not evaluated at the items of arrays, to be failed there by an exception each.
 */
function falseAtIndexes(node: AstNode): boolean {
  if (node.type === 'BinaryExpression' || node.type === 'LogicalExpression') {
    const [left, right] = [node.left as AstNode, node.right as AstNode]
    if (node.operator === '&&') return falseAtIndexes(left) || falseAtIndexes(right)
    if (node.operator === '||') return falseAtIndexes(left) && falseAtIndexes(right)
    return false
  }
  if (node.type !== 'CallExpression') return false
  const callee = node.callee as AstNode
  if (callee.type !== 'MemberExpression' || callee.computed) return false
  const object = callee.object as AstNode
  const name = String((callee.property as AstNode).name)
  return (
    object.type === 'Identifier' &&
    object.name === '_$_property' &&
    (typeof (0 as unknown as Record<string, unknown>)[name] !== 'function' || BLOCKED.has(name))
  )
}

/**
 * What a member's name must be for the filter to hold, when the filter says so itself: a conjunct
 * `@property.match(/re/)` (a regular expression without the `g` or `y` flag, whose test keeps no
 * state) or `@property === 'name'` (or `==`). A name that fails it makes the filter false or throw,
 * which is false too, so the filter is not evaluated for it. NL ADR tests
 * `@property.match(/(get)|(delete)/) && …` on every member under `paths`.
 */
function keyCondition(node: AstNode): ((key: string) => boolean) | undefined {
  if (node.type === 'LogicalExpression' || node.type === 'BinaryExpression') {
    const op = node.operator
    if (op === '&&' || op === '||') {
      const left = keyCondition(node.left as AstNode)
      const right = keyCondition(node.right as AstNode)
      if (op === '||') return left && right && ((k) => left(k) || right(k))
      return left && right ? (k) => left(k) && right(k) : (left ?? right)
    }
    if (op === '===' || op === '==' || op === '!==' || op === '!=') {
      const [a, b] = [node.left as AstNode, node.right as AstNode]
      const [id, lit] = a.type === 'Identifier' ? [a, b] : [b, a]
      if (id.type === 'Identifier' && id.name === '_$_property' && lit.type === 'Literal') {
        const name = lit.value
        // A member's name is a string: it equals a string literal loosely as strictly.
        if (typeof name === 'string') return op[0] === '!' ? (k) => k !== name : (k) => k === name
      }
    }
    return undefined
  }
  if (node.type !== 'CallExpression') return undefined
  const callee = node.callee as AstNode
  const args = node.arguments as AstNode[] | undefined
  if (callee.type !== 'MemberExpression' || callee.computed || args?.length !== 1) return undefined
  const object = callee.object as AstNode
  const arg = args[0]!
  if (
    object.type !== 'Identifier' ||
    object.name !== '_$_property' ||
    (callee.property as AstNode).name !== 'match' ||
    arg.type !== 'Literal' ||
    !(arg.value instanceof RegExp) ||
    arg.value.global ||
    arg.value.sticky
  )
    return undefined
  const re = arg.value
  return (k) => re.test(k)
}

/**
 * What the value must be for the filter to hold, when the filter says so itself: `@` truthy, or a
 * member of `@` (a name no prototype has, so read from an object's own members only) truthy
 * (`@.enum`), equal to a literal (`@.type == 'array'`), or not undefined or null
 * (`@.example !== undefined`), as conjuncts or on both sides of a disjunction. A value that fails
 * it makes the filter false, or throw (a member of null), which is false too, so the filter is not
 * evaluated for it. spectral:oas and NL ADR test `@ && @.enum`, `@ && @.schema && …` and the like
 * on every member of a description; most values are not even objects.
 */
function valueCondition(node: AstNode): ((value: unknown) => boolean) | undefined {
  if (node.type === 'Identifier') return node.name === '_$_v' ? (v) => !!v : undefined
  const own = ownMember(node)
  if (own !== undefined) return (v) => typeof v === 'object' && v !== null && !!(v as Obj)[own]
  if (node.type !== 'LogicalExpression' && node.type !== 'BinaryExpression') return undefined
  const op = node.operator as string
  if (op === '&&' || op === '||') {
    const left = valueCondition(node.left as AstNode)
    const right = valueCondition(node.right as AstNode)
    if (op === '||') return left && right && ((v) => left(v) || right(v))
    return left && right ? (v) => left(v) && right(v) : (left ?? right)
  }
  const [a, b] = [node.left as AstNode, node.right as AstNode]
  const name = ownMember(a) ?? ownMember(b)
  const lit = ownMember(a) !== undefined ? b : a
  if (name === undefined || lit.type !== 'Literal') return undefined
  const value = lit.value
  const has = (v: unknown): v is Obj => typeof v === 'object' && v !== null
  // Equal to a literal that is not undefined or null: the member is there, and strictly the same.
  if ((op === '===' || op === '==') && value !== undefined && value !== null)
    return op === '===' ? (v) => has(v) && v[name] === value : (v) => has(v) && v[name] != null
  // Not undefined (or, loosely, not null): the member is there.
  if ((op === '!==' && value === undefined) || (op === '!=' && (value === undefined || value === null)))
    return op === '!==' ? (v) => has(v) && v[name] !== undefined : (v) => has(v) && v[name] != null
  return undefined
}

type Obj = Record<string, unknown>

/**
 * The name of `@.name` when no prototype a value can have (objects, arrays, strings, numbers,
 * booleans) has a member of that name: for any value but an object, the member is then undefined.
 */
function ownMember(node: AstNode): string | undefined {
  if (node.type !== 'MemberExpression' || node.computed) return undefined
  const object = node.object as AstNode
  const name = String((node.property as AstNode).name)
  if (object.type !== 'Identifier' || object.name !== '_$_v' || BLOCKED.has(name)) return undefined
  const prototypes = [
    Object.prototype,
    Array.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
  ]
  return prototypes.some((p) => name in p) ? undefined : name
}

/**
 * The filter's syntax tree (parsed by JSONPath Plus) turned into closures that do what its SafeEval
 * does node by node: the same operators, the same refusal of blocked properties, methods bound to
 * their object, the same errors. SafeEval interprets the tree anew at every value and allocates as
 * it goes; a rule's filter runs on every member of a large description. Trees with assignments or
 * statement lists are left to SafeEval (undefined).
 */
/**
 * Thrown where SafeEval would throw a TypeError or ReferenceError (reading a property of null,
 * calling what is not a function, an unknown name): the filter does not match, either way. Not an
 * Error, so that no stack is captured: on a large description this happens at most values.
 */
const ABORT: unknown = Object.freeze({ abort: true })

/** A member read as SafeEval does it: the object, and the property name. */
interface Member {
  object: Compiled
  prop: (scope: Scope | undefined) => string
}

function member(node: AstNode): Member | undefined {
  const object = compileAst(node.object as AstNode)
  // SafeEval evaluates a computed property without the scope.
  const property = node.computed ? compileAst(node.property as AstNode) : undefined
  if (!object || (node.computed && !property)) return undefined
  const name = node.computed ? undefined : String((node.property as AstNode).name)
  return { object, prop: name !== undefined ? () => name : () => String(property!(undefined)) }
}

/** The object a member is read from (the property name worked out first), or ABORT as SafeEval. */
function objectOf(m: Member, scope: Scope | undefined, prop: string): Record<string, unknown> {
  const obj = m.object(scope) as Record<string, unknown> | null | undefined
  if (obj === undefined || obj === null) throw ABORT
  if (!Object.hasOwn(obj, prop) && BLOCKED.has(prop)) throw ABORT
  return obj
}

function compileAst(node: AstNode): Compiled | undefined {
  const c = (n: unknown): Compiled | undefined => compileAst(n as AstNode)
  switch (node.type) {
    case 'Literal': {
      const value = node.value
      return () => value
    }
    case 'Identifier': {
      const name = node.name as string
      if (!SCOPE_NAMES.has(name))
        return () => {
          throw ABORT
        }
      return (scope) => {
        if (!scope) throw ABORT
        return scope[name as keyof Scope]
      }
    }
    case 'BinaryExpression':
    case 'LogicalExpression': {
      const op = BINARY[node.operator as string]
      const left = c(node.left)
      const right = c(node.right)
      if (!left || !right || (!op && node.operator !== '||' && node.operator !== '&&')) return undefined
      // As SafeEval: the right side only when `||`/`&&` need it, always after the left side.
      if (node.operator === '||') return (scope) => left(scope) || right(scope)
      if (node.operator === '&&') return (scope) => left(scope) && right(scope)
      return (scope) => {
        const a = left(scope)
        return op!(a, right(scope))
      }
    }
    case 'ConditionalExpression': {
      const [test, yes, no] = [c(node.test), c(node.consequent), c(node.alternate)]
      if (!test || !yes || !no) return undefined
      return (scope) => (test(scope) ? yes(scope) : no(scope))
    }
    case 'UnaryExpression': {
      const arg = c(node.argument)
      if (!arg) return undefined
      switch (node.operator) {
        case '-':
          return (scope) => -(arg(scope) as number)
        case '!':
          return (scope) => !arg(scope)
        case '~':
          return (scope) => ~(arg(scope) as number)
        case '+':
          return (scope) => +(arg(scope) as number)
        case 'typeof':
          return (scope) => typeof arg(scope)
        default:
          return undefined
      }
    }
    case 'ArrayExpression': {
      const elements = (node.elements as unknown[]).map(c)
      if (elements.some((e) => !e)) return undefined
      return (scope) => elements.map((e) => e!(scope))
    }
    case 'MemberExpression': {
      const read = member(node)
      if (!read) return undefined
      return (scope) => {
        const prop = read.prop(scope)
        const obj = objectOf(read, scope, prop)
        const result = obj[prop]
        return typeof result === 'function' ? (result as (...a: unknown[]) => unknown).bind(obj) : result
      }
    }
    case 'CallExpression': {
      const args = (node.arguments as unknown[]).map(c)
      if (args.some((a) => !a)) return undefined
      const callee = node.callee as AstNode
      // A method call: the method is called on its object (as SafeEval's bound function is).
      const read = callee.type === 'MemberExpression' ? member(callee) : undefined
      const fn = read ? undefined : c(callee)
      if (!read && !fn) return undefined
      // Filters call methods with one argument (`@property.match(/…/)`): that case without an array.
      const one = args.length === 1 ? args[0]! : undefined
      return (scope) => {
        const arg = one?.(scope)
        const values = one ? undefined : args.map((a) => a!(scope))
        if (read) {
          const prop = read.prop(scope)
          const obj = objectOf(read, scope, prop)
          const method = obj[prop]
          if (typeof method !== 'function') throw ABORT
          return one
            ? (method as (a: unknown) => unknown).call(obj, arg)
            : (method as (...a: unknown[]) => unknown).apply(obj, values!)
        }
        const f = fn!(scope)
        if (typeof f !== 'function') throw ABORT
        return one ? (f as (a: unknown) => unknown)(arg) : (f as (...a: unknown[]) => unknown)(...values!)
      }
    }
    default:
      // Assignments, statement lists and what SafeEval refuses: evaluated by SafeEval itself.
      return undefined
  }
}

// What a filter sees of the walk in progress (`@root`, `@path`).
let currentRoot: unknown
let currentPath: string | undefined

const sharedIn = new WeakMap<object, WeakSet<object>>()

/**
 * Says which objects of a document can be reached in more than one way (the targets of `$ref`s in
 * a resolved description): walks of it remember only those, which is enough to walk each once.
 */
export function markShared(document: object, shared: WeakSet<object>): void {
  sharedIn.set(document, shared)
}

const trees = new WeakSet<object>()

/**
 * Says that no object of a document is at two places in it (a document as parsed: see source.ts).
 * Its walks then remember no objects at all, unless an expression descends twice (`$..a..b`), the
 * one way a walk of a tree reaches an object at the same step twice.
 */
export function markTree(document: object): void {
  trees.add(document)
}

/** Whether walks of a document must remember the objects they walked (all, or the shared ones). */
function remembering(json: unknown, paths: readonly CompiledPath[]): ((o: object) => boolean) | undefined {
  if (json === null || typeof json !== 'object') return undefined
  const shared = sharedIn.get(json)
  if (shared) return (o) => shared.has(o)
  const twice = paths.some((p) => p.steps.filter((s) => s.kind === 'descend').length > 1)
  return trees.has(json) && !twice ? undefined : () => true
}

/** Every match of a compiled expression in a value, each object walked once per step. */
export function walkPath(json: unknown, path: CompiledPath): WalkMatch[] {
  const { steps, pathDependent } = path
  const out: WalkMatch[] = []
  // Per object, the steps it was walked at, as bits (paths have far fewer than 31 steps; beyond,
  // objects are not remembered). Only the shared objects, when the document says which they are.
  const seen = new WeakMap<object, number>()
  const remember = !pathDependent && steps.length < 31 ? remembering(json, [path]) : undefined
  const trail: string[] = []
  const previousRoot = currentRoot
  currentRoot = json

  const visit = (val: unknown, i: number, parent: unknown, parentProperty: unknown): void => {
    const step = steps[i]
    if (step !== undefined && step.kind === 'key') {
      // The member's name, at the member's place.
      out.push({ path: trail.slice(), value: parentProperty })
      return
    }
    const isObject = val !== null && typeof val === 'object'
    if (isObject && remember && remember(val as object)) {
      const done = seen.get(val) ?? 0
      if (done & (1 << i)) return
      seen.set(val, done | (1 << i))
    }
    if (step === undefined) {
      out.push({ path: trail.slice(), value: val })
      return
    }
    if (!isObject) return
    const array = Array.isArray(val)
    const obj = val as Record<string, unknown>
    const keys = array ? undefined : Object.keys(obj)
    const n = array ? (val as unknown[]).length : keys!.length
    switch (step.kind) {
      case 'names':
        for (const name of step.names)
          if (Object.hasOwn(obj, name)) {
            trail.push(name)
            visit(obj[name], i + 1, val, name)
            trail.pop()
          }
        return
      case 'all':
      case 'descend':
      case 'filter': {
        if (step.kind === 'descend') visit(val, i + 1, parent, parentProperty)
        for (let j = 0; j < n; j++) {
          const k: string | number = array ? j : keys![j]!
          const v = obj[k]
          let next: number
          if (step.kind === 'all') next = i + 1
          else if (step.kind === 'descend') {
            // Only objects and arrays (and null, as JSONPath Plus) are descended into.
            if (typeof v !== 'object') continue
            next = i
          } else {
            if (pathDependent) currentPath = JSONPath.toPathString(['$', ...trail, String(k)])
            if (!step.test(v, k, parent, parentProperty)) continue
            next = i + 1
          }
          trail.push(String(k))
          visit(v, next, val, k)
          trail.pop()
        }
      }
    }
  }
  try {
    visit(json, 0, null, null)
  } finally {
    currentRoot = previousRoot
  }
  return out
}

/**
 * The recursive descents under way at a member (states, see walkPaths), and what they take at every
 * object they reach: the rest of each expression after its descent, the member names some of those
 * look for next gathered in one table. Worked out once per set of descents: a description's members
 * are almost all reached with the same set (the spectral:oas and NL ADR rulesets carry some twenty
 * descents to every member), which each member would otherwise take state by state.
 */
interface Plan {
  /** The descents, ascending. */
  states: readonly number[]
  /** The states a member reached with this plan takes (the descents and the rests after them). */
  taken: ReadonlySet<number>
  /** Rests that look for members by name: each name, with the states a member of that name enters with. */
  names: Map<string, number[]>
  /** The names of `names`, in a list. */
  named: readonly string[]
  /** The other rests (all members, filters, a further descent, a match here), taken one by one. */
  others: readonly number[]
  /** This plan with more descents, by the added states. */
  more: Map<string, Plan>
}

/**
 * Several compiled expressions in one walk of the document (what a ruleset's rules ask of it):
 * each object is entered once for all of them, with the steps each expression has reached there,
 * instead of once per expression. The matches of each are those `walkPath` finds (each object is
 * walked once per step: a match reached in two ways is a match once).
 */
export function walkPaths(json: unknown, paths: readonly CompiledPath[]): WalkMatch[][] {
  const out: WalkMatch[][] = paths.map(() => [])
  if (paths.some((p) => p.pathDependent || p.steps.length >= 32))
    throw new Error('walkPaths: expressions that read @path or @parent are walked alone')
  // Which objects are remembered across visits: the shared ones of a resolved description; none in
  // a tree, even for an expression that descends twice (each object is visited once, and takes each
  // of its states once); all in a document that does not say.
  const remember = remembering(json, [])
  // Per remembered object, the states walked there.
  const seen = new WeakMap<object, Set<number>>()
  const trail: string[] = []
  const previousRoot = currentRoot
  currentRoot = json
  const stepOf = (state: number) => paths[state >> 5]!.steps[state & 31]

  // A state is an expression and the step it has reached: p * 32 + i.
  const plans = new Map<string, Plan>()
  const plan = (descents: readonly number[]): Plan => {
    const states = [...new Set(descents)].sort((a, b) => a - b)
    const key = states.join(',')
    let found = plans.get(key)
    if (found) return found
    const taken = new Set(states)
    const names = new Map<string, number[]>()
    const others: number[] = []
    for (const s of states) {
      const rest = s + 1
      // A rest that is itself one of the descents is taken as one.
      if (taken.has(rest)) continue
      taken.add(rest)
      const step = stepOf(rest)
      if (step !== undefined && step.kind === 'names')
        for (const name of step.names) {
          let list = names.get(name)
          if (!list) names.set(name, (list = []))
          list.push(rest + 1)
        }
      else others.push(rest)
    }
    found = { states, taken, names, named: [...names.keys()], others, more: new Map() }
    plans.set(key, found)
    return found
  }
  const NO_PLAN = plan([])
  const withMore = (base: Plan, added: number[]): Plan => {
    const key = added.join(',')
    let found = base.more.get(key)
    if (!found) base.more.set(key, (found = plan([...base.states, ...added])))
    return found
  }

  // The value whose states are being taken, and what its states have found so far: set by `visit`
  // for each value, whose members are visited only once all its states are taken (so that `take`
  // and `enter` are made once per walk, not once per value).
  let val: unknown
  let obj: Record<string, unknown>
  let isObject = false
  let array = false
  let parent: unknown
  let parentProperty: unknown
  // The states taken at the value, when it is a remembered object.
  let done: Set<number> | undefined
  let keys: string[] | undefined
  // What each member is entered with of its own, by member, in the order members come.
  let next: Map<string | number, number[]> | undefined
  // Descents to hand on to the members: all of them at a remembered object; at any other, those
  // beyond the carried plan.
  let descents: number[] | undefined
  // The rest of an expression after a descent, taken here too.
  let after: number[] | undefined
  // At an object not remembered, the plan it was reached with and the states taken beyond it.
  let carried: Plan = NO_PLAN
  let extra: number[] | undefined
  // Whether an array's items were entered by a name (`length`, or '0' by a name step) as well.
  let namedItems = false

  const enter = (k: string | number, state: number) => {
    if (typeof k === 'string' && array) namedItems = true
    next ??= new Map()
    let list = next.get(k)
    if (!list) next.set(k, (list = []))
    list.push(state)
  }
  const enterAll = (k: string, states: readonly number[]) => {
    for (let i = 0; i < states.length; i++) enter(k, states[i]!)
  }
  const take = (state: number) => {
    const p = state >> 5
    const step = paths[p]!.steps[state & 31]
    if (step !== undefined && step.kind === 'key') {
      out[p]!.push({ path: trail.slice(), value: parentProperty })
      return
    }
    if (done) {
      if (done.has(state)) return
      done.add(state)
    }
    if (step === undefined) {
      out[p]!.push({ path: trail.slice(), value: val })
      return
    }
    if (!isObject) return
    // (Indexed loops, no iterators nor callbacks: this runs for every state at every object, most of
    // it before the compiler has optimized it, when each iterator and closure is an allocation.)
    switch (step.kind) {
      case 'names': {
        const names = step.names
        for (let i = 0; i < names.length; i++) if (Object.hasOwn(obj, names[i]!)) enter(names[i]!, state + 1)
        break
      }
      case 'descend':
        // The rest of the expression here too (walked before the members, as JSONPath Plus does).
        ;(after ??= []).push(state + 1)
        if (array) {
          const list = val as unknown[]
          for (let k = 0; k < list.length; k++) if (typeof list[k] === 'object') enter(k, state)
        } else (descents ??= []).push(state)
        break
      case 'all':
        if (array) {
          const length = (val as unknown[]).length
          for (let k = 0; k < length; k++) enter(k, state + 1)
        } else {
          const members = (keys ??= Object.keys(obj))
          for (let i = 0; i < members.length; i++) enter(members[i]!, state + 1)
        }
        break
      case 'filter': {
        const within = parent
        const name = parentProperty
        if (array) {
          const list = val as unknown[]
          for (let k = 0; k < list.length; k++) if (step.test(list[k], k, within, name)) enter(k, state + 1)
        } else {
          const members = (keys ??= Object.keys(obj))
          for (let i = 0; i < members.length; i++)
            if (step.test(obj[members[i]!], members[i]!, within, name)) enter(members[i]!, state + 1)
        }
        break
      }
    }
  }
  const pending = () => after
  // A state the carried plan has not taken here, taken once.
  const takeOnce = (state: number) => {
    if (carried.taken.has(state) || extra?.includes(state)) return
    ;(extra ??= []).push(state)
    take(state)
  }

  // A member is entered with the plan of the descents its object hands to every member that is an
  // object or array (`carry`), and the states meant for it alone (`own`).
  const visit = (
    value: unknown,
    carry: Plan,
    own: readonly number[] | undefined,
    within: unknown,
    name: unknown,
  ): void => {
    val = value
    obj = value as Record<string, unknown>
    isObject = value !== null && typeof value === 'object'
    array = isObject && Array.isArray(value)
    parent = within
    parentProperty = name
    done = undefined
    if (isObject && remember && remember(value as object)) {
      done = seen.get(value as object)
      if (!done) seen.set(value as object, (done = new Set()))
    }
    // (Read through `pending` and `entered` below: `take` sets them, which the compiler cannot see.)
    keys = next = descents = after = extra = undefined
    namedItems = false
    carried = carry
    const planned = isObject && !done
    if (planned) {
      // The carried descents go on to the members as they are; their rests are taken here.
      const table = carry.names
      const named = carry.named
      if (named.length)
        if (array || named.length < (keys ??= Object.keys(obj)).length) {
          for (let i = 0; i < named.length; i++)
            if (Object.hasOwn(obj, named[i]!)) enterAll(named[i]!, table.get(named[i]!)!)
        } else
          for (let i = 0; i < keys!.length; i++) {
            const states = table.get(keys![i]!)
            if (states) enterAll(keys![i]!, states)
          }
      const others = carry.others
      for (let i = 0; i < others.length; i++) take(others[i]!)
      if (own) for (let s = 0; s < own.length; s++) takeOnce(own[s]!)
      // (A descent's rest may itself begin with a descent, adding to the list being read.)
      const rests = pending()
      if (rests) for (let s = 0; s < rests.length; s++) takeOnce(rests[s]!)
    } else {
      // A value that is not an object takes only its own states; a remembered object takes each
      // state it has not taken before, the carried descents one by one.
      if (isObject) for (let i = 0; i < carry.states.length; i++) take(carry.states[i]!)
      if (own) for (let s = 0; s < own.length; s++) take(own[s]!)
      const rests = pending()
      if (rests) for (let s = 0; s < rests.length; s++) take(rests[s]!)
    }
    if (!isObject) return
    // What the members are visited with (visiting them sets the walk's state anew).
    const entered = next as Map<string | number, number[]> | undefined
    const handed = planned
      ? descents
        ? withMore(carry, descents)
        : carry
      : descents
        ? plan(descents)
        : NO_PLAN
    if (!entered && handed === NO_PLAN) return
    // Members in document order, whichever expression reached them first.
    if (array) {
      const list = value as unknown[]
      // Items are handed the carried plan when they are objects (a remembered array hands its
      // descents to them as their own states instead).
      const handItems = planned && handed !== NO_PLAN
      if (!namedItems) {
        // Items in order, each entered as a number.
        for (let k = 0; k < list.length; k++) {
          const v = list[k]
          const mine = entered?.get(k)
          const items = handItems && typeof v === 'object' ? handed : NO_PLAN
          if (!mine && items === NO_PLAN) continue
          trail.push(String(k))
          visit(v, items, mine, value, k)
          trail.pop()
        }
        return
      }
      const order: (string | number)[] = [...entered!.keys()]
      if (handItems) list.forEach((v, k) => typeof v === 'object' && !entered?.has(k) && order.push(k))
      // (A member a name step found in an array, `length` say, is entered by its name.)
      order.sort((a, b) => (a as number) - (b as number))
      for (const k of order) {
        const v = list[k as number]
        const mine = entered?.get(k)
        const items = handItems && typeof k === 'number' && typeof v === 'object' ? handed : NO_PLAN
        if (!mine && items === NO_PLAN) continue
        trail.push(String(k))
        visit(v, items, mine, value, k)
        trail.pop()
      }
      return
    }
    const members = keys ?? Object.keys(obj)
    const record = obj
    for (let i = 0; i < members.length; i++) {
      const k = members[i]!
      const v = record[k]
      const mine = entered?.get(k)
      const handing = handed !== NO_PLAN && typeof v === 'object' ? handed : NO_PLAN
      if (!mine && handing === NO_PLAN) continue
      trail.push(k)
      visit(v, handing, mine, value, k)
      trail.pop()
    }
  }
  try {
    visit(
      json,
      NO_PLAN,
      paths.map((_, p) => p * 32),
      null,
      null,
    )
  } finally {
    currentRoot = previousRoot
  }
  return out
}
