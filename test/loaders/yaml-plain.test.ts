import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { dump } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { parseYamlSource, type SourceDocument } from '../../src/loaders/source.js'
import { readPlainYaml } from '../../src/loaders/yaml-plain.js'
import { paths, pointer } from '../helpers/paths.js'
import { numbers } from '../helpers/random.js'

// The fast reading of plain YAML (js-yaml) must give what the yaml package gives: the same value,
// and every value and key at the same place, or leave the text to the yaml package.

function filesUnder(dir: string, ext: RegExp, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) filesUnder(file, ext, out)
    else if (ext.test(name)) out.push(file)
  }
  return out
}

const read = (text: string, reader: 'auto' | 'yaml'): SourceDocument | Error => {
  try {
    return parseYamlSource(text, 'file:///api/openapi.yaml', 'openapi.yaml', reader)
  } catch (e) {
    return e as Error
  }
}

/** Whether the fast reading took the text, and then that it reads it as the yaml package does. */
function readsAlike(text: string): boolean {
  const slow = read(text, 'yaml')
  const plain = readPlainYaml(text, 520)
  // What the yaml package refuses is never read fast.
  if (slow instanceof Error) {
    expect(plain, `fast reading of a text the yaml package refuses (${slow.message})`).toBeUndefined()
    return false
  }
  if (!plain) return false
  const fast = read(text, 'auto') as SourceDocument
  expect(fast.value).toEqual(slow.value)
  for (const p of paths(slow.value))
    for (const key of [false, true])
      for (const style of ['value', 'after-key'] as const)
        expect(fast.position(pointer(p), key, style), `${pointer(p)} ${key ? 'key' : ''} ${style}`).toEqual(
          slow.position(pointer(p), key, style),
        )
  return true
}

const REPO_YAML = ['fixtures', 'examples', 'rulesets', 'rule-cases']
  .flatMap((d) => filesUnder(d, /\.ya?ml$/))
  .map((f) => [f, readFileSync(f, 'utf8')] as const)

// The repository's JSON documents written as YAML in several styles, with comments, blank lines and
// trailing spaces put in here and there.
const JSON_VALUES = filesUnder('fixtures', /\.json$/)
  .slice(0, 60)
  .flatMap((f) => {
    try {
      const v = JSON.parse(readFileSync(f, 'utf8')) as unknown
      return v !== null && typeof v === 'object' ? [[f, v] as const] : []
    } catch {
      return []
    }
  })
function styled(value: unknown, i: number): string {
  const rnd = numbers(i + 1)
  const text = [
    () => stringify(value),
    () => stringify(value, { collectionStyle: 'flow' }),
    () => dump(value, { lineWidth: 30, noRefs: true }),
    () => stringify(value, { blockQuote: 'folded', lineWidth: 40, indentSeq: false }),
  ][i % 4]!()
  return text
    .split('\n')
    .map((l) => {
      const r = rnd(60)
      const indent = ' '.repeat(rnd(8))
      return r === 0
        ? `${indent}# note\n${l}`
        : r === 1
          ? `${l}   # tail`
          : r === 2
            ? `${l}  `
            : r === 3
              ? `${l}\n`
              : l
    })
    .join('\n')
}

/** The repository's YAML and twenty JSON documents written as YAML. */
const samples = () => [
  ...REPO_YAML.map(([, t]) => t),
  ...JSON_VALUES.slice(0, 20).map(([, v], i) => styled(v, i)),
]

