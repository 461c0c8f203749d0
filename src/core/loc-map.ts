import type { Loc } from './types.js'

/**
 * A map keyed by a location: by document, then by pointer. Rules and the walker remember places
 * by the tens of thousands on a large description; a key string built per lookup
 * (`${uri}#${pointer}|…`) was a good part of their time and of the garbage collector's.
 */
export class LocMap<V> {
  private readonly byUri = new Map<string, Map<string, V>>()

  get(loc: Loc): V | undefined {
    return this.byUri.get(loc.uri)?.get(loc.pointer)
  }

  set(loc: Loc, value: V): void {
    let m = this.byUri.get(loc.uri)
    if (!m) this.byUri.set(loc.uri, (m = new Map()))
    m.set(loc.pointer, value)
  }
}

/** A set of locations, each with an optional tag (the same place may be noted for several reasons). */
export class LocSet {
  // `true` stands for the set holding only the untagged entry, the usual case.
  private readonly byLoc = new LocMap<Set<string> | true>()

  has(loc: Loc, tag = ''): boolean {
    const e = this.byLoc.get(loc)
    if (e === undefined) return false
    if (e === true) return tag === ''
    return e.has(tag)
  }

  /** Adds a location (with its tag); false when it was there already. */
  add(loc: Loc, tag = ''): boolean {
    const e = this.byLoc.get(loc)
    if (e === undefined) {
      this.byLoc.set(loc, tag === '' ? true : new Set([tag]))
      return true
    }
    if (e === true) {
      if (tag === '') return false
      this.byLoc.set(loc, new Set(['', tag]))
      return true
    }
    if (e.has(tag)) return false
    e.add(tag)
    return true
  }
}
