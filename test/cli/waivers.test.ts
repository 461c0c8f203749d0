import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * Comply or explain, end to end: a municipality's .interop.yaml waives findings of the in-between
 * service. The helpers set SOURCE_DATE_EPOCH to 2026-01-01, the day expiry is judged against.
 */
const dir = tempFiles({})
cpSync(path.join(ROOT, 'fixtures/services/mixed-permits'), path.join(dir, 'mixed-permits'), {
  recursive: true,
})
const manifest = 'mixed-permits/interop.yaml'
const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats.default(ajv)
const validReport = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8')),
)

function config(text: string, name = '.interop.yaml') {
  writeFileSync(path.join(dir, name), text)
}
function check(...extra: string[]) {
  const r = cli(['check', manifest, '-f', 'json', ...extra], { cwd: dir })
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined }
}
const WAIVE_ERRORS = `waivers:
  - rule: date-time-format
    file: mixed-permits/schemas.json
    pointer: /Permit
    justification: decisionDate keeps its date-time type until the national permit register changes it.
    approvedBy: Anna Berg, enterprise architect
    expires: 2026-06-30
  - rule: exit-declarations
    justification: The exit plan is annexed to the contract (annex 7), not written in the manifest.
    approvedBy: Decision KS 2025/112
`

describe('waivers', () => {
  it('take the findings they explain out of the results, so that the check passes, and list them', () => {
    config(WAIVE_ERRORS)
    const before = check('--no-config')
    expect(before.status).toBe(1)
    const r = check()
    expect(r.status).toBe(0)
    expect(validReport(r.report), JSON.stringify(validReport.errors)).toBe(true)
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('date-time-format')
    expect(r.report.summary.counts.error).toBe(0)
    const rules = r.report.rulesets[0].rules
    const dtf = rules.find((x: { ruleId: string }) => x.ruleId === 'date-time-format')
    expect(dtf).toMatchObject({ status: 'pass', findingCount: 0, waived: 1 })
    expect(r.report.deviations).toHaveLength(2)
    expect(r.report.deviations[0]).toMatchObject({
      ruleId: 'date-time-format',
      status: 'applied',
      approvedBy: 'Anna Berg, enterprise architect',
      expires: '2026-06-30',
      source: { file: '.interop.yaml', line: 2 },
    })
    expect(r.report.deviations[0].findings[0].location.pointer).toBe('/Permit/properties/decisionDate/format')
    // The scores count the waived rules as passed.
    expect(r.report.summary.score).toBeGreaterThan(before.report.summary.score)
  })

  it('stop applying when expired, and say that the findings count again', () => {
    config(WAIVE_ERRORS.replace('expires: 2026-06-30', 'expires: 2025-12-31'))
    const r = check()
    expect(r.status).toBe(1)
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('date-time-format')
    expect(r.report.deviations[0]).toMatchObject({ status: 'expired', expires: '2025-12-31' })
    expect(r.report.deviations[0].findings).toHaveLength(1)
    const text = cli(['check', manifest], { cwd: dir })
    expect(text.stdout).toMatch(/waiver date-time-format .* expired 2025-12-31: its finding counts again/)
  })

  it('that match nothing are stale; one that matches elsewhere does not apply', () => {
    config(`waivers:
  - rule: date-time-format
    file: mixed-permits/other.yaml
    justification: A waiver for a file the service does not have.
  - rule: https-only
    justification: The service is on HTTPS everywhere already.
`)
    const r = check()
    expect(r.report.deviations.map((d: { status: string }) => d.status)).toEqual(['stale', 'stale'])
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('date-time-format')
  })

  it('are shown as explained deviations in every format, in both languages', () => {
    config(WAIVE_ERRORS)
    const html = cli(['check', manifest, '-f', 'html'], { cwd: dir }).stdout
    expect(html).toContain('Explained deviations')
    expect(html).toContain('The exit plan is annexed to the contract (annex 7)')
    const md = cli(['check', manifest, '-f', 'markdown', '--lang', 'sv'], { cwd: dir }).stdout
    expect(md).toContain('## Förklarade avvikelser')
    expect(md).toContain('Decision KS 2025/112')
    const pdf = path.join(dir, 'r.pdf')
    expect(cli(['check', manifest, '-f', 'pdf', '-o', pdf], { cwd: dir }).status).toBe(0)
  })

  it('come from --config, from the nearest .interop.yaml above, or from nowhere with --no-config', () => {
    config('', '.interop.yaml')
    config(WAIVE_ERRORS, 'municipal.yaml')
    expect(check().status).toBe(1)
    expect(check('--config', 'municipal.yaml').status).toBe(0)
    // Found from a folder below the configuration's.
    config(WAIVE_ERRORS)
    const below = cli(['check', 'interop.yaml', '-f', 'json'], { cwd: path.join(dir, 'mixed-permits') })
    expect(below.status).toBe(0)
    expect(JSON.parse(below.stdout).deviations).toHaveLength(2)
  })

  it('in a bad configuration are bad input: exit 2 with the file, line and property', () => {
    config(`waivers:
  - rule: date-time-format
    approvedBy: nobody
    expires: 30 June 2026
`)
    const r = cli(['check', manifest], { cwd: dir })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('.interop.yaml:2:5: waivers.0 must have the field')
    expect(r.stderr).toMatch(/\.interop\.yaml:4:14: waivers\.0\.expires /)
    expect(r.stdout).toBe('')
    const missing = cli(['check', manifest, '--config', 'nowhere.yaml'], { cwd: dir })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/nowhere\.yaml: Configuration file not found/)
  })
})
