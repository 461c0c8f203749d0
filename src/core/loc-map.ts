import type { Loc, Node } from './types.js'

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

/**
 * A map keyed by a node: an object or array by its identity, any other value by its location. In a
 * parsed document each object is at one place (YAML aliases are copied apart when the document is
 * read, see source.ts), so its identity stands for its location; and finding an object in a map
 * takes no hash of a pointer string, which for the walker's fresh pointers (a few dozen characters,
 * built by concatenation) meant copying and hashing each one, several times the cost of the lookup.
 */
export class NodeMap<V> {
  private readonly byValue = new Map<object, V>()
  private readonly byLoc = new LocMap<V>()

  get(node: Node<unknown>): V | undefined {
    const v = node.value
    return typeof v === 'object' && v !== null ? this.byValue.get(v) : this.byLoc.get(node.loc)
  }

  set(node: Node<unknown>, value: V): void {
    const v = node.value
    if (typeof v === 'object' && v !== null) this.byValue.set(v, value)
    else this.byLoc.set(node.loc, value)
  }
}

/** A set of keys, each with an optional tag (the same place may be noted for several reasons). */
class TaggedSet<K> {
  // A string stands for the set holding that one tag ('' for the untagged entry), the usual case:
  // a Set is made only for a key noted with a second tag.
  constructor(
    private readonly map: {
      get(key: K): Set<string> | string | undefined
      set(key: K, v: Set<string> | string): void
    },
  ) {}

  has(key: K, tag = ''): boolean {
    const e = this.map.get(key)
    if (e === undefined) return false
    if (typeof e === 'string') return e === tag
    return e.has(tag)
  }

  /** Adds a key (with its tag); false when it was there already. */
  add(key: K, tag = ''): boolean {
    const e = this.map.get(key)
    if (e === undefined) {
      this.map.set(key, tag)
      return true
    }
    if (typeof e === 'string') {
      if (e === tag) return false
      this.map.set(key, new Set([e, tag]))
      return true
    }
    if (e.has(tag)) return false
    e.add(tag)
    return true
  }
}

/** A set of locations, each with an optional tag. */
export class LocSet extends TaggedSet<Loc> {
  constructor() {
    super(new LocMap())
  }
}

/** A set of nodes (see NodeMap), each with an optional tag. */
export class NodeSet extends TaggedSet<Node<unknown>> {
  constructor() {
    super(new NodeMap())
  }
}
