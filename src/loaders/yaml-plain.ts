import { FAILSAFE_SCHEMA, load, Type, type State } from 'js-yaml'

/**
 * A fast reading of the YAML most API descriptions are: mappings, sequences, scalars and comments,
 * without anchors, aliases, tags, merge keys, directives or tabs (lines may end with LF or CR LF). js-yaml reads such a text
 * some ten times faster than the yaml package composes its syntax tree (Stripe's description as
 * YAML, 3.9 MB: 90 against 1,100 ms), and its parse events say where each value is; the places kept
 * are those the yaml package gives (its ranges), so that findings are placed the same either way.
 *
 * Anything else, and any text js-yaml refuses, is left to the yaml package (`undefined`): its
 * errors and limits (duplicate keys, alias bombs, depth) stay the ones users see.
 */
export interface PlainYaml {
  value: unknown
  /** Where the value at a path is (offsets: start, end) and, for a mapping's value, its key. */
  locate(
    path: readonly string[],
  ): { start: number; end: number; key?: [number, number]; container: boolean } | undefined
}

/** Where the members of a mapping, or the items of a sequence, are. */
interface Places {
  /** Mapping keys as the object holds them, in the order written (none for a sequence). */
  names: string[] | undefined
  byName: Map<string, number> | undefined
  /** Per member or item: key start and end (a mapping's), value start and end. */
  at: number[]
}

// The scalars of the YAML 1.2 core schema exactly as the yaml package resolves them
// (yaml/dist/schema/core), so that `0o14`, `.5`, `1e3`, `~` or `True` read the same either way.
// js-yaml asks every type of every plain scalar, most of which are words: each test first looks at
// the first character (or the length) and tries its regular expression only when it could match.
const isDigit = (c: number) => c >= 48 && c <= 57
const CORE_TYPES = [
  new Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (s: string) =>
      s.length <= 4 && (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL'),
    construct: () => null,
  }),
  new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string) =>
      (s.length === 4 || s.length === 5) &&
      (s === 'true' || s === 'True' || s === 'TRUE' || s === 'false' || s === 'False' || s === 'FALSE'),
    construct: (s: string) => s[0] === 't' || s[0] === 'T',
  }),
  new Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string) => {
      const c = s.charCodeAt(0)
      return (isDigit(c) || c === 43 || c === 45) && /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(s)
    },
    construct: (s: string) =>
      s.startsWith('0o')
        ? parseInt(s.slice(2), 8)
        : s.startsWith('0x')
          ? parseInt(s.slice(2), 16)
          : parseInt(s, 10),
  }),
  new Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string) => {
      const c = s.charCodeAt(0)
      return (
        (isDigit(c) || c === 43 || c === 45 || c === 46) &&
        (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) ||
          /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) ||
          /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s))
      )
    },
    construct: (s: string) =>
      s.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : /inf$/i.test(s)
          ? s[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY
          : parseFloat(s),
  }),
]
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: CORE_TYPES })

const SPACE = 32
const LF = 10
const CR = 13
const HASH = 35

/** What makes the fast reading give up: the yaml package reads the text instead. */
class NotPlain extends Error {}

/**
 * The text read fast, or undefined when it uses what only the yaml package reads here. `maxDepth`
 * bounds js-yaml's nesting (a deeper text is left to the yaml package, which says where).
 */
