import { Ajv, type ErrorObject } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { jsonEqual, SchemaInterpreter } from '../../../src/rules/openapi/util-schema-interpreter.js'

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv | Ajv2020) => void

/**
 * The interpreter against ajv itself, compiled with the options the example checks use: for every
 * schema below and every value of a common pool (plus the schema's own), both must give the same
 * verdict and the same errors (path, keyword, params, message) in the same order.
 */
function setup(draft: 'draft7' | '2020') {
  const options = { strict: false, allErrors: true, unicodeRegExp: false, logger: false as const }
  const ajv = draft === '2020' ? new Ajv2020(options) : new Ajv(options)
  addFormats(ajv)
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1,
  })
  const byId = new Map<string, unknown>()
  const interpreter = new SchemaInterpreter({
    draft,
    formats: ajv.formats as never,
    schemaById: (id) => byId.get(id),
  })
  const define = (id: string, schema: Record<string, unknown>) => {
    byId.set(id, { ...schema, $id: id })
    ajv.addSchema({ ...schema, $id: id })
  }
  return { ajv, interpreter, define }
}

const POOL: unknown[] = [
  null,
  true,
  false,
  0,
  1,
  -3,
  1.5,
  0.3,
  2 ** 31,
  '',
  'abc',
  'ab😀',
  'a-b.c',
  '2024-02-30',
  '2024-01-31',
  '2024-01-31T10:00:00Z',
  '2024-01-31T10:00:00',
  'x@example.org',
  'https://example.org/a',
  'not a uri',
  [],
  [1, 1],
  [1, '1'],
  ['a', 'b', 'a'],
  [{ a: 1 }, { a: 1 }],
  [1, 'x', null, {}],
  {},
  { a: 1 },
  { a: 'x', b: 2, c: [] },
  { x_1: 1, y: 'z', constructor: 1 },
  { name: 'n', kind: 'cat', lives: 9 },
  { name: 'n', kind: 'dog', bark: true, extra: 1 },
  { a: { a: { a: 'deep' } } },
]

const key = (e: ErrorObject) =>
  JSON.stringify([e.instancePath, e.keyword, e.params, e.message, e.propertyName])

function compare(
  draft: 'draft7' | '2020',
  schema: unknown,
  extra: unknown[] = [],
  refs: Record<string, object> = {},
) {
  const { ajv, interpreter, define } = setup(draft)
  for (const [id, s] of Object.entries(refs)) define(id, s as Record<string, unknown>)
  const validate = ajv.compile(schema as object)
  let invalid = 0
  for (const data of [...POOL, ...extra]) {
    const ok = validate(data)
    const ours = interpreter.validate(schema, data)
    if (!ok) invalid++
    expect({ data, valid: ours.length === 0, errors: ours.map(key) }).toEqual({
      data,
      valid: ok,
      errors: (validate.errors ?? []).map(key),
    })
  }
  return invalid
}

