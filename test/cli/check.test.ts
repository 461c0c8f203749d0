import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

const GOOD = 'fixtures/services/good-library/openapi.yaml'
const POOR = 'fixtures/services/poor-records/api.yaml'

const reportSchema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8'))
const ajv = new Ajv2020({ allErrors: true, strict: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const validateReport = ajv.compile(reportSchema)

const dir = tempFiles({
  'bad.yaml': 'openapi: 3.1.0\ninfo:\n  title: [unclosed\n',
  'notes.yaml': 'meeting: tuesday\n',
  'broken-ref.yaml':
    'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    $ref: ./gone.yaml\n',
  'bad-ruleset.yaml': 'id: x\nversion: 1.0.0\ntitle: X\nrules:\n  semver: loud\n',
  'small.yaml':
    'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0, contact: {name: a, email: a@example.org, url: "https://example.org"}, license: {name: EUPL-1.2, identifier: EUPL-1.2}}\nservers: [{url: "https://api.example.org/v1"}]\npaths: {}\n',
})

describe('interop check', () => {
  it('passes the well-fitting service: exit 0, findings grouped by file, score and coverage', () => {
    const r = cli(['check', GOOD])
    expect(r.stderr).toContain('Reading fixtures/services/good-library/openapi.yaml')
    // The default municipal-baseline ruleset, with the score of each ruleset it is made of.
    expect(r.stdout).toMatch(
      /^municipal-baseline 1\.2\.0 {2}score 100\/100 \(good\) {2}coverage 39\/65 rules/m,
    )
    expect(r.stdout).toMatch(/^ {2}open-standards +score 100\/100 {2}coverage 20\/25 rules$/m)
    // A plain OpenAPI description declares nothing: those rules are not checked, and say why.
    expect(r.stdout).toMatch(
      /^ {2}not-checked: data-location, exit-declarations — needs the vendor's declarations in the service manifest/m,
    )
    expect(r.stdout).toMatch(/PASSED \(fail on: error\)/)
    expect(r.status).toBe(0)
  })

  it('fails the closed service with exit 1 and points into the split files', () => {
    const r = cli(['check', POOR])
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/^fixtures\/services\/poor-records\/api\.yaml$/m)
    expect(r.stdout).toMatch(/^fixtures\/services\/poor-records\/paths\/cases\.yaml$/m)
    expect(r.stdout).toMatch(/^\s+\d+:\d+\s+error\s+semver\s+/m)
    expect(r.stdout).toMatch(/FAILED: \d+ findings at or above 'error'/)
  })

  it('writes a JSON report valid against schemas/report.schema.json, whole, to --output', () => {
    const out = tempFiles({})
    const file = path.join(out, 'report.json')
    const r = cli(['check', POOR, '--ruleset', 'open-standards', '--format', 'json', '--output', file])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/Wrote .*report\.json: score \d+/)
    const report = JSON.parse(readFileSync(file, 'utf8'))
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true)
    expect(report.createdAt).toBe('2026-01-01T00:00:00.000Z')
    expect(report.inputs[0].files.length).toBeGreaterThan(1)
    expect(report.rulesets[0].id).toBe('open-standards')
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('fails on warnings with --fail-on warn and on a low score with --min-score', () => {
    const warn = cli(['check', path.join(dir, 'small.yaml'), '--fail-on', 'warn', '--format', 'json'])
    const report = JSON.parse(warn.stdout)
    const warnings = report.summary.counts.warn + report.summary.counts.error
    expect(warn.status).toBe(warnings > 0 ? 1 : 0)
    const none = cli(['check', POOR, '--fail-on', 'none'])
    expect(none.status).toBe(0)
    const min = cli(['check', POOR, '--fail-on', 'none', '--min-score', '99'])
    expect(min.status).toBe(1)
    expect(min.stdout).toMatch(/FAILED: score \d+ is under the minimum 99/)
  })

  it('prints only findings at or above --fail-on with --quiet, and no progress', () => {
    const r = cli(['check', POOR, '--quiet'])
    expect(r.stderr).toBe('')
    expect(r.stdout).not.toMatch(/^\s+\d+:\d+\s+(warn|info)\s/m)
    expect(r.stdout).toMatch(/below 'error' not shown/)
  })

  it('colours only when asked or on a terminal', () => {
    expect(cli(['check', POOR]).stdout).not.toContain('\u001b[')
    expect(cli(['check', POOR, '--color'], { env: { NO_COLOR: '' } }).stdout).toContain('\u001b[')
  })

  describe('bad input: one paragraph naming file and line, exit 2, no stack trace, nothing written', () => {
    const cases: [string, string[], RegExp][] = [
      [
        'a missing file',
        ['check', 'no/such/openapi.yaml'],
        /^interop: no\/such\/openapi\.yaml: File not found\.$/m,
      ],
      ['a YAML syntax error', ['check', path.join(dir, 'bad.yaml')], /bad\.yaml:\d+:\d+: YAML syntax error/],
      [
        'a document that is not OpenAPI',
        ['check', path.join(dir, 'notes.yaml')],
        /notes\.yaml:1: This is not an OpenAPI description/,
      ],
      [
        'a $ref to a missing file',
        ['check', path.join(dir, 'broken-ref.yaml')],
        /broken-ref\.yaml:5:\d+: \$ref '\.\/gone\.yaml' cannot be read/,
      ],
      ['an unknown ruleset id', ['check', GOOD, '-r', 'nordic-magic'], /Unknown ruleset 'nordic-magic'/],
      [
        'an invalid ruleset file',
        ['check', GOOD, '-r', path.join(dir, 'bad-ruleset.yaml')],
        /bad-ruleset\.yaml:5:\d+: Invalid ruleset: 'rules\.semver'/,
      ],
      [
        'a bad option value',
        ['check', GOOD, '--fail-on', 'sometimes'],
        /Expected --fail-on=sometimes to be one of: error, warn, info, none/,
      ],
      ['an unknown flag', ['check', GOOD, '--bogus'], /Nonexistent flag: --bogus/],
      ['no input', ['check'], /Missing 1 required arg/],
      ['an unknown command', ['chekc'], /command chekc not found/],
      ['a score out of range', ['check', GOOD, '--min-score', '130'], /min-score/],
      [
        'an unwritable output',
        ['check', GOOD, '-o', 'no/such/dir/r.json'],
        /Cannot write no\/such\/dir\/r\.json/,
      ],
    ]
    for (const [name, args, message] of cases) {
      it(name, () => {
        const r = cli(args)
        expect(r.stderr).toMatch(message)
        expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/)
        expect(r.stdout).toBe('')
        expect(r.status).toBe(2)
      })
    }
  })
})