export function readPlainYaml(text: string, maxDepth: number): PlainYaml | undefined {
  // Tabs, carriage returns not before a line feed, directives and document markers: read by the
  // yaml package. (A line may end with CR LF: the CR is then part of its line break.)
  if (/\t|\r(?!\n)|^(?:---|\.\.\.|%)/m.test(text)) return undefined
  const places = new Map<object, Places>()
  // Per node being read: where js-yaml began it, and how many nodes the stack below held then.
  const opened: number[] = []
  const below: number[] = []
  // The nodes read so far whose collection is still being read, one after another (a stack in five
  // lists, so that no object is made per node): start, end, the end with the comments that follow
  // it (the yaml package's node end), its shape and the value. `top` of them are in use: a list is
  // never shortened (setting an array's length is a call into V8's runtime, once per node).
  const starts: number[] = []
  const ends: number[] = []
  const afters: number[] = []
  const shapes: number[] = []
  const values: unknown[] = []
  let top = 0
  let root: { start: number; end: number } | undefined
  // What a node is, for the comment lines after it: a scalar or flow collection on its line(s), a
  // block mapping, sequence or scalar, or an empty value.
  const INLINE = 0
  const BLOCK = 1
  const EMPTY = 2

  const contentStart = (i: number): number => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === SPACE || c === LF || c === CR) i++
      else if (c === HASH) {
        const eol = text.indexOf('\n', i)
        i = eol === -1 ? text.length : eol + 1
      } else return i
    }
  }
  const trimEnd = (i: number, from: number): number => {
    while (i > from) {
      const c = text.charCodeAt(i - 1)
      if (c === SPACE || c === LF || c === CR) i--
      else break
    }
    return i
  }
  /**
   * Past the comment lines from the line at `i` on (and blank lines between them) that the yaml
   * package counts to a value or collection before them: after a scalar, those indented more than
   * `n` (its collection's members); after a collection, all of them once the first is indented at
   * least `n` (its members).
   */
  const comments = (i: number, after: 'scalar' | 'collection', n: number): number => {
    let started = false
    for (;;) {
      let j = i
      let indent = 0
      for (;;) {
        while (text.charCodeAt(j + indent) === SPACE) indent++
        // A blank line: on to the next one.
        const cr = text.charCodeAt(j + indent) === CR ? 1 : 0
        if (text.charCodeAt(j + indent + cr) !== LF) break
        j += indent + cr + 1
        indent = 0
      }
      if (text.charCodeAt(j + indent) !== HASH) return i
      if (after === 'scalar' ? indent <= n : !started && indent < n) return i
      started = true
      const eol = text.indexOf('\n', j)
      i = eol === -1 ? text.length : eol + 1
    }
  }
  const column = (i: number): number => i - (text.lastIndexOf('\n', i - 1) + 1)
  /** Past the spaces, the comment and the line break after a value (the yaml package's node end). */
  const lineEnd = (i: number): number => {
    while (text.charCodeAt(i) === SPACE) i++
    if (text.charCodeAt(i) === HASH) {
      const eol = text.indexOf('\n', i)
      return eol === -1 ? text.length : eol + 1
    }
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) return i + 2
    return text.charCodeAt(i) === LF ? i + 1 : i
  }

  const listener = (event: string, state: State): void => {
    if (event === 'open') {
      opened.push(Math.min(state.position, text.length))
      below.push(top)
      return
    }
    const open = opened.pop()!
    // (js-yaml reads the text with a line break added at its end when it has none.)
    const position = Math.min(state.position, text.length)
    const first = below.pop()!
    const count = top - first
    const { kind, result } = state
    const anchor = (state as unknown as { anchor: string | null }).anchor
    if (anchor !== null) throw new NotPlain()
    // js-yaml tries a node as the first key of a block mapping before it reads it as what it is:
    // a collection so read is the one node inside (the same value), which stands for it.
    if (count === 1 && values[first] === result && result !== null && typeof result === 'object') {
      if (!opened.length) root = { start: starts[first]!, end: ends[first]! }
      return
    }
    let start: number
    let end: number
    let after: number
    if (kind === null) {
      // An empty value (`key:` and nothing): after the colon and the spaces after it.
      start = open
      while (text.charCodeAt(start) === SPACE) start++
      end = start
      // (Its line break is its own only with a comment before it; blank lines after such a
      // comment count to it in the yaml package by rules of its own: left to it.)
      after = start
      if (text.charCodeAt(start) === HASH) {
        after = lineEnd(start)
        let j = after
        while (text.charCodeAt(j) === SPACE) j++
        const c = text.charCodeAt(j)
        if (after < text.length && (c === LF || c === CR || j === text.length)) throw new NotPlain()
      }
    } else {
      start = contentStart(open)
      const c = text.charCodeAt(start)
      // Aliases, anchors, tags and explicit keys.
      if (c === 42 /* * */ || c === 38 /* & */ || c === 33 /* ! */ || c === 63 /* ? */) throw new NotPlain()
      if (kind === 'scalar') {
        if (c === 124 /* | */ || c === 62 /* > */) {
          // A block scalar ends with the line break of its last line that is not blank; keeping
          // trailing lines (`|+`) or an explicit indentation is left to the yaml package.
          const eol = text.indexOf('\n', start)
          if (/[+0-9]/.test(text.slice(start + 1, eol === -1 ? text.length : eol))) throw new NotPlain()
          const last = text.indexOf('\n', trimEnd(position, start + 1))
          end = after = last === -1 ? text.length : last + 1
        } else {
          end = trimEnd(position, start)
          after = lineEnd(end)
        }
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        end = trimEnd(position, start)
        after = lineEnd(end)
        // The yaml package refuses some comments inside flow collections that js-yaml reads.
        if (/[ \n]#/.test(text.slice(start, end))) throw new NotPlain()
        record(result as object, kind, first, count)
      } else {
        // A block mapping or sequence ends where its last value does, with the comment lines after
        // a scalar indented more than the collection's members, or after an empty value those from
        // one indented as much as the members on; then come those the collection counts its own
        // (from one indented as much as its members on).
        if (!count) throw new NotPlain()
        const last = top - 1
        const n = column(start)
        end = afters[last]!
        if (shapes[last] === INLINE) end = comments(end, 'scalar', n)
        else if (shapes[last] === EMPTY) end = comments(end, 'collection', n)
        after = comments(end, 'collection', n)
        record(result as object, kind, first, count)
      }
    }
    // The members' nodes are done with (a scalar's are js-yaml's tries at something else).
    top = first
    if (opened.length) {
      starts[top] = start
      ends[top] = end
      afters[top] = after
      values[top] = result
      const c = text.charCodeAt(start)
      shapes[top++] =
        kind === null
          ? EMPTY
          : c === 124 /* | */ || c === 62 /* > */
            ? BLOCK
            : kind === 'scalar' || c === 123 /* { */ || c === 91 /* [ */
              ? INLINE
              : BLOCK
    } else root = { start, end }
  }

  /** Notes where the members of a collection are: the `count` nodes on the stack from `first`. */
  const record = (value: object, kind: string, first: number, count: number) => {
    const at: number[] = new Array<number>(kind === 'mapping' ? 2 * count : 4 * count)
    if (kind === 'mapping') {
      const names: string[] = new Array<string>(count >> 1)
      let keys = 0
      for (const _ in value) keys++
      if (count !== 2 * keys) throw new NotPlain()
      for (let i = 0; i < count; i += 2) {
        const k = values[first + i]
        // Keys the two readers make different names of (null, objects), and merge keys.
        if (k === null || typeof k === 'object' || k === '<<') throw new NotPlain()
        names[i >> 1] = String(k)
        at[2 * i] = starts[first + i]!
        at[2 * i + 1] = ends[first + i]!
        at[2 * i + 2] = starts[first + i + 1]!
        at[2 * i + 3] = ends[first + i + 1]!
      }
      places.set(value, { names, byName: undefined, at })
    } else {
      if (!Array.isArray(value) || count !== value.length) throw new NotPlain()
      for (let i = 0; i < count; i++) {
        at[4 * i] = at[4 * i + 1] = -1
        at[4 * i + 2] = starts[first + i]!
        at[4 * i + 3] = ends[first + i]!
      }
      places.set(value, { names: undefined, byName: undefined, at })
    }
  }

  let value: unknown
  try {
    value = load(text, { schema: SCHEMA, listener, maxDepth } as Parameters<typeof load>[1])
  } catch {
    // Refused by js-yaml (or not plain): the yaml package says what is wrong, or reads it.
    return undefined
  }
  if (value === null || typeof value !== 'object' || !root) return undefined
  // The way the last path looked up went, per step: the value reached and where it is. Findings
  // come in the order a walk meets them, and a path mostly shares all but its last steps with the
  // one before.
  type Found = { start: number; end: number; key?: [number, number] }
  let lastPath: readonly string[] = []
  const reached: unknown[] = [value]
  const found: Found[] = [{ start: root.start, end: root.end }]
  return {
    value,
    locate(path) {
      let d = 0
      while (d < path.length && d < lastPath.length && path[d] === lastPath[d]) d++
      reached.length = found.length = d + 1
      lastPath = path
      for (; d < path.length; d++) {
        const v = reached[d]
        const seg = path[d]!
        if (v === null || typeof v !== 'object') break
        const p = places.get(v)
        if (!p) break
        let i: number
        if (p.names) {
          if (!p.byName) {
            p.byName = new Map()
            for (let j = 0; j < p.names.length; j++) p.byName.set(p.names[j]!, j)
          }
          i = p.byName.get(seg) ?? -1
        } else i = /^(?:0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : -1
        if (i < 0 || 4 * i >= p.at.length) break
        const at = p.at
        found.push(
          p.names
            ? { start: at[4 * i + 2]!, end: at[4 * i + 3]!, key: [at[4 * i]!, at[4 * i + 1]!] }
            : { start: at[4 * i + 2]!, end: at[4 * i + 3]! },
        )
        reached.push(p.names ? (v as Record<string, unknown>)[seg] : (v as unknown[])[i])
      }
      // (The steps that led somewhere are kept: the next path may share them.)
      if (d < path.length) {
        lastPath = path.slice(0, d)
        return undefined
      }
      const v = reached[d]
      return { ...found[d]!, container: v !== null && typeof v === 'object' }
    },
  }
}