const SCHEMAS: [string, unknown, unknown[]?][] = [
  ['false schema', false],
  ['type string', { type: 'string' }],
  ['type list', { type: ['string', 'null'] }],
  ['integer with bounds', { type: 'integer', minimum: 0, maximum: 10 }],
  ['number keywords', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 2, multipleOf: 0.1 }],
  ['int32 format', { type: 'integer', format: 'int32' }],
  ['string keywords', { type: 'string', minLength: 3, maxLength: 3, pattern: '^[\\w-\\.]+$' }],
  [
    'formats',
    { anyOf: [{ format: 'date' }, { format: 'date-time' }, { format: 'email' }, { format: 'uri' }] },
  ],
  [
    'each format alone',
    { type: 'object', properties: { d: { format: 'date' }, t: { format: 'date-time' } } },
  ],
  ['const and enum', { enum: [1, 'x', { a: 1 }, null], const: { a: 1 } }],
  ['not', { not: { type: 'string' } }],
  [
    'anyOf',
    {
      anyOf: [
        { type: 'string', minLength: 2 },
        { type: 'number', minimum: 1 },
      ],
    },
  ],
  ['oneOf with several matches', { oneOf: [{ type: 'number' }, { minimum: 0 }, { type: 'integer' }, {}] }],
  ['allOf', { allOf: [{ required: ['a'] }, { properties: { a: { type: 'string' } } }] }],
  [
    'if then else',
    { if: { required: ['a'] }, then: { required: ['b'] }, else: { type: 'array', minItems: 1 } },
  ],
  [
    'array keywords',
    { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2, uniqueItems: true },
  ],
  ['unique objects', { uniqueItems: true }],
  ['unique strings', { items: { type: 'string' }, uniqueItems: true }],
  ['contains', { contains: { type: 'string' } }],
  [
    'object keywords',
    {
      type: 'object',
      required: ['name', 'kind'],
      minProperties: 2,
      maxProperties: 3,
      properties: { name: { type: 'string' }, kind: { enum: ['cat', 'dog'] }, lives: { maximum: 7 } },
      patternProperties: { '^x_': { type: 'string' } },
      additionalProperties: false,
    },
  ],
  ['additional properties schema', { properties: { a: {} }, additionalProperties: { type: 'integer' } }],
  ['property names', { propertyNames: { pattern: '^[a-z]+$', maxLength: 3 } }],
  ['dependencies', { dependencies: { a: ['b', 'c'], name: { required: ['lives'] } } }],
  ['false property', { properties: { extra: false, a: false } }],
  [
    'nested paths',
    { properties: { a: { properties: { a: { properties: { a: { type: 'integer' } } } } } } },
    [{ 'a/b': { '~': 1 } }],
  ],
  ['type error after keywords', { type: 'object', enum: [{ a: 1 }, 1], required: ['a'] }],
]

describe('schema interpreter: the same results as ajv', () => {
  for (const draft of ['draft7', '2020'] as const)
    for (const [name, schema, extra] of SCHEMAS)
      it(`${draft}: ${name}`, () => {
        compare(draft, schema, extra)
      })

  it('draft-07 tuples: items as a list with additionalItems', () => {
    expect(
      compare('draft7', { items: [{ type: 'integer' }, { type: 'string' }], additionalItems: false }),
    ).toBeGreaterThan(0)
    compare('draft7', { items: [{ type: 'integer' }], additionalItems: { type: 'string' } })
  })

  it('2020-12: prefixItems, items false, min/maxContains, dependentRequired/Schemas', () => {
    compare('2020', { prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false })
    compare('2020', { prefixItems: [{ type: 'integer' }], items: { type: 'string' } })
    compare('2020', { contains: { type: 'integer' }, minContains: 2, maxContains: 3 }, [[1, 2, 3, 4]])
    compare('2020', { dependentRequired: { a: ['b'] }, dependentSchemas: { name: { required: ['lives'] } } })
  })

  it('references, also recursive, with errors inside them', () => {
    const refs = {
      'https://t.invalid/node': {
        type: 'object',
        required: ['a'],
        properties: { a: { anyOf: [{ type: 'string' }, { $ref: 'https://t.invalid/node' }] } },
      },
      'https://t.invalid/list': { type: 'array', items: { $ref: 'https://t.invalid/node' } },
    }
    for (const draft of ['draft7', '2020'] as const) {
      expect(
        compare(draft, { $ref: 'https://t.invalid/node' }, [{ a: { a: { a: 3 } } }], refs),
      ).toBeGreaterThan(0)
      compare(draft, { $ref: 'https://t.invalid/list' }, [[{ a: 'x' }, { b: 1 }]], refs)
      compare(
        draft,
        { allOf: [{ $ref: 'https://t.invalid/node' }], properties: { a: { type: 'string' } } },
        [],
        refs,
      )
    }
  })

  it('compares JSON values deeply', () => {
    expect(jsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false)
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false)
  })
})