describe('plain YAML read by js-yaml', () => {
  it("reads the repository's YAML as the yaml package does, or leaves it to it", () => {
    let fast = 0
    for (const [, text] of REPO_YAML) if (readsAlike(text)) fast++
    // Most of them are plain YAML.
    expect(fast).toBeGreaterThan(REPO_YAML.length / 2)
  })

  it('reads JSON documents written as YAML in several styles, with comments, as the yaml package does', () => {
    let fast = 0
    JSON_VALUES.forEach(([, value], i) => {
      if (readsAlike(styled(value, i))) fast++
    })
    expect(fast).toBeGreaterThan(JSON_VALUES.length / 3)
  })

  it('reads lines ending with CR LF, all or some of them, as the yaml package does', () => {
    const rnd = numbers(7)
    const texts = samples()
    let fast = 0
    for (const text of texts) {
      if (readsAlike(text.replace(/\n/g, '\r\n'))) fast++
      if (readsAlike(text.replace(/\n/g, () => (rnd(2) ? '\r\n' : '\n')))) fast++
    }
    expect(fast).toBeGreaterThan(texts.length)
  })

  it('never reads what the yaml package refuses, and reads alike what both read, of texts broken at random', () => {
    const rnd = numbers(42)
    const sources = samples()
    let both = 0
    for (let k = 0; k < 400; k++) {
      const lines = sources[rnd(sources.length)]!.split('\n')
      for (let m = 1 + rnd(2); m > 0; m--) {
        const i = rnd(lines.length)
        const l = lines[i] ?? ''
        const j = rnd(l.length + 1)
        const r = rnd(7)
        if (r === 0) lines[i] = ' ' + l
        else if (r === 1) lines[i] = l.replace(/^ /, '')
        else if (r === 2) lines.splice(i, 0, l)
        else if (r === 3) lines.splice(i, 1)
        else if (r === 4) lines[i] = l.slice(0, j) + ':-? "\'[{},#'[rnd(11)] + l.slice(j)
        else if (r === 5) lines[i] = l.slice(0, j) + l.slice(j + 1)
        else lines.splice(i, 0, ' '.repeat(rnd(6)) + ['- q', 'k: v', 'k:', '# c', ''][rnd(5)])
      }
      if (readsAlike(lines.join('\n'))) both++
    }
    expect(both).toBeGreaterThan(50)
  })

  it("resolves scalars as the yaml package's core schema does", () => {
    const scalars = [
      '0o17',
      '0x1F',
      '+12',
      '-0',
      '012',
      '.5',
      '1.',
      '1e3',
      '-1.5E-2',
      '.inf',
      '-.Inf',
      '.NaN',
    ]
    scalars.push('~', 'Null', 'NULL', 'null', 'True', 'FALSE', 'yes', 'on', 'off', '0b11', '1_000', '12:30')
    scalars.push('2001-12-14', '1e', '0x', '0o8', '+.inf', 'nan', '"1"', "'true'", 'a-b', 'x?')
    const text = scalars.map((s, i) => `k${i}: ${s}`).join('\n') + '\n'
    expect(readsAlike(text)).toBe(true)
  })

  it.each([
    ['an anchor and an alias', 'a: &x {b: 1}\nc: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'base: {a: 1}\nm:\n  <<: {b: 2}\n  c: 3\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a block scalar that keeps its trailing lines', 'a: |+\n  x\n\nb: 1\n'],
    ['a block scalar with its indentation given', 'a: |2\n   x\nb: 1\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['a carriage return alone', 'a: 1\rb: 2\n'],
    ['a document marker', '---\na: 1\n'],
    ['a key written twice', 'a: 1\na: 2\n'],
    ['a blank line after an empty value and its comment', 'a: 1\nb: # c\n  \n'],
    ['a comment inside a flow collection', 'a: [1, # c\n  2]\n'],
    ['a null key', '~: 1\n'],
    ['a scalar document', 'just text\n'],
  ])('leaves %s to the yaml package', (_, text) => {
    expect(readPlainYaml(text, 520)).toBeUndefined()
  })

  // Comment lines after the last value of a collection count to the value or to a collection around
  // it by their indentation, in the yaml package: where the collection ends depends on them.
  it.each([
    'a:\n  b:\n    - x\n    - y\n\n      # c\nz: 1\n',
    'a:\n  b:\n    - x\n    - y\n      # c1\n    # c2\n  # c3\nz: 1\n',
    'a:\n  b: 1\n    # deeper\n  # same\nz: 1\n',
    'a:\n  b: 1\n  # same\n    # deeper\nz: 1\n',
    'a:\n  b:\n    c: 1\n      # d6\n\n    # d4\n  # d2\n',
    'a:\n  b:\n    - x\n      # c\n  d: 1\n',
    'a:\n  b: [1, 2]\n    # c\n',
    'a:\n  b: |\n    text\n  # c2\nz: 1\n',
    'a:\n  b: >-\n    text\n   # c3\nz: 1\n',
    'a:\n  - b: |\n      t\n    # c4\n  # c2\nz: 1\n',
    'a: 1\nb: # c\n',
    'x:\n  a: 1\n  b:   # c\n  # d\nz: 1\n',
    'x:\n  b:\n    # d\n  # e\nz: 1\n',
    'x:\n  a: 1\n  b:\nz: 1\n',
    'x:\n  b:   \n\n  # d\nz: 1\n',
  ])('places collections followed by comment lines as the yaml package does: %j', (text) => {
    expect(readsAlike(text)).toBe(true)
  })

  it.each(['a: 1\nb: |\n  x\n ', 'a: 1\nb: plain', 'a:\n  - x\n  - [1, 2]', "a: 'q'", 'a: # c'])(
    'reads a text that does not end with a line break as the yaml package does: %j',
    (text) => {
      expect(readsAlike(text)).toBe(true)
    },
  )

  it('reads comment lines between members and after values, and empty values', () => {
    const text =
      '# top\nopenapi: 3.0.3   # version\n\n# paths\npaths:\n  /a:\n    get:\n    # nothing yet\n    put: {}\nx:\n'
    expect(readsAlike(text)).toBe(true)
  })
})
