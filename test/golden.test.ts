import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { compareText } from '../src/core/order.js'
import { compareSeverity } from '../src/core/scoring.js'
import type { Finding } from '../src/core/types.js'
import { cli, ROOT } from './helpers/cli.js'

/**
 * The full JSON report of each bundled service is compared with a reviewed copy in test/golden.
 * After an intended change, regenerate with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */
const services = [
  { name: 'good-library', input: 'fixtures/services/good-library/interop.yaml', exit: 0 },
  { name: 'mixed-permits', input: 'fixtures/services/mixed-permits/interop.yaml', exit: 1 },
  { name: 'poor-records', input: 'fixtures/services/poor-records/interop.yaml', exit: 1 },
  // A plain OpenAPI description is a service of one API with nothing declared.
  { name: 'good-library-openapi-only', input: 'fixtures/services/good-library/openapi.yaml', exit: 0 },
]

const ajv = new Ajv2020({ allErrors: true, strict: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const validateReport = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8')),
)

describe('golden reports', () => {
  for (const s of services) {
    it(`${s.name} gives the reviewed report`, () => {
      const r = cli(['check', s.input, '--format', 'json'])
      expect(r.status).toBe(s.exit)
      const file = path.join(ROOT, 'test/golden', `${s.name}.json`)
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, r.stdout)
      expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm test`).toBe(true)
      const actual = JSON.parse(r.stdout)
      expect(validateReport(actual), JSON.stringify(validateReport.errors)).toBe(true)
      const expected = JSON.parse(readFileSync(file, 'utf8'))
      // The tool's version changes with every release; everything else must stay as reviewed.
      expected.tool.version = actual.tool.version
      expect(actual).toEqual(expected)
    })
  }

  // A report attached to a tender is the same on every machine: its findings are ordered by text as
  // code units, never by the collation of the language the machine is set to (in Swedish, å, ä and
  // ö come after z; in English they sort with a and o, and lower case before upper case).
  it('orders findings the same under a Swedish locale, by place, severity, rule and message as code units', () => {
    const r = cli(['check', 'fixtures/services/poor-records/interop.yaml', '--format', 'json'], {
      env: { LANG: 'sv_SE.UTF-8', LC_ALL: 'sv_SE.UTF-8' },
    })
    const actual = JSON.parse(r.stdout) as { tool: { version: string }; findings: Finding[] }
    const expected = JSON.parse(readFileSync(path.join(ROOT, 'test/golden/poor-records.json'), 'utf8'))
    expected.tool.version = actual.tool.version
    expect(actual).toEqual(expected)
    const key = (f: Finding) =>
      [
        f.location.source,
        f.location.line ?? 0,
        f.location.column ?? 0,
        f.severity,
        f.ruleId,
        f.message,
      ] as const
    const order = (a: Finding, b: Finding): number => {
      const [x, y] = [key(a), key(b)]
      return (
        compareText(x[0], y[0]) ||
        x[1] - y[1] ||
        x[2] - y[2] ||
        compareSeverity(x[3], y[3]) ||
        compareText(x[4], y[4]) ||
        compareText(x[5], y[5])
      )
    }
    const pairs = actual.findings.slice(1).map((f, i) => order(actual.findings[i]!, f))
    expect(pairs.every((c) => c <= 0)).toBe(true)
    // The data holds a tie broken by an upper-case message before a lower-case one.
    expect(
      actual.findings.some(
        (f, i) =>
          i > 0 &&
          key(actual.findings[i - 1]!)
            .slice(0, 5)
            .join() === key(f).slice(0, 5).join() &&
          /^[A-Z]/.test(actual.findings[i - 1]!.message) &&
          /^[a-z]/.test(f.message),
      ),
    ).toBe(true)
  })
})
