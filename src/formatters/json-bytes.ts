/**
 * A value as the UTF-8 bytes of JSON.stringify(value, null, 2), made in pieces. A report of tens of
 * thousands of findings is a JSON text of tens of MB: as one string, V8 builds it from parts, joins
 * them into a flat copy to encode it, and the encoded bytes are a third copy (GitHub's description:
 * 31 MB of JSON, some 140 MB at the peak of the run). Here the long arrays are written a slice of
 * items at a time, each slice stringified by JSON.stringify itself and encoded at once, so that only
 * the bytes of the whole text are ever held.
 *
 * Each piece goes through `piece` (for making vendor text harmless) before it is encoded: a piece
 * is one or more whole members or items, never part of a string. `after` ends the text.
 */
export function jsonBytes(value: unknown, piece: (json: string) => string = (s) => s, after = ''): Buffer {
  const chunks: Buffer[] = []
  const add = (s: string) => chunks.push(Buffer.from(piece(s), 'utf8'))
  write(value, 0, add)
  if (after) chunks.push(Buffer.from(after, 'utf8'))
  return Buffer.concat(chunks)
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
    if (value.length > SLICE)
      for (let i = 0; i < value.length; i += SLICE)
        add((i ? ',\n' : '') + items(value.slice(i, i + SLICE), depth + 1))
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
