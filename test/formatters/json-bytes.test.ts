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
    const out = jsonBytes(value, undefined, '\n')
    const expected = Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8')
    expect(out.length).toBe(expected.length)
    expect(out.equals(expected)).toBe(true)
  })

  it('shows each piece to the filter, whole strings in each, writes those it asks for as fixed, and ends with `after`', () => {
    const value = { findings: Array.from({ length: 600 }, (_, i) => finding(i)) }
    const seen: string[] = []
    const fixed: string[] = []
    const filter = {
      needed: (bytes: Buffer) => {
        const text = bytes.toString('utf8')
        seen.push(text)
        return text.includes('"/paths/~1a5/get"')
      },
      // Longer than what it replaces: the piece's bytes are taken back and written anew.
      fix: (json: string) => (
        fixed.push(json),
        json.replaceAll('"/paths/~1a5/get"', '"/paths/~1a5/get/fixed/and/longer"')
      ),
    }
    const out = jsonBytes(value, filter, '\n').toString('utf8')
    expect(out).toBe(
      JSON.stringify(value, null, 2).replace('"/paths/~1a5/get"', '"/paths/~1a5/get/fixed/and/longer"') +
        '\n',
    )
    // The findings came in slices, not as one text, each seen as its bytes.
    expect(seen.length).toBeGreaterThan(3)
    expect(seen.join('')).toBe(JSON.stringify(value, null, 2) + '\n')
    for (const p of seen) expect(p.split('"').length % 2).toBe(1)
    expect(fixed).toEqual(seen.filter((p) => p.includes('"/paths/~1a5/get"')))
    expect(fixed).toHaveLength(1)
  })

  it('writes a fixed piece into a new block when it no longer fits the one it was written in', () => {
    // Slices of about 1 MB, each written into a block three times its size: the second slice's fixed
    // text, three times as long, does not fit where the slice was.
    const value = Array.from({ length: 1200 }, (_, i) => ({
      i,
      text: (i >= 256 && i < 512 ? 'z' : 'y').repeat(4000),
    }))
    const filter = {
      needed: (bytes: Buffer) => bytes.includes('zz'),
      fix: (json: string) => json.replaceAll('z', 'zzz'),
    }
    const out = jsonBytes(value, filter)
    const expected = JSON.stringify(value, null, 2).replaceAll('z', 'zzz')
    expect(out.length).toBe(Buffer.byteLength(expected))
    expect(out.toString('utf8') === expected).toBe(true)
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
    // Each end of each range safeJson escapes, and the characters beside them it leaves.
    edges: '\u007E\u007F\u0080\u009F\u00A0 \u2029\u202A\u202E\u202F \u2065\u2066\u2069\u206A',
    near: '#[ #vso[ ##vs[ ##VSO[ ##vso ## [ #\u0023[',
  })
  // Only the characters beside the ranges, and no command: nothing to escape.
  const harmlessNeighbours = {
    text: '\u007E\u00A0\u00BF\u2029\u202F\u2065\u206A #[ #vso[ ##vs[ ##VSO[ ##vso ## [ é ✓ 𝄞',
  }

  it.each([
    ['one hostile value', hostile(0)],
    [
      'many, in slices',
      { findings: Array.from({ length: 700 }, (_, i) => (i % 97 ? finding(i) : hostile(i))) },
    ],
    ['none', { findings: Array.from({ length: 300 }, (_, i) => finding(i)) }],
    ['only their neighbours', { findings: Array.from({ length: 300 }, () => harmlessNeighbours) }],
  ])('escapes commands and controls in %s as in the whole text', (_, value) => {
    const out = safeJson(value).toString('utf8')
    expect(out).toBe(escapedWhole(value))
    expect(out).not.toMatch(/##\[|##vso\[|\u202E|\u009B/)
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)))
  })
})
