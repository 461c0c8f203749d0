import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { query } from '../../src/declarative/jsonpath.js'
import { resolvedDocument } from '../../src/declarative/rule.js'
import { loadOpenApi } from '../../src/loaders/openapi.js'
import { tempFiles } from '../helpers/tmp.js'

// A description with a ref-free schema used twice, a schema holding a $ref, a cycle, a $ref that
// cannot be followed, a $ref inside an example, and members named __proto__.
const description = {
  openapi: '3.0.3',
  info: { title: 'Resolved', version: '1.0.0' },
  paths: {
    '/a': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Plain' },
                example: { $ref: '#/components/schemas/Plain' },
              },
            },
          },
          '201': {
            description: 'created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Holder' } } },
          },
          '404': { description: 'gone', content: { 'application/json': { schema: { $ref: '#/nowhere' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Plain: { type: 'string', enum: ['a', 'b'] },
      Holder: {
        type: 'object',
        properties: {
          plain: { $ref: '#/components/schemas/Plain' },
          self: { $ref: '#/components/schemas/Holder' },
        },
      },
    },
  },
}

async function load(doc: unknown) {
  const dir = tempFiles({ 'openapi.json': JSON.stringify(doc) })
  const api = await loadOpenApi(path.join(dir, 'openapi.json'))
  return { api, text: readFileSync(path.join(dir, 'openapi.json'), 'utf8') }
}

const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value)
/** The JSON media type of a response of GET /a. */
const media = (document: unknown, status: string): unknown =>
  at(document, 'paths', '/a', 'get', 'responses', status, 'content', 'application/json')

describe('the resolved description', () => {
  it('has every $ref that can be followed replaced, and the written description unchanged', async () => {
    const { api, text } = await load(description)
    const resolved = resolvedDocument(api)
    const ok = media(resolved, '200')
    expect(at(ok, 'schema')).toEqual({ type: 'string', enum: ['a', 'b'] })
    // Spectral's resolver follows a $ref inside an example as well.
    expect(at(ok, 'example')).toEqual({ type: 'string', enum: ['a', 'b'] })
    const holder = at(resolved, 'components', 'schemas', 'Holder') as Record<string, unknown>
    expect(at(holder, 'properties', 'plain')).toEqual({ type: 'string', enum: ['a', 'b'] })
    // A cycle stays a $ref where it closes; a $ref to nothing stays as written.
    const viaRef = at(media(resolved, '201'), 'schema')
    expect(at(viaRef, 'properties', 'self')).toEqual({ $ref: '#/components/schemas/Holder' })
    expect(at(media(resolved, '404'), 'schema')).toEqual({
      $ref: '#/nowhere',
    })
    expect(api.root.value).toEqual(JSON.parse(text))
    // What holds no $ref is taken as written, not copied.
    const written = api.root.value as Record<string, unknown>
    expect(at(resolved, 'info')).toBe(written.info)
    expect(at(resolved, 'paths', '/a', 'get', 'responses', '200', 'description')).toBe('ok')
    expect(resolved).not.toBe(written)
    expect(at(resolved, 'paths')).not.toBe(written.paths)
  })

  it('gives the target of a $ref a value of its own, apart from the one at its place, so both places match', async () => {
    const { api } = await load(description)
    const resolved = resolvedDocument(api)
    const written = at(resolved, 'components', 'schemas', 'Plain')
    const viaRef = at(media(resolved, '200'), 'schema')
    expect(viaRef).toEqual(written)
    expect(viaRef).not.toBe(written)
    expect(resolved).not.toBe(api.root.value)
    const places = query(resolved, '$..[?(@ && @.enum)]').map((m) => m.path.join('/'))
    // The target reached through three $refs matches once, at the first; the schema where it is
    // written matches too.
    expect(places).toEqual([
      'paths//a/get/responses/200/content/application/json/schema',
      'components/schemas/Plain',
    ])
  })

  it('is a document of its own when the description has no $ref', async () => {
    const { api } = await load({ openapi: '3.0.3', info: { title: 'No refs', version: '1' }, paths: {} })
    const resolved = resolvedDocument(api)
    expect(resolved).toEqual(api.root.value)
    expect(resolved).not.toBe(api.root.value)
  })

  it('keeps a member named __proto__ as a member, in objects it copies and in those it does not', async () => {
    const text =
      '{"openapi":"3.0.3","info":{"title":"Proto","version":"1"},"paths":{},' +
      '"components":{"schemas":{"Plain":{"type":"string"},' +
      '"Both":{"__proto__":{"polluted":true,"also":{"$ref":"#/components/schemas/Plain"}},"properties":{"p":{"$ref":"#/components/schemas/Plain"}}},' +
      '"Kept":{"__proto__":{"polluted":true},"type":"object"}}}}'
    const dir = tempFiles({ 'openapi.json': text })
    const api = await loadOpenApi(path.join(dir, 'openapi.json'))
    const resolved = resolvedDocument(api)
    for (const name of ['Both', 'Kept']) {
      const schema = at(resolved, 'components', 'schemas', name) as Record<string, unknown>
      expect(Object.keys(schema)).toContain('__proto__')
      expect(Object.getPrototypeOf(schema)).toBe(Object.prototype)
      expect((schema as { polluted?: unknown }).polluted).toBeUndefined()
    }
    expect(at(resolved, 'components', 'schemas', 'Both', 'properties', 'p')).toEqual({ type: 'string' })
    // A __proto__ member holding a $ref is resolved as any other member.
    expect(at(resolved, 'components', 'schemas', 'Both', '__proto__', 'also')).toEqual({ type: 'string' })
  })
})
