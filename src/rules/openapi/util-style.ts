import type { Node } from '../../core/types.js'
import { isObj, type Obj } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'

export { isObj }

/** A non-empty string after trimming. */
export function isText(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== ''
}

/** The media type without parameters, lower-cased (RFC 9110 §8.3.1: type and subtype are case-insensitive). */
export function mediaTypeEssence(name: string): string {
  return name.split(';')[0]!.trim().toLowerCase()
}

/** A child resolved to an object, or undefined for any other shape. */
export function objChild(
  api: OpenApiArtifact,
  node: Node<unknown>,
  ...segs: (string | number)[]
): Node<Obj> | undefined {
  const c = api.child(node, ...segs)
  const r = c && api.resolve(c)
  return r && isObj(r.value) ? (r as Node<Obj>) : undefined
}

/** The `info` object, or where a finding about it belongs when it is missing or not an object. */
export function infoOf(api: OpenApiArtifact, root: Node<Obj>): { info?: Node<Obj>; at: Node<unknown> } {
  const raw = api.child(root, 'info')
  const info = objChild(api, root, 'info')
  return { info, at: info ?? raw ?? root }
}

/** True when any segment of the pointer except the last is a specification extension (`x-…`) key. */
export function underExtension(pointer: string): boolean {
  // Each `/x-` that begins a segment, without splitting the pointer (a rule asks this of every
  // property of a description).
  for (let i = pointer.indexOf('/x-'); i !== -1; i = pointer.indexOf('/x-', i + 3)) {
    // Not the last segment, and not a property named x-… (a segment after `properties`).
    if (pointer.indexOf('/', i + 1) === -1) return false
    if (!(i >= 11 && pointer.startsWith('/properties', i - 11))) return true
  }
  return false
}

/** Splits an identifier into lower-case words at `_`, `-`, `.`, spaces and camelCase boundaries. */
export function words(name: string): string[] {
  // A capital before one that starts a capitalised word (HTTPServer) is found by looking ahead:
  // `([A-Z]+)([A-Z][a-z])` backtracks through a long run of capitals from every letter of it, in
  // time that grows with the square of its length (a property name of 100,000 took seconds).
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .split(/[\s_.\-[\]]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}
