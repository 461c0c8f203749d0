import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { excerptOf, joinPointer, parsePointer, parseSource, positionOf } from '../../src/loaders/source.js'

const yaml = `openapi: 3.1.0
info:
  title: Lending
  version: 1.0.0
paths:
  /books/{id}:
    get:
      responses:
        '200':
          description: ok
anchors:
  base: &base
    a: 1
  merged:
    <<: *base
    b: 2
`

const json = `{
  "openapi": "3.0.3",
  "paths": {
    "/a~b/c": { "get": { "responses": { "404": { "description": "nf" } } } }
  },
  "list": [10, {"x": true}]
}`

describe('source positions', () => {
  it('finds values and keys in YAML, 1-based', () => {
    const doc = parseSource(yaml, 'file:///x/openapi.yaml', 'openapi.yaml')
    expect(doc.format).toBe('yaml')
    expect(doc.position('/info/version')).toMatchObject({ line: 4, column: 12 })
    expect(doc.position('/info/version', true)).toMatchObject({ line: 4, column: 3 })
    const ptr = joinPointer('', 'paths', '/books/{id}', 'get', 'responses', '200', 'description')
    expect(doc.position(ptr)).toMatchObject({ line: 10, column: 24 })
    expect(doc.position(joinPointer('', 'paths', '/books/{id}'), true)).toMatchObject({ line: 6, column: 3 })
  })

  it('resolves merge keys in values and falls back to the nearest written ancestor for positions', () => {
    const doc = parseSource(yaml, 'file:///x/openapi.yaml', 'openapi.yaml')
    expect((doc.value as any).anchors.merged).toEqual({ a: 1, b: 2 })
    expect(doc.position('/anchors/merged/a')).toBeUndefined()
    expect(positionOf(doc, '/anchors/merged/a')).toMatchObject({ line: 15, column: 5 })
  })

  it('finds values, keys and array items in JSON, with escaped pointers', () => {
    const doc = parseSource(json, 'file:///x/openapi.json', 'openapi.json')
    expect(doc.format).toBe('json')
    const ptr = joinPointer('', 'paths', '/a~b/c', 'get', 'responses', '404')
    expect(ptr).toBe('/paths/~1a~0b~1c/get/responses/404')
    expect(parsePointer(ptr)[1]).toBe('/a~b/c')
    expect(doc.position(ptr)).toMatchObject({ line: 4, column: 48 })
    expect(doc.position('/list/1/x')).toMatchObject({ line: 6, column: 22 })
    expect(doc.position('/list/1/x', true)).toMatchObject({ line: 6, column: 17 })
    expect(doc.position('/nope')).toBeUndefined()
  })

  it('strips a byte order mark', () => {
    const doc = parseSource('\ufeff{"openapi": "3.1.0"}', 'file:///x/a.json', 'a.json')
    expect(doc.value).toEqual({ openapi: '3.1.0' })
  })

  it('reports JSON syntax errors with file, line and column', () => {
    const bad = '{\n  "openapi": "3.1.0",\n  "info": {\n    "title": "x",,\n  }\n}'
    try {
      parseSource(bad, 'file:///x/bad.json', 'bad.json')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(InputError)
      const err = e as InputError
      expect(err.file).toBe('bad.json')
      expect(err.line).toBe(4)
      expect(err.describe()).toMatch(/^bad\.json:4:\d+: JSON syntax error/)
    }
  })

  it('reports YAML syntax errors and duplicate keys with line', () => {
    expect(() => parseSource('a: 1\nb: [1, 2\nc: 3\n', 'file:///x/bad.yaml', 'bad.yaml')).toThrow(InputError)
    try {
      parseSource('info:\n  title: a\n  title: b\n', 'file:///x/dup.yaml', 'dup.yaml')
      expect.unreachable()
    } catch (e) {
      expect((e as InputError).line).toBe(3)
      expect((e as InputError).message).toMatch(/YAML syntax error/)
    }
  })

  it('refuses alias bombs instead of expanding them', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      )
    expect(() => parseSource(lines.join('\n'), 'file:///x/bomb.yaml', 'bomb.yaml')).toThrow(InputError)
  })
})

describe('excerpts', () => {
  it('show the lines around a value, numbered', () => {
    const doc = parseSource('a: 1\nb:\n  c: 2\nd: 3\ne: 4\nf: 5\n', 'file:///x/e.yaml', 'e.yaml')
    expect(excerptOf(doc, '/b/c')).toBe(
      ['1 | a: 1', '2 | b:', '3 |   c: 2', '4 | d: 3', '5 | e: 4'].join('\n'),
    )
  })

  it('cut a long line around the value, so that a minified description shows the value', () => {
    const members = Array.from({ length: 400 }, (_, i) => `"k${i}":{"type":"string"}`)
    members.splice(300, 0, '"PageSize":{"type":"integer"}')
    const text = `{"openapi":"3.0.3","components":{"schemas":{"S":{"properties":{${members.join(',')}}}}}}`
    const doc = parseSource(text, 'file:///x/min.json', 'min.json')
    const excerpt = excerptOf(doc, '/components/schemas/S/properties/PageSize')!
    expect(excerpt).toMatch(/^1 \| \.\.\..*"PageSize":\{"type":"integer"\}.*\.\.\.$/)
    expect(excerpt.length).toBeLessThanOrEqual('1 | '.length + 160)
    // Near the start of the line, the line's start.
    expect(excerptOf(doc, '/openapi')).toBe(`1 | ${text.slice(0, 157)}...`)
  })
})

describe('YAML aliases', () => {
  it('give each place an object of its own, equal to the one aliased', () => {
    const doc = parseSource(
      'a: &x {type: object, properties: {n: {type: string}}}\nb: *x\nc:\n  <<: *x\n  title: C\n',
      'file:///x/a.yaml',
      'a.yaml',
    )
    const v = doc.value as Record<string, { properties: object; title?: string }>
    expect(v.b).toEqual(v.a)
    expect(v.b).not.toBe(v.a)
    expect(v.b!.properties).not.toBe(v.a!.properties)
    // A merge key copies the members, whose values were the aliased object's own.
    expect(v.c!.title).toBe('C')
    expect(v.c!.properties).toEqual(v.a!.properties)
    expect(v.c!.properties).not.toBe(v.a!.properties)
  })
})
