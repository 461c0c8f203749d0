import { createHash } from 'node:crypto'
import { parse as parseJsonc, printParseErrorCode, visit as visitJson, type ParseError } from 'jsonc-parser'
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import { InputError } from '../core/errors.js'
import type { Loc, Location } from '../core/types.js'
import { JsonIndex, jsonStringEnd, unescapeSegment, type JsonSpan } from './json-index.js'
import { displayPath, type DocumentReader } from './reader.js'
import { readPlainYaml } from './yaml-plain.js'

/** Where a value starts: at its first character, or (objects and arrays) just after its key. */
export type PositionStyle = 'value' | 'after-key'

export interface Position {
  line: number
  column: number
  endLine: number
  endColumn: number
}

/**
 * A parsed JSON or YAML document that remembers where each value came from.
 * The value is parsed once; positions are looked up only for the places a finding points at.
 */
export interface SourceDocument {
  /** Absolute URI (file:// or https://) of the document. */
  uri: string
  /** The path as shown to users: relative to the working directory where possible. */
  displayPath: string
  format: 'json' | 'yaml'
  /** The text as parsed: without the byte order mark a file may start with (see `bom`). */
  text: string
  /**
   * Whether the text was read with a UTF-8 byte order mark before it: the file's bytes are then
   * the mark's and the text's (what a report's digest of an input covers, see inputDigest).
   */
  bom?: boolean
  /**
   * The SHA-256 (hex) of the file's bytes, where the reader hashed them as it read the file (see
   * inputDigest): the mark's and the text's.
   */
  sha256?: string
  value: unknown
  /**
   * Position of the value at `pointer`, or of its key when `key` is true. Undefined when absent.
   * With style `after-key`, an object or array that is a member's value starts right after its
   * key's colon, as Spectral places it, so that findings of Spectral rulesets sit where Spectral's do.
   */
  position(pointer: string, key?: boolean, style?: PositionStyle): Position | undefined
}

// YAML documents larger than this are refused an alias expansion budget beyond it ("billion laughs").
const MAX_ALIAS_COUNT = 1000

/**
 * Documents that nest values deeper than this are refused. Rules, the JSON Schema validators and
 * swagger-parser walk documents recursively, and a few kilobytes of brackets nested thousands of
 * levels deep would overflow the stack in one of them; real documents nest a few dozen levels.
 */
export const MAX_DEPTH = 256

/**
 * YAML documents longer than this (in characters) are refused: reading YAML with positions takes 30
 * to 100 times its size in memory (Microsoft Graph's 20 MB description about 600 MB), so a larger one
 * could exhaust the heap. JSON takes far less and may be as large as the reader allows.
 */
export const MAX_YAML_CHARS = 32 * 1024 * 1024

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return []
  const p = pointer.charCodeAt(0) === 35 /* # */ ? pointer.slice(1) : pointer
  if (p.charCodeAt(0) !== 47 /* / */) throw new Error(`Not a JSON pointer: ${pointer}`)
  const segments = p.slice(1).split('/')
  // Most pointers have no escapes; unescaping only those that do spares two regexes per segment.
  if (p.includes('~')) for (let i = 0; i < segments.length; i++) segments[i] = unescapeSegment(segments[i]!)
  return segments
}

export function escapeSegment(segment: string | number): string {
  const s = String(segment)
  // Most keys need no escaping; testing first spares two regular expressions per key.
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  let pointer = base
  for (let i = 0; i < segments.length; i++) pointer += '/' + escapeSegment(segments[i]!)
  return pointer
}

/** Reads a value at a JSON pointer without following $refs. */
export function getAt(value: unknown, pointer: string): { found: boolean; value: unknown } {
  let cur: unknown = value
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(cur)) {
      const i = Number(seg)
      if (!/^\d+$/.test(seg) || i >= cur.length) return { found: false, value: undefined }
      cur = cur[i]
    } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg)) {
      cur = (cur as Record<string, unknown>)[seg]
    } else {
      return { found: false, value: undefined }
    }
  }
  return { found: true, value: cur }
}

/** Where each line of a text starts (a few bytes a line, no strings). */
class LineIndex {
  private starts: number[] = [0]
  constructor(private readonly text: string) {
    // indexOf finds the next newline far faster than a loop over every character.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }
  get lineCount(): number {
    return this.starts.length
  }
  /** The text of a line (1-based), without its line feed. */
  line(n: number): string {
    return this.text.slice(this.starts[n - 1], n < this.starts.length ? this.starts[n]! - 1 : undefined)
  }
  /** 1-based line and column of an offset. */
  at(offset: number): { line: number; column: number } {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 }
  }
  /** The position from one offset to another. */
  between(start: number, end: number): Position {
    const s = this.at(start)
    const e = this.at(end)
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column }
  }
}

