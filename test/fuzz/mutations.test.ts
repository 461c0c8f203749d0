import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { parse, stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { isInputError } from '../../src/core/errors.js'
import { runCheck } from '../../src/services/check.js'
import { ROOT } from '../helpers/cli.js'

/**
 * Property-based fuzzing: the fixture services with one of their documents (the manifest, the
 * OpenAPI description or a file it refers to, a schema, a data sample, a FHIR resource) mutated —
 * keys dropped, values of another type, $refs inserted (missing, cyclic, outside the folder,
 * remote), keys in odd Unicode, prototype keys, subtrees copied elsewhere — and checked with the
 * default rulesets. Whatever the mutation, the check either ends with an input error (the
 * answer to bad input) or a report whose every finding has a place.
 *
 * `npm test` runs a bounded number of cases; `npm run fuzz` runs many more (FUZZ_RUNS, default
 * 2000) from a new seed each time, and FUZZ_SEED replays a failure fast-check reported.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60)
// `npm test` runs the same cases every time (CI must not pass or fail by chance); `npm run fuzz`
// (FUZZ_SEED=random) draws new ones on each run and prints the seed of a failure.
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261203)

const SERVICES = path.join(ROOT, 'fixtures/services')

interface Target {
  service: string
  /** The file to mutate, relative to the service folder. */
  file: string
  /** The file to check: the manifest, or the OpenAPI description when there is no manifest. */
  input: string
}

function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return filesOf(full, base)
    return /\.(ya?ml|json)$/.test(name) && name !== 'package.json' ? [path.relative(base, full)] : []
  })
}

const TARGETS: Target[] = readdirSync(SERVICES)
  .filter((s) => statSync(path.join(SERVICES, s)).isDirectory())
  .flatMap((service) =>
    filesOf(path.join(SERVICES, service)).map((file) => ({ service, file, input: 'interop.yaml' })),
  )

const REFS = [
  '#/components/schemas/Missing',
  '#',
  '#/paths',
  '#/components',
  '#/info/x-nope',
  '#anchor',
  '/etc/passwd',
  '../../../../etc/passwd',
  '../outside.yaml',
  'http://169.254.169.254/latest/meta-data/',
  'https://example.org/schema.json',
  'schemas/Book.yaml#/properties/nope',
  'file:///etc/passwd',
  '%00',
]

type Op = 'drop' | 'retype' | 'ref' | 'rename' | 'copy' | 'proto'

interface Mutation {
  at: number
  op: Op
  value: unknown
  text: string
  from: number
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Op>('drop', 'retype', 'ref', 'rename', 'copy', 'proto'),
  value: fc.jsonValue({ maxDepth: 2 }),
  text: fc.oneof(fc.constantFrom(...REFS), fc.string({ unit: 'grapheme', maxLength: 12 })),
  from: fc.nat(),
})

type Container = Record<string, unknown> | unknown[]

/** Every place in a value, as the container that holds it and its key, in document order. */
function places(root: unknown): { parent: Container; key: string | number }[] {
  const out: { parent: Container; key: string | number }[] = []
  const visit = (v: unknown, depth: number) => {
    if (v === null || typeof v !== 'object' || depth > 40) return
    if (Array.isArray(v))
      v.forEach((x, i) => {
        out.push({ parent: v, key: i })
        visit(x, depth + 1)
      })
    else
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v as Record<string, unknown>, key: k })
        visit(x, depth + 1)
      }
  }
  visit(root, 0)
  return out
}

function setOwn(o: Record<string, unknown>, key: string, value: unknown) {
  // defineProperty, so that a key named __proto__ is a key like any other, as a parser makes it.
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
}

function mutate(doc: unknown, muts: Mutation[]): unknown {
  for (const m of muts) {
    const all = places(doc)
    if (!all.length) return m.value
    const { parent, key } = all[m.at % all.length]!
    const other = all[m.from % all.length]!
    const write = (v: unknown) => {
      if (Array.isArray(parent)) parent[key as number] = v
      else setOwn(parent, key as string, v)
    }
    switch (m.op) {
      case 'drop':
        if (Array.isArray(parent)) parent.splice(key as number, 1)
        else delete parent[key as string]
        break
      case 'retype':
        write(m.value)
        break
      case 'ref':
        write({ $ref: m.text })
        break
      case 'rename':
        if (!Array.isArray(parent)) {
          const v = parent[key as string]
          delete parent[key as string]
          setOwn(parent, m.text, v)
        }
        break
      case 'copy':
        write(structuredClone((other.parent as Record<string, unknown>)[other.key as string]))
        break
      case 'proto':
        if (!Array.isArray(parent))
          setOwn(parent, ['__proto__', 'constructor', 'prototype'][m.from % 3]!, { polluted: m.value })
        break
    }
  }
  return doc
}

describe('fuzzing: mutated fixture documents', () => {
  it(
    `end in an input error or a report whose findings all have a place (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...TARGETS),
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          async (target, muts, asJson) => {
            const dir = mkdtempSync(path.join(os.tmpdir(), 'interop-fuzz-'))
            try {
              cpSync(path.join(SERVICES, target.service), dir, { recursive: true })
              const file = path.join(dir, target.file)
              const text = readFileSync(file, 'utf8')
              const isJson = target.file.endsWith('.json')
              const doc = mutate(isJson ? JSON.parse(text) : parse(text), muts)
              // A YAML file may be rewritten as JSON (its name kept): both readers are fuzzed.
              writeFileSync(file, isJson || asJson ? JSON.stringify(doc, null, 1) : stringify(doc))
              let report
              try {
                report = await runCheck({
                  input: path.join(dir, target.input),
                  rulesets: [],
                  config: false,
                  cwd: dir,
                })
              } catch (e) {
                if (isInputError(e)) {
                  expect(e.message.length).toBeGreaterThan(0)
                  return
                }
                throw e
              }
              for (const f of report.findings) {
                expect(f.location.source, `${f.ruleId}: ${f.message}`).not.toBe('')
                expect(f.location.line, `${f.ruleId}: ${f.message}`).toBeGreaterThan(0)
              }
              // No rule threw: a rule that errs on odd input is a crash by another name.
              const errors = report.rulesets.flatMap((rs) => rs.rules.filter((r) => r.status === 'error'))
              expect(errors.map((r) => `${r.ruleId}: ${r.reason}`)).toEqual([])
              expect(({} as Record<string, unknown>).polluted).toBeUndefined()
            } finally {
              rmSync(dir, { recursive: true, force: true })
            }
          },
        ),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
      )
    },
    Math.max(60_000, RUNS * 3_000),
  )
})
