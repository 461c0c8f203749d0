/**
 * The value for a key, made once and kept in `map`: what rules work out again and again for the same
 * few thousand names, patterns and templates of a description. A map that reaches `max` entries is
 * emptied first, so that no input makes it grow without bound. (`make` must not return undefined.)
 */
export function remembered<K, V>(map: Map<K, V>, key: K, max: number, make: (key: K) => V): V {
  let value = map.get(key)
  if (value === undefined) {
    value = make(key)
    if (map.size >= max) map.clear()
    map.set(key, value)
  }
  return value
}
