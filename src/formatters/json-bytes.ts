/**
 * A value as the UTF-8 bytes of JSON.stringify(value, null, 2), made in pieces. A report of tens of
 * thousands of findings is a JSON text of tens of MB: as one string, V8 builds it from parts, joins
 * them into a flat copy to encode it, and the encoded bytes are a third copy (GitHub's description:
 * 31 MB of JSON, some 140 MB at the peak of the run). Here the long arrays are written a slice of
 * items at a time, each slice stringified by JSON.stringify itself and encoded at once, so that only
 * the bytes of the whole text are ever held.
 *
 * A piece is one or more whole members or items, never part of a string. With a `filter`, the bytes
 * of each piece are shown to `filter.needed` as they are written, and a piece it says needs fixing
 * is written again as `filter.fix` makes its text (safeJson makes vendor text harmless this way:
 * a scan of the bytes, where a regular expression over each piece's text took longer than encoding
 * it). `after` ends the text.
 */
export function jsonBytes(value: unknown, filter?: PieceFilter, after = ''): Buffer {
  const bytes = new Utf8Blocks(filter)
  write(value, 0, (s) => bytes.add(s))
  if (after) bytes.add(after)
  return bytes.joined()
}

/** What a piece of JSON text must not hold, and what it becomes when it does. */
export interface PieceFilter {
  /** Whether the UTF-8 bytes of a piece hold anything `fix` changes (it may say so of more). */
  needed(bytes: Buffer): boolean
  /** The text of a piece `needed` said so of, fixed. */
  fix(json: string): string
}

/** The largest block of bytes `Utf8Blocks` writes into (a larger piece gets a block of its size). */
const BLOCK = 4 << 20

/**
 * Text encoded as UTF-8 into a few large blocks as it comes, joined once at the end. Encoding each
 * piece into a Buffer of its own (Buffer.from) measures the piece's bytes in a pass before writing
 * them in another: twice the time of writing into room already there (AWS EC2's 15 MB report: 22
 * against 10 ms).
 */
class Utf8Blocks {
  private readonly full: Buffer[] = []
  private block = Buffer.alloc(0)
  private used = 0
  private total = 0

  constructor(private readonly filter?: PieceFilter) {}

  add(s: string): void {
    const start = this.write(s)
    if (this.filter?.needed(this.block.subarray(start, this.used))) {
      // Taken back (from the block it went into, the last one) and written as fixed.
      this.total -= this.used - start
      this.used = start
      this.write(this.filter.fix(s))
    }
  }

  /** Writes the text's bytes after those written so far, in a new block if they do not fit; where they start in it. */
  private write(s: string): number {
    // A UTF-16 code unit is at most three bytes of UTF-8 (a surrogate pair, two units, is four).
    const room = 3 * s.length
    if (this.block.length - this.used < room) {
      if (this.used) this.full.push(this.block.subarray(0, this.used))
      // Small for a small report, then larger as the text grows.
      this.block = Buffer.allocUnsafe(Math.max(room, Math.min(BLOCK, 2 * this.total + 65536)))
      this.used = 0
    }
    const start = this.used
    const n = this.block.write(s, start, 'utf8')
    this.used += n
    this.total += n
    return start
  }

  /** The bytes written, in one Buffer of their length (only what was written is copied out). */
  joined(): Buffer {
    return Buffer.concat([...this.full, this.block.subarray(0, this.used)], this.total)
  }
}

/** Items stringified together: large enough that a call costs little, small enough to stay small. */
const SLICE = 256

const indent = (depth: number) => ' '.repeat(2 * depth)

/** Writes `value` as it stands `depth` levels deep in JSON.stringify(…, null, 2), the first line unindented. */
function write(value: unknown, depth: number, add: (s: string) => void): void {
  if (!holdsLongArray(value)) return add(at(value, depth))
  const inner = indent(depth + 1)
  const end = '\n' + indent(depth)
  if (Array.isArray(value)) {
    add('[\n')
    // A long list is written a slice at a time, a short one that holds a long one item by item.
    // (A slice's text is handed on as it is: joined to the comma before it, it would be copied whole
    // the first time it is read.)
    if (value.length > SLICE)
      for (let i = 0; i < value.length; i += SLICE) {
        if (i) add(',\n')
        add(items(value.slice(i, i + SLICE), depth + 1))
      }
    else
      value.forEach((v, i) => {
        add((i ? ',\n' : '') + inner)
        write(v, depth + 1, add)
      })
    add(end + ']')
    return
  }
  const object = value as Record<string, unknown>
  add('{\n')
  let first = true
  for (const key of Object.keys(object)) {
    const v = object[key]
    // JSON.stringify leaves out the members it cannot write.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue
    add((first ? '' : ',\n') + inner + JSON.stringify(key) + ': ')
    first = false
    write(v, depth + 1, add)
  }
  add(end + '}')
}

/** JSON.stringify(value, null, 2) indented as a value `depth` levels deep: nested in as many arrays, then cut out. */
function at(value: unknown, depth: number): string {
  const text = JSON.stringify(nest(value, depth), null, 2)
  if (text === undefined) return 'null'
  const [before, after] = frame(depth)
  return text.slice(before, text.length - after)
}

/** The items of an array `depth` levels deep, each on its lines, joined as JSON.stringify joins them. */
function items(list: unknown[], depth: number): string {
  // The list as a value one level up, without its brackets and the line breaks inside them.
  const text = at(list, depth - 1)
  return text.slice(2, text.length - 1 - (2 * (depth - 1) + 1))
}

const nest = (value: unknown, depth: number): unknown => {
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

const frames: [number, number][] = []
/** How many characters the arrays `nest` wraps a value in add before and after it. */
function frame(depth: number): [number, number] {
  let f = frames[depth]
  if (!f) {
    const text = JSON.stringify(nest(0, depth), null, 2)
    const at0 = text.lastIndexOf('0')
    frames[depth] = f = [at0, text.length - at0 - 1]
  }
  return f
}

/** An object JSON.stringify writes member by member: a plain one, without toJSON (not a Date, not a boxed string). */
function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * Whether the value is, or holds within three levels, an array longer than a slice (a report's
 * findings, SARIF's results): what is written in pieces. Anything else is stringified at once.
 */
function holdsLongArray(v: unknown, levels = 3): boolean {
  if (Array.isArray(v))
    return v.length > SLICE || (levels > 0 && v.some((x) => holdsLongArray(x, levels - 1)))
  if (!isRecord(v) || levels === 0) return false
  for (const k in v) if (holdsLongArray(v[k], levels - 1)) return true
  return false
}
