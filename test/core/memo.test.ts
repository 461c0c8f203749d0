import { describe, expect, it } from 'vitest'
import { remembered } from '../../src/core/memo.js'

describe('remembered', () => {
  it('makes each value once, false and null included, and empties a full map before adding', () => {
    const map = new Map<string, boolean | null>()
    const made: string[] = []
    const make = (k: string) => (made.push(k), k === 'n' ? null : k === 'a')
    expect(remembered(map, 'a', 3, make)).toBe(true)
    expect(remembered(map, 'b', 3, make)).toBe(false)
    expect(remembered(map, 'n', 3, make)).toBeNull()
    expect(remembered(map, 'b', 3, make)).toBe(false)
    expect(remembered(map, 'n', 3, make)).toBeNull()
    expect(made).toEqual(['a', 'b', 'n'])
    // A fourth key: the map held three, so it starts again with the new one alone.
    expect(remembered(map, 'c', 3, make)).toBe(false)
    expect([...map.keys()]).toEqual(['c'])
  })
})