function looksLikeJson(text: string, uri: string): boolean {
  if (/\.json$/i.test(new URL(uri).pathname)) return true
  const first = text.match(/^\s*(\S)/)?.[1]
  return first === '{' || first === '['
}

/**
 * Position of the value at `pointer`, or of its nearest ancestor that has one
 * (values reached through YAML merge keys have no node of their own).
 */
export function positionOf(
  doc: SourceDocument,
  pointer: string,
  key = false,
  style: PositionStyle = 'value',
): Position | undefined {
  // Nearly always the value is there: ask for it as it is before taking the pointer apart.
  const direct = doc.position(pointer, key, style)
  if (direct && !(style === 'after-key' && (pointer === '' || pointer === '#'))) return direct
  let segments = parsePointer(pointer)
  for (;;) {
    const ptr = segments.map((s) => '/' + escapeSegment(s)).join('')
    const pos = doc.position(ptr, key, style)
    // Spectral places the whole document at its first character, before any `---` or comment.
    if (pos && style === 'after-key' && segments.length === 0) return { ...pos, line: 1, column: 1 }
    if (pos || segments.length === 0) return pos
    segments = segments.slice(0, -1)
    key = false
  }
}

/** How a caller that walks a parsed JSON value anyway counts its objects' members as it does (see parseSource). */
export type MemberCounter = (value: unknown) => number

/**
 * A document parsed, with where its values are written. A JSON text's members are counted in its
 * parsed value (to find keys written twice in an object): by `countMembers` when the caller walks
 * the value anyway and counts them as it does (the OpenAPI loader, as it collects the `$ref`s), or
 * else by a walk of its own.
 */
export function parseSource(
  text: string,
  uri: string,
  displayPath: string,
  countMembers: MemberCounter = memberCount,
): SourceDocument {
  const bom = text.charCodeAt(0) === 0xfeff
  if (bom) text = text.slice(1)
  const doc = looksLikeJson(text, uri)
    ? parseJsonSource(text, uri, displayPath, countMembers)
    : parseYamlSource(text, uri, displayPath)
  if (bom) doc.bom = true
  return doc
}

/**
 * A document a reader read, parsed and shown by its display path, with the digest of its file's
 * bytes where the reader took them from a file (see inputDigest).
 */
export function parseRead(
  reader: Pick<DocumentReader, 'digest'>,
  uri: string,
  text: string,
  countMembers?: MemberCounter,
): SourceDocument {
  const doc = parseSource(text, uri, displayPath(uri), countMembers)
  const sha256 = reader.digest?.(uri)
  if (sha256) doc.sha256 = sha256
  return doc
}

/**
 * The SHA-256 of a document as its file holds it (hex), as `sha256sum` prints it for the file: of
 * its text in UTF-8 (which the reader took strictly, so these are the bytes it read), with the byte
 * order mark it started with, if any.
 */
export function inputDigest(doc: Pick<SourceDocument, 'text' | 'bom' | 'sha256'>): string {
  // Hashed as read, where it was read from a file: a text of two bytes a character (any character
  // beyond Latin-1 makes one) is otherwise encoded again to be hashed (Stripe's: 5 against 1.5 ms).
  if (doc.sha256) return doc.sha256
  const hash = createHash('sha256')
  if (doc.bom) hash.update('\uFEFF')
  return hash.update(doc.text).digest('hex')
}

