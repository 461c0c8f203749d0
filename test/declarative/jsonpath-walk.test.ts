import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { JSONPath } from 'jsonpath-plus'
import { describe, expect, it } from 'vitest'
import { loadRuleset } from '../../src/core/ruleset.js'
import {
  compilePath,
  filter,
  markShared,
  markTree,
  walkPath,
  walkPaths,
} from '../../src/declarative/jsonpath-walk.js'

const PEER = 'fixtures/peers/nl-adr'

/** JSONPath Plus itself, as the oracle: each match as its path and value. */
function plus(json: object, expression: string): string[] {
  const out: string[] = []
  JSONPath({
    path: expression,
    json,
    resultType: 'all',
    eval: 'safe',
    ignoreEvalErrors: true,
    callback(r: { path: string; value: unknown }, type: string) {
      const segments = JSONPath.toPathArray(r.path)
        .slice(1)
        .filter((s) => s !== '~')
      out.push(JSON.stringify([segments, type === 'property' ? segments.at(-1) : r.value]))
    },
  })
  return out
}

function walk(json: object, expression: string): string[] {
  const c = compilePath(expression)!
  expect(c, expression).toBeDefined()
  return walkPath(json, c).map((m) => JSON.stringify([m.path, m.value]))
}

async function givensOf(ruleset: string): Promise<string[]> {
  const rs = await loadRuleset(ruleset, process.cwd())
  const out = new Set<string>()
  for (const e of rs.rules)
    for (const g of ([] as string[]).concat((e.rule.definition?.given as string | string[]) ?? []))
      out.add(g.replace(/\bvoid 0\b/g, 'undefined'))
  return [...out]
}

