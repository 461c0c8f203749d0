/**
 * Where the values of a JSON text are, found without building a syntax tree: one scan records the
 * start and end of every object and array (two integer arrays, in the order they start), and an
 * object's members or an array's items are listed only when a pointer goes through them. A tree of
 * the whole text (what jsonc-parser's parseTree builds) holds an object per value: for a 20 MB
 * description, hundreds of megabytes to place a few thousand findings.
 *
 * The text must be valid JSON (it has been parsed with JSON.parse first).
 */
export interface JsonSpan {
  /** Offset of the value's first character, and just past its last. */
  start: number
  end: number
  /** For an object member: where its key (with quotes) starts and ends. */
  keyStart?: number
  keyEnd?: number
}

interface Member {
  keyStart: number
  keyEnd: number
  start: number
}

const QUOTE = 34
const BACKSLASH = 92
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const COMMA = 44
const COLON = 58

export class JsonIndex {
  private starts = new Int32Array(1024)
  private ends = new Int32Array(1024)
  private count = 0
  /** Per object read so far: its members found, and where the next is written (-1: all read). */
  private readonly members = new Map<number, { found: Map<string, Member>; next: number }>()
  private readonly items = new Map<number, number[]>()
  private readonly root: number
  /**
   * The pointer looked up last (without `#`), and, for as many of its segments as led somewhere,
   * where each ends in it and what each led to (the root first).
   */
  private lastPointer = ''
  private readonly lastEnds: number[] = []
  private readonly lastFound: (Member | number)[] = []
  /** How many object members the text writes (two with the same key count twice). */
  memberCount = 0
  /** Where the first object or array nested deeper than the depth limit opens, if one does. */
  tooDeepAt: number | undefined

  /** Whether no object of the text has a key twice (see `keysAreUnique`). */
  private unique = false

  /**
   * Says that no object of the text has a key twice (its owner compared the members JSON.parse made
   * with `memberCount`): an object's members are then read only as far as the one asked for.
   */
  keysAreUnique(): void {
    this.unique = true
  }

  /** `maxDepth`: how deeply objects and arrays may nest before `tooDeepAt` notes where they do. */
  constructor(
    private readonly text: string,
    maxDepth = Infinity,
  ) {
    this.root = this.skipSpace(0)
    this.lastFound.push(this.root)
    this.scan(maxDepth)
  }

  /**
   * The span of the value at a JSON pointer (`/a/b~1c`, `#/a`), or undefined when there is none.
   * Findings come in the order a walk meets them: a pointer mostly shares all but its last segment
   * or two with the one before. The way the last pointer went (where each of its segments ends, and
   * what each led to) is kept, and a pointer is followed from where it parts from the last one, not
   * from the root: no pointer string is hashed or kept.
   */
  findPointer(pointer: string): JsonSpan | undefined {
    const p = pointer.charCodeAt(0) === 35 /* # */ ? pointer.slice(1) : pointer
    if (p === '') return this.spanAt(this.root, undefined)
    if (p.charCodeAt(0) !== 47 /* / */) throw new Error(`Not a JSON pointer: ${pointer}`)
    const last = this.lastPointer
    const ends = this.lastEnds
    const found = this.lastFound
    // The segments p shares with the last pointer: those that end where one of the last pointer's
    // ends, with the same text up to there.
    const n = Math.min(p.length, last.length)
    let same = 0
    while (same < n && p.charCodeAt(same) === last.charCodeAt(same)) same++
    let shared = 0
    while (
      shared < ends.length &&
      ends[shared]! <= same &&
      (ends[shared] === p.length || p.charCodeAt(ends[shared]!) === 47)
    )
      shared++
    // The rest is followed from the value the shared segments lead to.
    ends.length = shared
    found.length = shared + 1
    let from = shared ? ends[shared - 1]! : 0
    this.lastPointer = p
    while (from < p.length) {
      const at = found[found.length - 1]!
      const to = p.indexOf('/', from + 1)
      const end = to === -1 ? p.length : to
      const next = this.step(typeof at === 'number' ? at : at.start, unescapeSegment(p.slice(from + 1, end)))
      // (The way is kept as far as it led: the next pointer may share that much.)
      if (next === undefined) return undefined
      ends.push(end)
      found.push(next)
      from = end
    }
    const at = found[found.length - 1]!
    return typeof at === 'number' ? this.spanAt(at, undefined) : this.spanAt(at.start, at)
  }

  /** One step down from the value at `start`: the member with key `seg`, or the item at index `seg`. */
  private step(start: number, seg: string): Member | number | undefined {
    const c = this.text.charCodeAt(start)
    if (c === OPEN_BRACE) return this.member(start, seg)
    if (c === OPEN_BRACKET) {
      if (!/^\d+$/.test(seg)) return undefined
      return this.itemsOf(start)[Number(seg)]
    }
    return undefined
  }

