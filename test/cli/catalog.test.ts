import { runCommand } from '@oclif/test'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'

const opts = { root: ROOT }

describe('interop rulesets and rules', () => {
  it('rulesets list shows the shipped rulesets with versions and rule counts', async () => {
    const { stdout } = await runCommand(['rulesets', 'list'], opts)
    expect(stdout).toMatch(/^open-standards\s+1\.1\.0\s+25 rules\s+Open standards {2}\(shipped\)$/m)
    expect(stdout).toMatch(/^municipal-baseline\s+1\.2\.0\s+65 rules\s+Municipal baseline {2}\(shipped\)$/m)
    expect(stdout).toMatch(/^cloud-delivery\s+1\.1\.0\s+15 rules\s+Cloud delivery {2}\(shipped\)$/m)
    expect(stdout).toMatch(/^fhir\s+1\.0\.0\s+13 rules\s+FHIR {2}\(shipped\)$/m)
    expect(stdout).toMatch(/^no-closed-systems\s+1\.0\.0\s+12 rules\s+No closed systems {2}\(shipped\)$/m)
  })

  it('rulesets show lists each rule with severity, weight and options', async () => {
    const { stdout } = await runCommand(['rulesets', 'show', 'open-standards'], opts)
    expect(stdout).toMatch(
      /^Open standards \(open-standards 1\.1\.0, shipped: rulesets\/open-standards\.yaml\)$/m,
    )
    expect(stdout).toMatch(/^\s+problem-details\s+error\s+weight 3\s+Errors use RFC 9457 problem details$/m)
    expect(stdout).toMatch(/casing-convention\s+warn\s+weight 2 .*\{"convention":"camelCase"\}/)
  })

  it('rules list shows every rule and where it is used', async () => {
    const { stdout } = await runCommand(['rules', 'list'], opts)
    expect(stdout).toMatch(
      /^problem-details\s+Errors use RFC 9457 problem details\s+\[municipal-baseline:error, open-standards:error\]$/m,
    )
    expect(stdout.trim().split('\n').length).toBeGreaterThanOrEqual(20)
  })

  it('rules show explains a rule: why, how to fix, sources, messages, use', async () => {
    const { stdout } = await runCommand(['rules', 'show', 'problem-details'], opts)
    expect(stdout).toMatch(/^problem-details: Errors use RFC 9457 problem details$/m)
    expect(stdout).toMatch(/^How to fix: /m)
    expect(stdout).toContain('<https://www.rfc-editor.org/rfc/rfc9457>')
    expect(stdout).toMatch(/^ {2}open-standards: error, weight 3$/m)
  })

  it('--json prints machine-readable data', () => {
    const r = cli(['rules', 'show', 'semver', '--json'])
    expect(r.status).toBe(0)
    const data = JSON.parse(r.stdout)
    expect(data.id).toBe('semver')
    expect(data.usedBy.map((u: { rulesetId: string }) => u.rulesetId)).toEqual([
      'municipal-baseline',
      'open-standards',
    ])
  })

  it('an unknown rule is exit 2 with a clear message, also with --json', () => {
    for (const args of [
      ['rules', 'show', 'nope'],
      ['rules', 'show', 'nope', '--json'],
    ]) {
      const r = cli(args)
      expect(r.status).toBe(2)
      expect(r.stderr).toMatch(/^interop: Unknown rule 'nope'/m)
    }
  })

  it('every command and flag has help', () => {
    for (const cmd of [
      ['check'],
      ['rulesets', 'list'],
      ['rulesets', 'show'],
      ['rules', 'list'],
      ['rules', 'show'],
      ['rules', 'docs'],
    ]) {
      const r = cli([...cmd, '--help'])
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/USAGE/)
      expect(r.stdout).toMatch(/DESCRIPTION|EXAMPLES/)
    }
    const check = cli(['check', '--help']).stdout
    for (const flag of [
      '--ruleset',
      '--format',
      '--output',
      '--fail-on',
      '--min-score',
      '--quiet',
      '--[no-]color',
      '--allow-remote-ref',
      '--verbose',
    ])
      expect(check).toContain(flag)
  })
})