function parseJsonSource(
  text: string,
  uri: string,
  displayPath: string,
  countMembers: MemberCounter,
): SourceDocument {
  // Where the text is refused, before there is a document to index lines for.
  let lines: LineIndex | undefined
  const at = (offset: number) => (lines ??= new LineIndex(text)).at(offset)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Depth first: jsonc-parser, which places syntax errors, is recursive.
    const tooDeepAt = tooDeepInJson(text)
    if (tooDeepAt !== undefined) throw tooDeep(displayPath, at(tooDeepAt))
    // Find where it broke with a parser that reports offsets.
    const errors: ParseError[] = []
    parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true })
    const err = errors[0]
    const pos = err ? at(err.offset) : undefined
    throw new InputError(
      `JSON syntax error: ${err ? describeJsonError(printParseErrorCode(err.error)) : 'the file could not be parsed'}.`,
      { file: displayPath, line: pos?.line, column: pos?.column },
    )
  }
  // The index of where values are, which findings need, is made now: its one pass over the text also
  // measures the nesting and counts the members the text writes.
  const index = new JsonIndex(text, MAX_DEPTH)
  if (index.tooDeepAt !== undefined) throw tooDeep(displayPath, at(index.tooDeepAt))
  // JSON.parse keeps the last of two equal keys of an object and other tools the first, so a document
  // with both means different things to different readers. Fewer members than the text writes
  // means some were written twice; only then is the text read again to find where.
  if (countMembers(value) === index.memberCount) index.keysAreUnique()
  else {
    const dup = firstDuplicateJsonKey(text)
    if (dup)
      throw new InputError(
        `The key '${dup.key}' is written twice in one object (first at line ${at(dup.first).line}); tools differ in which of the two they read.`,
        { file: displayPath, ...at(dup.offset), property: dup.pointer },
      )
  }
  let lastPointer: string | undefined
  let lastSpan: JsonSpan | undefined
  const source: SourceDocument = {
    uri,
    displayPath,
    format: 'json',
    text,
    value,
    position(pointer, key = false, style = 'value') {
      // A finding about a key asks for the key's place and then the value's (for its excerpt).
      if (pointer !== lastPointer) {
        lastPointer = pointer
        lastSpan = index.findPointer(pointer)
      }
      const span = lastSpan
      if (!span) return undefined
      const hasKey = span.keyStart !== undefined && span.keyEnd !== undefined
      const [from, to] = key && hasKey ? [span.keyStart!, span.keyEnd!] : [span.start, span.end]
      const first = text.charCodeAt(span.start)
      const container = first === 123 /* { */ || first === 91 /* [ */
      const afterKey = style === 'after-key' && !key && hasKey && container
      // The lines found here serve the excerpts too.
      return linesOf(source).between(afterKey ? span.keyEnd! + 1 : from, to)
    },
  }
  return source
}

function describeJsonError(code: string): string {
  const map: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: 'a colon was expected',
    CommaExpected: 'a comma was expected',
    CloseBraceExpected: 'a closing brace } was expected',
    CloseBracketExpected: 'a closing bracket ] was expected',
    EndOfFileExpected: 'the document should end here',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
  }
  return map[code] ?? code
}

/**
 * A YAML document, read by js-yaml when it is plain YAML (yaml-plain.ts) and by the yaml package
 * otherwise (`reader: 'yaml'`: always by the yaml package, which the tests compare the other with).
 */
export function parseYamlSource(
  text: string,
  uri: string,
  displayPath: string,
  reader: 'auto' | 'yaml' = 'auto',
): SourceDocument {
  if (text.length > MAX_YAML_CHARS)
    throw new InputError(
      `The YAML document is larger than ${MAX_YAML_CHARS / 1024 / 1024} MB, the most interop reads as YAML (reading YAML takes many times its size in memory); convert it to JSON, which may be larger.`,
      { file: displayPath },
    )
  const plain = reader === 'auto' ? readPlainYaml(text, 2 * MAX_DEPTH + 8) : undefined
  // (Too deep a document is read again by the yaml package, which says where.)
  if (plain && depthOf(plain.value) <= MAX_DEPTH) {
    const source: SourceDocument = {
      uri,
      displayPath,
      format: 'yaml',
      text,
      value: plain.value,
      position(pointer, key = false, style = 'value') {
        const found = plain.locate(parsePointer(pointer))
        if (!found) return undefined
        const lines = linesOf(source)
        if (key && found.key) return lines.between(found.key[0], found.key[1])
        if (style === 'after-key' && !key && found.key && found.container)
          return lines.between(found.key[1] + 1, found.end)
        return lines.between(found.start, found.end)
      },
    }
    return source
  }
  const lineCounter = new LineCounter()
  // Duplicate keys are looked for below, in one pass: the yaml package's own check (uniqueKeys)
  // compares each key with every earlier key of its mapping, and takes minutes on a mapping of
  // a hundred thousand keys.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: true })
  const firstError = doc.errors[0]
  if (firstError) {
    const pos = firstError.linePos?.[0]
    // The yaml package reports its stack overflow on a deeply nested document as a syntax error.
    if (firstError.message.includes('Maximum call stack size exceeded'))
      throw tooDeep(displayPath, pos && { line: pos.line, column: pos.col })
    const msg = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new InputError(`YAML syntax error: ${msg}.`, {
      file: displayPath,
      line: pos?.line,
      column: pos?.col,
    })
  }
  const toPos = (start: number, end: number): Position => {
    const s = lineCounter.linePos(start)
    const e = lineCounter.linePos(end)
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col }
  }
  const dup = firstDuplicateYamlKey(doc)
  if (dup) {
    const first = lineCounter.linePos(dup.first)
    const pos = lineCounter.linePos(dup.offset)
    throw new InputError(
      `YAML syntax error: the key '${dup.key}' is written twice in one mapping (first at line ${first.line}).`,
      { file: displayPath, line: pos.line, column: pos.col },
    )
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    // Aliases can nest a value deeper than it is written, deeper than toJS can recurse.
    if (e instanceof RangeError) throw tooDeep(displayPath)
    throw new InputError(`YAML could not be read: ${(e as Error).message}.`, { file: displayPath })
  }
  const source: SourceDocument = {
    uri,
    displayPath,
    format: 'yaml',
    text,
    value,
    position(pointer, key = false, style = 'value') {
      const found = findYamlNode(doc, parsePointer(pointer))
      if (!found) return undefined
      const target = key && found.key ? found.key : found.node
      const range = (target as { range?: [number, number, number] }).range
      if (!range) return undefined
      const keyRange = (found.key as { range?: [number, number, number] } | undefined)?.range
      if (style === 'after-key' && !key && keyRange && (isMap(found.node) || isSeq(found.node)))
        return toPos(keyRange[1] + 1, range[1])
      return toPos(range[0], range[1])
    },
  }
  // The JSON text's depth was read from its brackets; YAML's is read from its value (aliases included).
  if (depthOf(value) > MAX_DEPTH) {
    const path = pathDeeperThan(value, MAX_DEPTH)
    throw tooDeep(displayPath, path && positionOf(source, path.map((s) => '/' + escapeSegment(s)).join('')))
  }
  source.value = unshared(value)
  return source
}