  private spanAt(start: number, member: Member | undefined): JsonSpan {
    const span: JsonSpan = { start, end: this.endOf(start) }
    if (member) {
      span.keyStart = member.keyStart
      span.keyEnd = member.keyEnd
    }
    return span
  }

  /** Records where every object and array starts and ends, in one pass over the text. */
  private scan(maxDepth: number): void {
    const text = this.text
    const stack: number[] = []
    let members = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === QUOTE) i = this.stringEnd(i) - 1
      else if (c === COLON) members++
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.count === this.starts.length) this.grow()
        this.starts[this.count] = i
        stack.push(this.count++)
        if (stack.length > maxDepth && this.tooDeepAt === undefined) this.tooDeepAt = i
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.ends[stack.pop()!] = i + 1
    }
    this.memberCount = members
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2)
    starts.set(this.starts)
    const ends = new Int32Array(this.ends.length * 2)
    ends.set(this.ends)
    this.starts = starts
    this.ends = ends
  }

  /** Offset just past the string that starts (with its quote) at `i`. */
  private stringEnd(i: number): number {
    return jsonStringEnd(this.text, i)
  }

  /** Offset just past the value that starts at `i`. */
  private endOf(i: number): number {
    const c = this.text.charCodeAt(i)
    if (c === QUOTE) return this.stringEnd(i)
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      // Containers were recorded in the order they start: find this one by binary search.
      let lo = 0
      let hi = this.count - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        const s = this.starts[mid]!
        if (s === i) return this.ends[mid]!
        if (s < i) lo = mid + 1
        else hi = mid - 1
      }
      return this.text.length
    }
    // A number, true, false or null.
    let j = i
    while (j < this.text.length) {
      const d = this.text.charCodeAt(j)
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d <= 32) break
      j++
    }
    return j
  }

  private skipSpace(i: number): number {
    while (i < this.text.length && this.text.charCodeAt(i) <= 32) i++
    return i
  }

  /**
   * The member `key` of the object at `start`. An object's members are read from the text as far as
   * the one asked for, and the rest only when a later pointer asks for one of them: most objects a
   * finding's pointer passes through are asked for one member (a parameter for its `name`), often
   * written first, before a long `description`. That takes a text with no key twice in an object
   * (`keysAreUnique`); otherwise all members are read, and the last of equal keys wins, as in
   * JSON.parse.
   */
  private member(start: number, key: string): Member | undefined {
    let read = this.members.get(start)
    if (!read) this.members.set(start, (read = { found: new Map(), next: this.skipSpace(start + 1) }))
    const known = read.found.get(key)
    if (known || read.next < 0) return known
    const text = this.text
    let i = read.next
    while (i < text.length && text.charCodeAt(i) === QUOTE) {
      const keyEnd = this.stringEnd(i)
      const raw = text.slice(i + 1, keyEnd - 1)
      const name = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw
      const colon = this.skipSpace(keyEnd)
      const value = this.skipSpace(text.charCodeAt(colon) === COLON ? colon + 1 : colon)
      const member = { keyStart: i, keyEnd, start: value }
      read.found.set(name, member)
      i = this.skipSpace(this.endOf(value))
      if (text.charCodeAt(i) !== COMMA) break
      i = this.skipSpace(i + 1)
      if (name === key && this.unique) {
        read.next = i
        return member
      }
    }
    read.next = -1
    return read.found.get(key)
  }

  /** Where each item of the array at `start` begins. */
  private itemsOf(start: number): number[] {
    let list = this.items.get(start)
    if (list) return list
    list = []
    const text = this.text
    let i = this.skipSpace(start + 1)
    while (i < text.length && text.charCodeAt(i) !== CLOSE_BRACKET) {
      list.push(i)
      i = this.skipSpace(this.endOf(i))
      if (text.charCodeAt(i) !== COMMA) break
      i = this.skipSpace(i + 1)
    }
    this.items.set(start, list)
    return list
  }
}

/** A JSON pointer segment as the key or index it stands for (`~1` is `/`, `~0` is `~`). */
export function unescapeSegment(seg: string): string {
  return seg.includes('~') ? seg.replace(/~1/g, '/').replace(/~0/g, '~') : seg
}

/** Offset just past the JSON string that starts (with its quote) at `i`; the text's end when it is not closed. */
export function jsonStringEnd(text: string, i: number): number {
  for (let j = text.indexOf('"', i + 1); j !== -1; j = text.indexOf('"', j + 1)) {
    let backslashes = 0
    for (let k = j - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++
    if (backslashes % 2 === 0) return j + 1
  }
  return text.length
}
