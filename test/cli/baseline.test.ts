import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/** Baselines end to end on a copy of the in-between service, edited between runs. */
const dir = tempFiles({})
const service = path.join(dir, 'permits')
cpSync(path.join(ROOT, 'fixtures/services/mixed-permits'), service, { recursive: true })
const edit = (file: string, change: (text: string) => string) =>
  writeFileSync(path.join(service, file), change(readFileSync(path.join(service, file), 'utf8')))
const check = (...extra: string[]) => {
  const r = cli(['check', 'permits/interop.yaml', '--no-config', ...extra], { cwd: dir })
  return { ...r, report: r.stdout.startsWith('{') ? JSON.parse(r.stdout) : undefined }
}

describe('baselines', () => {
  it('record the findings, then fail only on new ones, through moved lines, and name the fixed ones', () => {
    const first = check('--write-baseline', 'baseline.json', '-f', 'json')
    expect(first.status).toBe(1) // writing a baseline does not change the verdict
    const baseline = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8'))
    expect(baseline.findings).toHaveLength(first.report.findings.length)
    expect(baseline.findings[0].file).toMatch(/^permits\//)

    const same = check('--baseline', 'baseline.json', '-f', 'json')
    expect(same.status).toBe(0)
    expect(same.report.baseline).toMatchObject({ new: 0, known: first.report.findings.length, fixed: [] })
    expect(same.report.summary.counts).toEqual(first.report.summary.counts) // the findings are still reported

    // Lines move: two comments on top of the description. Nothing is new.
    edit('openapi.yaml', (t) => `# Reviewed by the municipality\n# in 2026\n${t}`)
    expect(check('--baseline', 'baseline.json').status).toBe(0)

    // A new error (a version that is not SemVer) fails; a fixed warning (an open licence now) is named.
    edit('openapi.yaml', (t) =>
      t
        .replace('  version: 2.3.0', "  version: '2.3'")
        .replace(
          'name: Proprietary\n    url: https://www.ritbordet.example/legal/api-licence',
          'name: EUPL-1.2\n    url: https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12',
        ),
    )
    const later = check('--baseline', 'baseline.json', '-f', 'json')
    expect(later.status).toBe(1)
    expect(later.report.summary.reasons).toEqual(["1 new finding at or above 'error'"])
    const fresh = later.report.findings.filter((f: { baseline: string }) => f.baseline === 'new')
    expect(fresh.map((f: { ruleId: string }) => f.ruleId)).toEqual(['semver'])
    expect(later.report.baseline.fixed.map((e: { ruleId: string }) => e.ruleId)).toEqual(['open-license'])
    const text = check('--baseline', 'baseline.json')
    expect(text.stdout).toMatch(
      /baseline baseline\.json: 1 new, \d+ known, 1 fixed \(open-license at permits\/openapi\.yaml /,
    )
    expect(text.stdout).toMatch(/\(in the baseline\)/)
    // The people's formats say it too.
    const md = check('--baseline', 'baseline.json', '-f', 'markdown').stdout
    expect(md).toMatch(/Baseline baseline\.json: 1 new, \d+ known, 1 fixed findings\./)
    expect(md).toMatch(/info\.version "2\.3" is not a SemVer .* _\(static, new\)_/)
    expect(check('--baseline', 'baseline.json', '-f', 'html').stdout).toContain('(static, in the baseline)')
  })

  it('that are missing or not baselines are bad input: exit 2', () => {
    writeFileSync(path.join(dir, 'not.json'), '{"findings": 3}')
    const bad = check('--baseline', 'not.json')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/not\.json: This is not an interop baseline/)
    const missing = check('--baseline', 'none.json')
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/none\.json: Baseline file not found/)
  })
})

describe('interop diff', () => {
  it('shows new, fixed and unchanged findings and the score change between two reports', () => {
    const fresh = path.join(dir, 'fresh')
    cpSync(path.join(ROOT, 'fixtures/services/mixed-permits'), fresh, { recursive: true })
    const run = (out: string) =>
      cli(['check', 'fresh/interop.yaml', '--no-config', '-f', 'json', '-o', out, '--fail-on', 'none'], {
        cwd: dir,
      })
    run(path.join(dir, 'old.json'))
    const file = path.join(fresh, 'openapi.yaml')
    writeFileSync(
      file,
      `# moved\n${readFileSync(file, 'utf8')
        .replace('  version: 2.3.0', "  version: '2.3'")
        .replace(
          'name: Proprietary\n    url: https://www.ritbordet.example/legal/api-licence',
          'name: EUPL-1.2\n    url: https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12',
        )}`,
    )
    run(path.join(dir, 'new.json'))
    const text = cli(['diff', path.join(dir, 'old.json'), path.join(dir, 'new.json')])
    expect(text.status).toBe(1) // a new error
    expect(text.stdout).toMatch(/^score \d+ → \d+ \([+-]\d+\)\n/)
    expect(text.stdout).toMatch(/\n1 new, 1 fixed, \d+ unchanged findings\n/)
    expect(text.stdout).toMatch(/new:\n {2}error {2}fresh\/openapi\.yaml:5 {2}semver {2}info\.version "2\.3"/)
    expect(text.stdout).toMatch(/fixed:\n {2}warn {3}fresh\/openapi\.yaml:24 {2}open-license/)
    const json = JSON.parse(
      cli(['diff', path.join(dir, 'old.json'), path.join(dir, 'new.json'), '-f', 'json']).stdout,
    )
    expect(json.added.map((f: { ruleId: string }) => f.ruleId)).toEqual(['semver'])
    expect(json.fixed.map((f: { ruleId: string }) => f.ruleId)).toEqual(['open-license'])
    const md = cli([
      'diff',
      path.join(dir, 'old.json'),
      path.join(dir, 'new.json'),
      '-f',
      'markdown',
      '--fail-on',
      'none',
    ])
    expect(md.status).toBe(0)
    expect(md.stdout).toMatch(/^## interop: 1 new, 1 fixed, \d+ unchanged findings/)
    expect(md.stdout).toContain('### New findings')
    const same = cli(['diff', path.join(dir, 'new.json'), path.join(dir, 'new.json')])
    expect(same.status).toBe(0)
    expect(same.stdout).toMatch(/\n0 new, 0 fixed, \d+ unchanged findings\n$/)
    expect(cli(['diff', path.join(dir, 'old.json'), path.join(dir, 'nothing.json')]).status).toBe(2)
  })
})
