import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliAsync } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

// Patterns from rulesets and from vendors' documents that make a backtracking engine take
// exponential time: "(a+)+$" on forty a's and a "!" would run for days.
const EVIL_INPUT = 'a'.repeat(40) + '!'

interface Report {
  findings: { ruleId: string; message: string }[]
  rulesets: { rules: { ruleId: string; status: string; reason?: string }[] }[]
}

async function check(dir: string, ruleset: string, ...extra: string[]) {
  const r = await cliAsync([
    'check',
    path.join(dir, 'openapi.yaml'),
    '--ruleset',
    ruleset,
    '--format',
    'json',
    '--fail-on',
    'none',
    '--no-config',
    ...extra,
  ])
  const report = r.status === 0 ? (JSON.parse(r.stdout) as Report) : undefined
  const rules = new Map(report?.rulesets.flatMap((rs) => rs.rules.map((x) => [x.ruleId, x])) ?? [])
  return { ...r, report, rules }
}

const OPENAPI = `openapi: 3.0.3
info:
  title: Patterns
  version: 1.0.0
  description: ${EVIL_INPUT}
paths:
  /items:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  code:
                    type: string
                    pattern: PATTERN
              example:
                code: ${EVIL_INPUT}
`

// (A function, not String.replace: `$'` in a replacement string means "the rest of the text".)
const withPattern = (yamlString: string) => OPENAPI.split('PATTERN').join(yamlString)

const spectralRuleset = (pattern: string) => `rules:
  evil-pattern:
    description: The description is all a's.
    given: $.info.description
    then: { function: pattern, functionOptions: { match: '${pattern}' } }
  title-present:
    description: There is a title.
    given: $.info
    then: { field: title, function: truthy }
  version-dotted:
    description: The version has no dots.
    given: $.info.version
    then: { function: pattern, functionOptions: { notMatch: '\\.' } }
`

describe('patterns that backtrack without end', () => {
  it('a ruleset pattern the linear-time engine can take gives its verdict at once', async () => {
    const dir = tempFiles({
      'openapi.yaml': withPattern("'^[a-z]+$'"),
      'r.yaml': spectralRuleset('^(a+)+$'),
    })
    const started = Date.now()
    const r = await check(dir, path.join(dir, 'r.yaml'), '--rule-timeout', '20')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r.rules.get('evil-pattern')?.status).toBe('fail')
    expect(r.report!.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['evil-pattern', 'version-dotted']),
    )
  })

  it('a ruleset pattern it cannot take (a back-reference) is stopped at the time limit: that rule errs, the others report', async () => {
    const dir = tempFiles({
      'openapi.yaml': withPattern("'^[a-z]+$'"),
      'r.yaml': spectralRuleset('^(a+)+\\1$'),
    })
    const started = Date.now()
    const r = await check(dir, path.join(dir, 'r.yaml'), '--rule-timeout', '2')
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(r.status).toBe(0)
    const evil = r.rules.get('evil-pattern')
    expect(evil?.status).toBe('error')
    expect(evil?.reason).toMatch(/did not finish within 2 s and was stopped/)
    expect(r.rules.get('title-present')?.status).toBe('pass')
    expect(r.rules.get('version-dotted')?.status).toBe('fail')
  })

  it("a pattern in the vendor's description is no way to hang the example check", async () => {
    // Linear-time engine: the example is judged (it does not match).
    const linear = tempFiles({ 'openapi.yaml': withPattern("'^(a+)+$'") })
    const a = await check(linear, 'open-standards', '--rule-timeout', '20')
    expect(a.rules.get('examples-valid')?.status).toBe('fail')
    expect(a.report!.findings.find((f) => f.ruleId === 'examples-valid')?.message).toMatch(/pattern/)
    // A back-reference: stopped at the time limit, the rule errs and the ruleset's other rules report.
    const backref = tempFiles({ 'openapi.yaml': withPattern("'^(a+)+\\1$'") })
    const started = Date.now()
    const b = await check(backref, 'open-standards', '--rule-timeout', '2')
    expect(Date.now() - started).toBeLessThan(25_000)
    expect(b.rules.get('examples-valid')?.status).toBe('error')
    expect(b.rules.get('examples-valid')?.reason).toMatch(/examples-valid did not finish within 2 s/)
    expect([...b.rules.values()].filter((x) => x.status === 'pass').length).toBeGreaterThan(3)
  })
})
