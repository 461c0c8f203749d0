import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import { InputError } from '../core/errors.js'
import type { Loc, Location } from '../core/types.js'
import { JsonIndex } from './json-index.js'
import { displayPath } from './reader.js'

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
  text: string
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

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return []
  const p = pointer.charCodeAt(0) === 35 /* # */ ? pointer.slice(1) : pointer
  if (p.charCodeAt(0) !== 47 /* / */) throw new Error(`Not a JSON pointer: ${pointer}`)
  const segments = p.slice(1).split('/')
  // Most pointers have no escapes; unescaping only those that do spares two regexes per segment.
  if (p.includes('~'))
    for (let i = 0; i < segments.length; i++)
      if (segments[i]!.includes('~')) segments[i] = segments[i]!.replace(/~1/g, '/').replace(/~0/g, '~')
  return segments
}

export function escapeSegment(segment: string | number): string {
  const s = String(segment)
  // Most keys need no escaping; testing first spares two regular expressions per key.
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => '/' + escapeSegment(s)).join('')
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

class LineIndex {
  private starts: number[] = [0]
  constructor(text: string) {
    // indexOf finds the next newline far faster than a loop over every character.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
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

export function parseSource(text: string, uri: string, displayPath: string): SourceDocument {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return looksLikeJson(text, uri)
    ? parseJsonSource(text, uri, displayPath)
    : parseYamlSource(text, uri, displayPath)
}

function parseJsonSource(text: string, uri: string, displayPath: string): SourceDocument {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Find where it broke with a parser that reports offsets.
    const errors: ParseError[] = []
    parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true })
    const err = errors[0]
    const lines = new LineIndex(text)
    const pos = err ? lines.at(err.offset) : undefined
    throw new InputError(
      `JSON syntax error: ${err ? describeJsonError(printParseErrorCode(err.error)) : 'the file could not be parsed'}.`,
      { file: displayPath, line: pos?.line, column: pos?.column },
    )
  }
  let index: JsonIndex | undefined
  let lines: LineIndex | undefined
  return {
    uri,
    displayPath,
    format: 'json',
    text,
    value,
    position(pointer, key = false, style = 'value') {
      index ??= new JsonIndex(text)
      lines ??= new LineIndex(text)
      const span = index.find(parsePointer(pointer))
      if (!span) return undefined
      const hasKey = span.keyStart !== undefined && span.keyEnd !== undefined
      const [from, to] = key && hasKey ? [span.keyStart!, span.keyEnd!] : [span.start, span.end]
      const first = text.charCodeAt(span.start)
      const container = first === 123 /* { */ || first === 91 /* [ */
      const afterKey = style === 'after-key' && !key && hasKey && container
      const start = lines.at(afterKey ? span.keyEnd! + 1 : from)
      const end = lines.at(to)
      return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column }
    },
  }
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

function parseYamlSource(text: string, uri: string, displayPath: string): SourceDocument {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: true })
  const firstError = doc.errors[0]
  if (firstError) {
    const pos = firstError.linePos?.[0]
    const msg = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    throw new InputError(`YAML syntax error: ${msg}.`, {
      file: displayPath,
      line: pos?.line,
      column: pos?.col,
    })
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    throw new InputError(`YAML could not be read: ${(e as Error).message}.`, { file: displayPath })
  }
  const toPos = (start: number, end: number): Position => {
    const s = lineCounter.linePos(start)
    const e = lineCounter.linePos(end)
    return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col }
  }
  return {
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
  return { source: doc.displayPath, pointer: loc.pointer, ...positionOf(doc, loc.pointer, key, style) }
}

const linesOf = new WeakMap<SourceDocument, string[]>()

/** A few numbered lines of the source around the value at a pointer, for evidence. */
export function excerptOf(
  doc: SourceDocument,
  pointer: string,
  context = 2,
  at?: { line?: number; endLine?: number },
): string | undefined {
  const pos =
    at?.line !== undefined && at.endLine !== undefined
      ? { line: at.line, endLine: at.endLine }
      : positionOf(doc, pointer)
  if (!pos) return undefined
  let lines = linesOf.get(doc)
  if (!lines) linesOf.set(doc, (lines = doc.text.split('\n')))
  const from = Math.max(1, pos.line - context)
  const to = Math.min(lines.length, Math.max(pos.line + context, Math.min(pos.endLine, pos.line + 6)))
  const width = String(to).length
  return lines
    .slice(from - 1, to)
    .map((l, i) => `${String(from + i).padStart(width)} | ${l.length > 160 ? l.slice(0, 157) + '...' : l}`)
    .join('\n')
}