describe('JSONPath walk: JSONPath Plus results, each object walked once', () => {
  it('matches what JSONPath Plus matches for every path of the NL ADR and spectral:oas rulesets', async () => {
    const givens = [
      ...(await givensOf(path.join(PEER, 'ruleset.yaml'))),
      ...(await givensOf('rulesets/spectral/oas.yaml')),
    ].filter((g) => compilePath(g))
    expect(givens.length).toBeGreaterThan(40)
    const cases = readdirSync(path.join(PEER, 'testcases'))
    let matches = 0
    for (const c of cases) {
      const json = JSON.parse(readFileSync(path.join(PEER, 'testcases', c, 'openapi.json'), 'utf8')) as object
      for (const g of givens) {
        const ours = walk(json, g)
        // The same matches; JSONPath Plus may give one twice (nested `..`), the walk once.
        expect(new Set(ours), `${c}: ${g}`).toEqual(new Set(plus(json, g)))
        expect(ours.length).toBe(new Set(ours).size)
        matches += ours.length
      }
    }
    expect(matches).toBeGreaterThan(1000)
  })

  it('takes names, unions, wildcards, recursion, filters on arrays and objects, and member names', () => {
    const json = {
      paths: {
        '/a': { get: { tags: ['x', 'y'] }, post: {} },
        '/b': { parameters: [{ in: 'query' }, { in: 'path' }] },
      },
      info: { 'x-a.b': 1, version: '1' },
      list: [[{ type: 'array' }], null, 3],
    }
    for (const e of [
      '$',
      '$.paths.*~',
      '$.paths[*][get,post]',
      '$..parameters[?(@.in === "path")]',
      '$..[?(@property === "type")]',
      '$..[?(@ && @.type=="array")]',
      '$.info["x-a.b"]',
      "$.['info']",
      '$..tags[*]',
      '$.list..*',
      '$..[?(@property.match(/^(get|post)$/))]~',
      '$.paths[?(@property.startsWith("/a"))].get',
    ])
      expect(new Set(walk(json, e)), e).toEqual(new Set(plus(json, e)))
  })

  it('leaves to JSONPath Plus the steps it does not take', () => {
    for (const e of [
      '$..x^',
      '$.list[0:2]',
      '$..[?(@path === "$")]'.replace('@path', '@pathX'),
      '$.a[(@.length-1)]',
      '$..*@string()',
    ])
      if (!e.includes('pathX')) expect(compilePath(e), e).toBeUndefined()
    expect(compilePath('$..[?(@path && @.type)]')?.pathDependent).toBe(true)
    expect(compilePath('$..[?(@parent && @.type)]')?.pathDependent).toBe(true)
    expect(compilePath('$..[?(@.type)]')?.pathDependent).toBe(false)
  })

  it('walks a shared object once, with the first path that reaches it', () => {
    const shared = { type: 'string' }
    const json = { a: { x: shared }, b: { y: shared } }
    expect(walkPath(json, compilePath('$..[?(@.type)]')!).map((m) => m.path)).toEqual([['a', 'x']])
  })

  it('runs filters compiled to closures exactly as the SafeEval of JSONPath Plus interprets them', async () => {
    const codes = new Set<string>([
      '@.a + @.b > 2 ? @.c : !@.d',
      '@.x.y.z',
      "@['constructor']",
      '@.constructor',
      '@.__proto__',
      '@.length >= 2 && @[0] === 1',
      'typeof @ === "object" && -@.n < ~@.m',
      '@.tags.includes("x")',
      '@property.match(/^x-/i) || @property === 0',
      '@.notAFunction()',
      'unknownName === 1',
      '[1, 2].includes(@.n)',
      '@parentProperty === "paths" && @parent',
      '@root.info',
      // Filters false at an array's index (a number has no match): not evaluated there.
      '@property.match(/1/)',
      '@property && @property.startsWith("x")',
      '@.a && @property.match(/a/) || @property.includes("x")',
      '!@property.match(/a/)',
      '@property.match(/a/) || @.a',
      '@.a || @property.match(/a/)',
      '@property.toFixed(0) === "3" && @property.match(/a/)',
      '@property.toFixed(0) === "3"',
      '@property.constructor === Number',
      // Filters a member's name fails before they are evaluated, and ones it does not.
      '@property.match(/(get)|(delete)/) && @.parameters && @.parameters.length > 0',
      '@.parameters && @property.match(/^(put|post)$/)',
      '@property === "get" || @property.match(/^x-/)',
      '@property == "constructor" && @.required',
      '"201" === @property',
      '@property.match(/g/g) && @.a',
      '@property.match(/t/y) || @.a',
      '!@property.match(/a/) && @.a',
      '@property.match("get") && @.a',
      '@property.match(/a/, 1)',
      '@.a && (@property.match(/e/) || @.b)',
      // Filters a value fails before they are evaluated (no object, or no such member), and ones
      // that say nothing of it.
      '@ ',
      '@ && @.enum',
      '@.type === "array"',
      '@.type == "array"',
      '"array" === @.type',
      '@.n == 1',
      '@.d == false',
      '@.a === null',
      '@.a == null',
      '@.a !== null',
      '@.x != null',
      '@.example !== undefined',
      '@.example != undefined',
      'undefined !== @.example',
      '@ && (@.example !== undefined || @.default !== undefined)',
      '@.enum || @.type',
      '@.length',
      '@.length > 1',
      '@.toString',
      '@.valueOf && @.a',
      '@.hasOwnProperty === undefined',
      '@.constructor !== undefined',
      '@.type !== "array"',
      '!@.type',
      '@property !== "properties" && @ && @.enum',
      '@property != "get" && @.a',
      '@property !== 0',
    ])
    for (const ruleset of [path.join(PEER, 'ruleset.yaml'), 'rulesets/spectral/oas.yaml'])
      for (const g of await givensOf(ruleset))
        for (const part of JSONPath.toPathArray(g))
          if (part.startsWith('?(')) {
            codes.add(part.slice(2, -1))
            // As the rules run them: Spectral's `void 0` written `undefined` (jsonpath.ts).
            codes.add(part.slice(2, -1).replace(/\bvoid 0\b/g, 'undefined'))
          }
    expect(codes.size).toBeGreaterThan(25)
    const values: unknown[] = [
      undefined,
      null,
      0,
      3,
      'x-a',
      'get',
      [],
      [1, 2],
      { a: 1, b: 2, c: 'c', d: false, n: 1, m: 2, tags: ['x'] },
      { type: 'array', enum: [1], example: 1, schema: {}, in: 'path', x: { y: { z: true } }, length: 3 },
      { $ref: '#/a', properties: {}, discriminator: 'k', default: 1, examples: {} },
      { constructor: 'own', required: ['a'], parameters: [{}] },
      { a: null, d: 0, n: '1', type: 0, example: undefined, default: null, toString: 1 },
      { hasOwnProperty: 1, valueOf: 0, a: 0, enum: '', x: 0 },
      Object.assign(Object.create(null) as object, { type: 'array', a: 1 }),
      'array',
      true,
      '',
    ]
    const properties: (string | number)[] = [
      'x-a',
      'properties',
      0,
      3,
      'get',
      'delete',
      'post',
      // A global expression's test from where the last one stopped would fail the second.
      'big',
      'bag',
      'constructor',
      '$ref',
      '201',
      '',
    ]
    let checked = 0
    for (const code of codes) {
      const compiled = filter(code)
      const interpreted = filter(code, true)
      for (const v of values)
        for (const p of properties) {
          const parent = { paths: {} }
          expect([code, v, p, compiled(v, p, parent, 'paths')]).toEqual([
            code,
            v,
            p,
            interpreted(v, p, parent, 'paths'),
          ])
          checked++
        }
    }
    expect(checked).toBeGreaterThan(2000)
  })

  it('walks all the paths of a ruleset in one walk with the same matches as one walk each', async () => {
    const givens = [
      ...(await givensOf(path.join(PEER, 'ruleset.yaml'))),
      ...(await givensOf('rulesets/spectral/oas.yaml')),
    ].filter((g) => compilePath(g) && !compilePath(g)!.pathDependent)
    const compiled = givens.map((g) => compilePath(g)!)
    let matches = 0
    for (const c of readdirSync(path.join(PEER, 'testcases'))) {
      const json = JSON.parse(readFileSync(path.join(PEER, 'testcases', c, 'openapi.json'), 'utf8')) as object
      const together = walkPaths(json, compiled)
      compiled.forEach((p, i) => {
        const alone = walkPath(json, p).map((m) => JSON.stringify([m.path, m.value]))
        expect(
          new Set(together[i]!.map((m) => JSON.stringify([m.path, m.value]))),
          `${c}: ${givens[i]}`,
        ).toEqual(new Set(alone))
        matches += alone.length
      })
    }
    expect(matches).toBeGreaterThan(1000)
  })

  it('hands the descents under way on through objects and arrays as the walk of each expression finds them', () => {
    const shared = { properties: { a: { type: 'string', enum: ['x'] } }, items: [[{ b: 1 }]] }
    // A shared array reached by two descents and a wildcard at once.
    const sharedList = [{ b: 7 }]
    const doc = {
      paths: {
        '/a': {
          get: {
            parameters: [[{ in: 'query', schema: shared }], { in: 'path', a: { b: 2, a: { b: 3 } } }],
            responses: { '200': { content: { x: { schema: shared } } } },
          },
        },
      },
      list: [[[{ a: [{ b: 4 }] }]], [null, 1, 'a', { a: { a: { b: 5 } } }], []],
      components: { schemas: { S: shared, T: { a: [{ a: { b: 6 } }], length: 1 } } },
      nest: { x: [{ x: sharedList }] },
    }
    const expressions = [
      '$..a..b',
      '$..a..a..b',
      '$..a.b',
      '$..b',
      '$..[0]',
      '$..length',
      '$..[?(@ && @.enum)]',
      '$.paths..parameters[*]..schema',
      '$..items..b',
      '$..a',
      '$..*',
      '$.list..[*]',
      '$..properties[*].type',
      '$..[?(@property === "b")]~',
      '$.components..a[*].a',
      '$..x[*]..b',
    ]
    const compiled = expressions.map((e) => compilePath(e)!)
    const show = (ms: { path: unknown; value: unknown }[]) => ms.map((m) => JSON.stringify([m.path, m.value]))
    // As written (a tree), as resolved (`shared` reached from three places), and unmarked.
    const tree = JSON.parse(JSON.stringify(doc)) as object
    markTree(tree)
    const resolved = { ...doc }
    markShared(resolved, new WeakSet<object>([shared, sharedList]))
    const plain = JSON.parse(JSON.stringify(doc)) as object
    for (const [name, json] of Object.entries({ tree, resolved, plain })) {
      const together = walkPaths(json, compiled)
      compiled.forEach((c, i) => {
        const alone = show(walkPath(json, c))
        const ours = show(together[i]!)
        expect(new Set(ours), `${name}: ${expressions[i]}`).toEqual(new Set(alone))
        expect(ours.length, `${name}: ${expressions[i]} once each`).toBe(new Set(ours).size)
        if (json !== resolved)
          expect(new Set(ours), `${name}: ${expressions[i]}`).toEqual(new Set(plus(json, expressions[i]!)))
      })
    }
    // The walk reached `shared` through each descent once, by the first way.
    const [enums] = walkPaths(resolved, [compilePath('$..[?(@ && @.enum)]')!])
    expect(enums!.map((m) => m.path.join('/'))).toEqual(['paths//a/get/parameters/0/0/schema/properties/a'])
  })

  it('finds the same in a document marked as a tree (nothing remembered), a descent in twice included', () => {
    const text = JSON.stringify({
      paths: {
        '/a': {
          get: {
            responses: { '200': { content: { x: { schema: { properties: { a: { b: { c: 1 } } } } } } } },
          },
        },
      },
      components: { schemas: { S: { properties: { a: { properties: { a: { b: { b: 2 } } } } } } } },
    })
    const expressions = [
      '$..properties',
      '$..a..b',
      '$..a.b',
      '$.paths[*][*].responses[*]',
      '$..[?(@.b)]',
      '$..*',
    ]
    const compiled = expressions.map((e) => compilePath(e)!)
    const plain = JSON.parse(text) as object
    const tree = JSON.parse(text) as object
    markTree(tree)
    const show = (ms: { path: unknown; value: unknown }[]) => ms.map((m) => JSON.stringify([m.path, m.value]))
    compiled.forEach((c, i) => {
      expect(show(walkPath(tree, c)), expressions[i]).toEqual(show(walkPath(plain, c)))
      expect(show(walkPath(tree, c)).length, expressions[i]).toBeGreaterThan(0)
    })
    const together = walkPaths(tree, compiled)
    const togetherPlain = walkPaths(plain, compiled)
    compiled.forEach((_, i) => expect(show(together[i]!), expressions[i]).toEqual(show(togetherPlain[i]!)))
    // Reached through two descents in more than one way, each match still comes once.
    const twice = show(walkPath(tree, compilePath('$..a..b')!))
    expect(new Set(twice).size).toBe(twice.length)
  })
})