/**
 * The value with every object and array at one place only. An alias (and a merge key) makes one
 * object appear at several places; each further place gets a copy, made on the way down, so that
 * an object's identity stands for its place as in a JSON document (see NodeMap in core/loc-map.ts).
 */
function unshared(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  const seen = new Set<object>([value])
  const stack: object[] = [value]
  while (stack.length) {
    const parent = stack.pop() as Record<string, unknown>
    for (const k of Object.keys(parent)) {
      const v = parent[k]
      if (v === null || typeof v !== 'object') continue
      const own: object = seen.has(v) ? (Array.isArray(v) ? [...(v as unknown[])] : { ...v }) : v
      if (own !== v) parent[k] = own
      seen.add(own)
      stack.push(own)
    }
  }
  return value
}

function tooDeep(file: string, pos?: { line: number; column: number }): InputError {
  return new InputError(
    `The document nests values more than ${MAX_DEPTH} levels deep, deeper than interop reads.`,
    { file, line: pos?.line, column: pos?.column },
  )
}

/** Where a JSON text, valid or not, first nests deeper than MAX_DEPTH, if it does. */
function tooDeepInJson(text: string): number | undefined {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) i = jsonStringEnd(text, i) - 1
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_DEPTH) return i
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return undefined
}

/** How deeply a parsed value nests: a scalar 0, an empty object 1. */
function depthOf(value: unknown): number {
  let depth = 0
  const stack: unknown[] = [value]
  const depths: number[] = [1]
  while (stack.length) {
    const v = stack.pop()
    const d = depths.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d > depth) depth = d
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') {
        stack.push(child)
        depths.push(d + 1)
      }
  }
  return depth
}

/** How many members the objects of a parsed JSON value have, all told. */
function memberCount(value: unknown): number {
  let members = 0
  const stack: unknown[] = [value]
  while (stack.length) {
    const v = stack.pop()
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x)
    } else if (v !== null && typeof v === 'object') {
      // for…in, not Object.values: no array per object (JSON.parse makes no inherited keys).
      for (const k in v) {
        members++
        const x = (v as Record<string, unknown>)[k]
        if (x !== null && typeof x === 'object') stack.push(x)
      }
    }
  }
  return members
}

/** The path to the first value nested deeper than `max` levels. */
function pathDeeperThan(value: unknown, max: number): string[] | undefined {
  const stack: [unknown, string[]][] = [[value, []]]
  while (stack.length) {
    const [v, path] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (path.length >= max) return path
    for (const [k, child] of Object.entries(v)) stack.push([child, [...path, k]])
  }
  return undefined
}

/** The first key written twice in one object of a JSON text, with where both are. */
function firstDuplicateJsonKey(
  text: string,
): { key: string; offset: number; first: number; pointer: string } | undefined {
  const open: Map<string, number>[] = []
  let found: { key: string; offset: number; first: number; pointer: string } | undefined
  visitJson(text, {
    onObjectBegin: () => void open.push(new Map()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, offset, _length, _line, _column, path) => {
      const keys = open.at(-1)
      if (found || !keys) return
      const first = keys.get(key)
      if (first === undefined) keys.set(key, offset)
      else found = { key, offset, first, pointer: joinPointer('', ...path(), key) }
    },
  })
  return found
}

