import { describe, expect, it } from 'vitest'
import { jsonBytes } from '../../src/formatters/json-bytes.js'
import { safeJson } from '../../src/formatters/safe-text.js'

const finding = (i: number) => ({
  ruleId: `rule-${i % 7}`,
  message: `Property "x_${i}" — “quoted” ✓ 𝄞 at ${i}`,
  location: { source: 'api.json', pointer: `/paths/~1a${i}/get`, line: i + 1, column: 3 },
  evidence: i % 5 ? { excerpt: `${i} | {\n${i + 1} |   "a": [1, 2]\n}` } : undefined,
  tags: i % 3 ? [] : ['a', { b: [] }, {}],
  empty: {},
  nothing: null,
  skip: undefined,
  fn: () => i,
})

// Values that JSON.stringify writes in every way it can: long lists (shorter than, as long as and
// longer than a slice, and several slices with a remainder), long lists inside short ones and inside
// objects several levels deep, members it leaves out, toJSON, null-prototype objects, numbers it
// cannot write, and text outside the Basic Multilingual Plane.
const values: [string, unknown][] = [
  ['a number', 42],
  ['a string', 'plain'],
  ['null', null],
  ['an empty list', []],
  ['an empty object', {}],
  ['a short list', [1, 'two', { three: [3] }]],
  ...[255, 256, 257, 512, 1000].map((n): [string, unknown] => [
    `a list of ${n} findings`,
    Array.from({ length: n }, (_, i) => finding(i)),
  ]),
  [
    'a report with its findings last',
    {
      reportVersion: '1',
      createdAt: new Date(0),
      summary: { score: 0.5, counts: { error: 1 } },
      rulesets: [{ id: 'x', rules: ['a', 'b'] }],
      findings: Array.from({ length: 700 }, (_, i) => finding(i)),
      undef: undefined,
    },
  ],
  [
    'SARIF, results three levels deep',
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'interop', rules: [] } },
          results: Array.from({ length: 600 }, (_, i) => ({ ruleId: `r${i}`, level: 'warning', n: i })),
        },
      ],
    },
  ],
  [
    'long lists in a short list, and odd members',
    [
      Array.from({ length: 300 }, (_, i) => i),
      Object.assign(Object.create(null) as object, { long: Array.from({ length: 300 }, () => 'x') }),
      { n: Number.NaN, inf: Infinity, neg: -0, sym: Symbol('s') },
      Array.from({ length: 260 }, () => undefined),
    ],
  ],
]

describe('jsonBytes', () => {
  it.each(values)('writes %s as JSON.stringify(value, null, 2) does', (_, value) => {
    expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value, null, 2))
  })

  it('writes a text longer than its blocks of bytes, and a piece longer than a block, whole', () => {
    // Findings in several slices of some MB each, a value of 5 MB on its own, and text outside ASCII
    // in both: the bytes are written into blocks of at most 4 MB, a larger one for a larger piece.
    const long = 'ä✓𝄞'.repeat(400_000) + 'x'.repeat(3_000_000)
    const value = {
      findings: Array.from({ length: 3000 }, (_, i) => ({ ...finding(i), text: 'y'.repeat(3000) + i })),
      long,
      after: [long.slice(0, 10)],
    }
    const out = jsonBytes(value, (s) => s, '\n')
    const expected = Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8')
    expect(out.length).toBe(expected.length)
    expect(out.equals(expected)).toBe(true)
  })

  it('hands each piece to `piece`, whole strings in each, and ends with `after`', () => {
    const value = { findings: Array.from({ length: 600 }, (_, i) => finding(i)) }
    const pieces: string[] = []
    const out = jsonBytes(value, (s) => (pieces.push(s), s), '\n').toString('utf8')
    expect(out).toBe(JSON.stringify(value, null, 2) + '\n')
    // The findings came in slices, not as one text.
    expect(pieces.length).toBeGreaterThan(3)
    for (const p of pieces) expect(p.split('"').length % 2).toBe(1)
  })
})

describe('safeJson', () => {
  // What safeJson must equal: the whole text with the characters escaped in it.
  const escapedWhole = (v: unknown) =>
    JSON.stringify(v, null, 2)
      .replace(/#(?=#(?:vso)?\[)/g, '\\u0023')
      .replace(
        // eslint-disable-next-line no-control-regex
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ) + '\n'

  const hostile = (i: number) => ({
    message: `##[error]boom ${i} ##vso[task.complete result=Failed] ###[x] \u202Eevil\u202C \u009B2J \u0007bell`,
    key: { '##[group]k': `::error::x${i}` },
  })

  it.each([
    ['one hostile value', hostile(0)],
    [
      'many, in slices',
      { findings: Array.from({ length: 700 }, (_, i) => (i % 97 ? finding(i) : hostile(i))) },
    ],
    ['none', { findings: Array.from({ length: 300 }, (_, i) => finding(i)) }],
  ])('escapes commands and controls in %s as in the whole text', (_, value) => {
    const out = safeJson(value).toString('utf8')
    expect(out).toBe(escapedWhole(value))
    expect(out).not.toMatch(/##\[|##vso\[|\u202E|\u009B/)
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)))
  })
})
