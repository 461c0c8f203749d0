import { cpSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/** The municipality's .interop.yaml: what it sets applies unless a flag says otherwise. */
const dir = tempFiles({})
cpSync(path.join(ROOT, 'fixtures/services/mixed-permits'), path.join(dir, 'permits'), { recursive: true })
const config = (text: string) => writeFileSync(path.join(dir, '.interop.yaml'), text)
const check = (...args: string[]) => cli(['check', 'permits/interop.yaml', ...args], { cwd: dir })
const NORRVIK = `# Norrvik kommun's settings for interop check
rulesets: [open-standards]
rules:
  semver: off
  problem-schema: info
  casing-convention:
    options:
      convention: snake_case
failOn: warn
minScores:
  open-standards: 95
format: [json]
`

describe('the configuration file', () => {
  it('chooses rulesets, changes rules, thresholds and format, and the report says so', () => {
    config(NORRVIK)
    const r = check()
    expect(r.status).toBe(1)
    const report = JSON.parse(r.stdout)
    expect(report.rulesets.map((x: { id: string }) => x.id)).toEqual(['open-standards'])
    const rules = report.rulesets[0].rules
    expect(rules.find((x: { ruleId: string }) => x.ruleId === 'semver')).toBeUndefined()
    expect(rules.find((x: { ruleId: string }) => x.ruleId === 'problem-schema')).toMatchObject({
      severity: 'info',
      weight: 1,
    })
    expect(report.options).toMatchObject({
      failOn: 'warn',
      config: '.interop.yaml',
      minScores: { 'open-standards': 95 },
      overrides: [
        { ruleId: 'semver', severity: 'off' },
        { ruleId: 'problem-schema', severity: 'info' },
        { ruleId: 'casing-convention', options: { convention: 'snake_case' } },
      ],
    })
    expect(report.summary.reasons).toContainEqual(
      expect.stringMatching(/^open-standards scores \d+, under its minimum 95$/),
    )
    // camelCase properties now break the municipality's snake_case convention.
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'casing-convention')).toBe(true)
  })

  it('holds a part of a ruleset to its own minimum', () => {
    config('minScores:\n  no-closed-systems: 90\n')
    const r = check('-f', 'json', '--fail-on', 'none')
    expect(r.status).toBe(1)
    expect(JSON.parse(r.stdout).summary.reasons).toEqual([
      expect.stringMatching(/^no-closed-systems scores \d+, under its minimum 90$/),
    ])
  })

  it('gives way to flags', () => {
    config(NORRVIK)
    const r = check('-r', 'cloud-delivery', '--fail-on', 'none', '-f', 'text')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^cloud-delivery 1\.1\.0 {2}score/m)
    expect(r.stdout).not.toMatch(/^open-standards /m)
    expect(r.stderr).toContain(
      '.interop.yaml: minScores names open-standards, which is not among the rulesets run',
    )
    expect(check('--no-config', '-f', 'json').stdout).toMatch(/"municipal-baseline"/)
  })

  it('answers unknown rules and bad options with exit 2 and the line in the configuration', () => {
    config('rules:\n  no-such-rule: warn\n')
    const unknown = check()
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toMatch(/\.interop\.yaml:2:3: Unknown rule 'no-such-rule'/)
    config('rules:\n  casing-convention:\n    options:\n      convention: PascalCase\n')
    const bad = check()
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/\.interop\.yaml:4:\d+: Option 'convention' of rule 'casing-convention'/)
    config('failOn: sometimes\n')
    const wrong = check()
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toMatch(/\.interop\.yaml:1:9: failOn must be one of/)
  })
})

describe('a JavaScript configuration', () => {
  it('is read when --config names it, and never found by searching', () => {
    writeFileSync(path.join(dir, '.interop.yaml'), '')
    writeFileSync(
      path.join(dir, 'interop.config.mjs'),
      "export default { rulesets: ['cloud-delivery'], failOn: 'none' }\n",
    )
    const named = check('--config', 'interop.config.mjs', '-f', 'json')
    expect(named.status).toBe(0)
    expect(JSON.parse(named.stdout).rulesets.map((r: { id: string }) => r.id)).toEqual(['cloud-delivery'])
    // Beside an empty .interop.yaml, and alone: the search never picks it up.
    expect(JSON.parse(check('-f', 'json', '--fail-on', 'none').stdout).rulesets[0].id).toBe(
      'municipal-baseline',
    )
    writeFileSync(path.join(dir, 'bad.config.mjs'), "export default { failOn: 'sometimes' }\n")
    const bad = check('--config', 'bad.config.mjs')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/bad\.config\.mjs \(its default export\):\d+:\d+: failOn must be one of/)
  })
})