/**
 * The first key written twice in one mapping of a YAML document, in document order. Keys are
 * compared as the object keys they become (`1` and `'1'` are the same key); merge keys (`<<`) may repeat.
 */
function firstDuplicateYamlKey(doc: Document): { key: string; offset: number; first: number } | undefined {
  const stack: unknown[] = [doc.contents]
  while (stack.length) {
    const node = stack.pop()
    const children: unknown[] = []
    if (isMap(node)) {
      const seen = new Map<string, number>()
      for (const pair of node.items) {
        const key = pair.key
        const offset = (key as { range?: [number, number, number] } | null)?.range?.[0]
        // A merge key's value is a symbol.
        if (isScalar(key) && typeof key.value !== 'symbol' && offset !== undefined) {
          const name = key.value === null ? '' : String(key.value) // as toJS makes it
          const first = seen.get(name)
          if (first !== undefined) return { key: name, offset, first }
          seen.set(name, offset)
        }
        children.push(pair.value)
      }
    } else if (isSeq(node)) for (const item of node.items) children.push(item)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
  return undefined
}

function findYamlNode(doc: Document, path: string[]): { node: unknown; key?: unknown } | undefined {
  let node: unknown = doc.contents
  let key: unknown
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc)
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg)
      if (!pair) return undefined
      key = pair.key
      node = pair.value
    } else if (isSeq(node)) {
      node = node.items[Number(seg)]
      key = undefined
      if (node === undefined) return undefined
    } else return undefined
  }
  if (isAlias(node)) node = node.resolve(doc) ?? node
  return { node: node ?? key, key }
}

/** A location as written to reports: the document's display path, the pointer, line and column. */
export function locationIn(
  doc: SourceDocument | undefined,
  loc: Loc,
  key = false,
  style: PositionStyle = 'value',
): Location {
  if (!doc) return { source: displayPath(loc.uri), pointer: loc.pointer }
  const pos = positionOf(doc, loc.pointer, key, style)
  // (Written out, not spread: a finding's location is made for each of tens of thousands of them.)
  return pos
    ? {
        source: doc.displayPath,
        pointer: loc.pointer,
        line: pos.line,
        column: pos.column,
        endLine: pos.endLine,
        endColumn: pos.endColumn,
      }
    : { source: doc.displayPath, pointer: loc.pointer }
}

/** A document's lines, indexed once: for JSON positions and for the excerpts of any document. */
const lineIndexes = new WeakMap<SourceDocument, LineIndex>()

function linesOf(doc: SourceDocument): LineIndex {
  let lines = lineIndexes.get(doc)
  if (!lines) lineIndexes.set(doc, (lines = new LineIndex(doc.text)))
  return lines
}

/** The longest line an excerpt shows whole; a longer one is cut to this many characters. */
const EXCERPT_WIDTH = 160

/**
 * A few numbered lines of the source around the value at a pointer, for evidence. A line too long to
 * show is cut around the value on the value's own line (a minified JSON description is one line:
 * its start would say nothing of the value), and after its start on the others.
 */
export function excerptOf(
  doc: SourceDocument,
  pointer: string,
  context = 2,
  at?: { line?: number; column?: number; endLine?: number },
): string | undefined {
  const pos =
    at?.line !== undefined && at.endLine !== undefined
      ? { line: at.line, column: at.column, endLine: at.endLine }
      : positionOf(doc, pointer)
  if (!pos) return undefined
  const lines = linesOf(doc)
  const from = Math.max(1, pos.line - context)
  const to = Math.min(lines.lineCount, Math.max(pos.line + context, Math.min(pos.endLine, pos.line + 6)))
  const width = String(to).length
  const cut = (l: string, n: number) => {
    if (l.length <= EXCERPT_WIDTH) return l
    const column = n === pos.line ? (pos.column ?? 1) : 1
    // A third of the width before the value, the rest from it on.
    const start = column <= EXCERPT_WIDTH / 3 ? 0 : column - 1 - Math.floor(EXCERPT_WIDTH / 3)
    const end = start + EXCERPT_WIDTH - 3 - (start > 0 ? 3 : 0)
    return (start > 0 ? '...' : '') + l.slice(start, end) + (end < l.length ? '...' : '')
  }
  const out: string[] = []
  for (let n = from; n <= to; n++) out.push(`${String(n).padStart(width)} | ${cut(lines.line(n), n)}`)
  return out.join('\n')
}
