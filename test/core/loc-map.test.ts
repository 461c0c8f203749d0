import { describe, expect, it } from 'vitest'
import { LocMap, LocSet } from '../../src/core/loc-map.js'

describe('LocMap and LocSet: places keyed by document and pointer', () => {
  const a = { uri: 'file:///api/a.yaml', pointer: '/paths/~1pets/get' }
  const sameAsA = { uri: 'file:///api/a.yaml', pointer: ['', 'paths', '~1pets', 'get'].join('/') }
  const otherDoc = { uri: 'file:///api/b.yaml', pointer: '/paths/~1pets/get' }

  it('finds a value by an equal location, not the same object, and keeps documents apart', () => {
    const m = new LocMap<number>()
    m.set(a, 1)
    expect(m.get(sameAsA)).toBe(1)
    expect(m.get(otherDoc)).toBeUndefined()
    m.set(otherDoc, 2)
    expect([m.get(a), m.get(otherDoc)]).toEqual([1, 2])
  })

  it('adds a place once per tag, the untagged entry among them', () => {
    const s = new LocSet()
    expect(s.add(a)).toBe(true)
    expect(s.add(sameAsA)).toBe(false)
    expect(s.has(a, 'name')).toBe(false)
    expect(s.add(a, 'name')).toBe(true)
    expect(s.add(a, 'name')).toBe(false)
    expect(s.has(a)).toBe(true)
    expect(s.add(a, '')).toBe(false)
    expect(s.add(otherDoc, 'name')).toBe(true)
    expect(s.has(otherDoc)).toBe(false)
    expect(s.add(otherDoc)).toBe(true)
    expect(s.has(otherDoc, 'name') && s.has(otherDoc)).toBe(true)
  })
})
