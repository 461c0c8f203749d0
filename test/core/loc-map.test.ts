import { describe, expect, it } from 'vitest'
import { LocMap, LocSet, NodeMap, NodeSet } from '../../src/core/loc-map.js'

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
    // A third tag, and the first two kept.
    expect(s.add(otherDoc, 'type')).toBe(true)
    expect(s.add(otherDoc, 'type')).toBe(false)
    expect(['', 'name', 'type', 'other'].map((t) => s.has(otherDoc, t))).toEqual([true, true, true, false])
  })
})

describe('NodeMap and NodeSet: places keyed by the object there, or by location', () => {
  const loc = (pointer: string) => ({ uri: 'file:///api/a.yaml', pointer })

  it('finds an object by itself wherever the node says it is, and any other value by its location', () => {
    const schema = { type: 'string' }
    const m = new NodeMap<number>()
    m.set({ loc: loc('/components/schemas/A'), value: schema }, 1)
    // The same object reached through another node (a $ref followed, a second visit).
    expect(m.get({ loc: { ...loc('/components/schemas/A') }, value: schema })).toBe(1)
    // An equal object elsewhere is another place.
    expect(m.get({ loc: loc('/components/schemas/A'), value: { type: 'string' } })).toBeUndefined()
    // Strings, numbers and booleans are found by location.
    m.set({ loc: loc('/components/schemas/A/type'), value: 'string' }, 2)
    expect(m.get({ loc: { ...loc('/components/schemas/A/type') }, value: 'string' })).toBe(2)
    expect(m.get({ loc: loc('/components/schemas/B/type'), value: 'string' })).toBeUndefined()
  })

  it('adds a node once per tag', () => {
    const node = { loc: loc('/x'), value: {} }
    const s = new NodeSet()
    expect(s.add(node)).toBe(true)
    expect(s.add({ ...node })).toBe(false)
    expect(s.has(node, 'name')).toBe(false)
    expect(s.add(node, 'name')).toBe(true)
    expect(s.add(node, 'name')).toBe(false)
    expect(s.has(node) && s.has(node, 'name')).toBe(true)
  })
})
