import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Ajv04Module from 'ajv-draft-04'
import type { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { formatReport } from '../../src/formatters/index.js'
import type { Report } from '../../src/report/model.js'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/** The OASIS SARIF 2.1.0 schema, unchanged (test/fixtures/sarif/SOURCE.md). */
// ajv-draft-04 is CommonJS: its class is the default export's default under ESM.
const Ajv04 = ((Ajv04Module as unknown as { default?: unknown }).default ?? Ajv04Module) as unknown as new (
  opts: object,
) => Ajv
const ajv = new Ajv04({ allErrors: true, strict: false })
addFormats.default(ajv as never)
const validSarif = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')),
)
const SERVICES = ['good-library', 'mixed-permits', 'poor-records', 'care-journal']
const dir = tempFiles({})

function run(service: string, ...args: string[]) {
  return cli(['check', `fixtures/services/${service}/interop.yaml`, '--fail-on', 'none', ...args])
}
const reportOf = (service: string) => JSON.parse(run(service, '-f', 'json').stdout) as Report

describe('SARIF', () => {
  it.each(SERVICES)(
    'of %s is valid against the OASIS SARIF 2.1.0 schema, with what GitHub needs',
    (service) => {
      const r = run(service, '-f', 'sarif', '--sarif-category', 'interop/municipal')
      expect(r.stderr).not.toMatch(/interop:/)
      const sarif = JSON.parse(r.stdout)
      expect(validSarif(sarif), JSON.stringify(validSarif.errors?.slice(0, 3))).toBe(true)
      const run0 = sarif.runs[0]
      expect(run0.tool.driver).toMatchObject({
        name: 'interop',
        semanticVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      })
      expect(run0.tool.driver.informationUri).toMatch(/^https:\/\//)
      expect(run0.automationDetails.id).toBe('interop/municipal/')
      for (const rule of run0.tool.driver.rules) {
        expect(rule.shortDescription.text).toBeTruthy()
        expect(rule.fullDescription.text).toBeTruthy()
        expect(rule.help.text).toBeTruthy()
        expect(rule.help.markdown).toBeTruthy()
        expect(rule.helpUri).toMatch(/^https?:\/\//)
        expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level)
      }
      const report = reportOf(service)
      expect(run0.results).toHaveLength(report.findings.length)
      for (const [i, res] of run0.results.entries()) {
        expect(run0.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId)
        const loc = res.locations[0].physicalLocation
        // Relative to the working folder (the repository root here), never absolute.
        expect(loc.artifactLocation.uri).toBe(report.findings[i]!.location.source)
        expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}:1$/)
      }
    },
  )

  it('keeps fingerprints when lines move, and makes paths relative to --base-path', () => {
    cpSync(path.join(ROOT, 'fixtures/services/mixed-permits'), path.join(dir, 'moved'), { recursive: true })
    const file = path.join(dir, 'moved', 'openapi.yaml')
    const results = () =>
      JSON.parse(
        cli([
          'check',
          path.join(dir, 'moved/interop.yaml'),
          '-f',
          'sarif',
          '--base-path',
          dir,
          '--fail-on',
          'none',
        ]).stdout,
      ).runs[0].results as Result[]
    const before = results()
    writeFileSync(file, `# A comment added at the top\n# and another\n${readFileSync(file, 'utf8')}`)
    const after = results()
    interface Result {
      partialFingerprints: object
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]
    }
    const inApi = (rs: Result[]) =>
      rs.filter((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === 'moved/openapi.yaml')
    expect(inApi(before).length).toBeGreaterThan(2)
    expect(inApi(after).map((x) => x.partialFingerprints)).toEqual(
      inApi(before).map((x) => x.partialFingerprints),
    )
    const line = (x: Result) => x.locations[0]!.physicalLocation.region.startLine
    expect(inApi(after).map(line)).toEqual(inApi(before).map((x) => line(x) + 2))
  })
})

describe('JUnit', () => {
  it('is well-formed XML with a test case per rule: failures, skipped and passes', () => {
    const report = reportOf('mixed-permits')
    const xml = run('mixed-permits', '-f', 'junit').stdout
    expect(XMLValidator.validate(xml)).toBe(true)
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml)
    const suite = doc.testsuites.testsuite
    const rules = report.rulesets[0]!.rules
    expect(suite.testcase).toHaveLength(rules.length)
    expect(Number(suite.tests)).toBe(rules.length)
    const failed = rules.filter((r) => r.status === 'fail')
    expect(Number(suite.failures)).toBe(failed.length)
    expect(suite.testcase.filter((c: { failure?: unknown }) => c.failure)).toHaveLength(failed.length)
    const skipped = rules.filter((r) => r.status === 'not-checked' || r.status === 'not-applicable')
    expect(suite.testcase.filter((c: { skipped?: unknown }) => c.skipped !== undefined)).toHaveLength(
      skipped.length,
    )
    expect(suite.name).toBe('municipal-baseline@1.2.0')
    const dtf = suite.testcase.find((c: { name: string }) => c.name.startsWith('date-time-format:'))
    expect(dtf.failure['#text']).toContain("'decisionDate' holds a date")
  })
})

describe('GitLab Code Quality', () => {
  it('has an issue per finding with a stable, unique fingerprint and GitLab severities', () => {
    const a = JSON.parse(run('poor-records', '-f', 'gitlab').stdout)
    const b = JSON.parse(run('poor-records', '-f', 'gitlab').stdout)
    expect(a).toEqual(b)
    expect(a.length).toBe(reportOf('poor-records').findings.length)
    expect(new Set(a.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(a.length)
    for (const i of a) {
      expect(i).toMatchObject({
        description: expect.any(String),
        check_name: expect.any(String),
        location: {
          path: expect.stringMatching(/^fixtures\/services\/poor-records\//),
          lines: { begin: expect.any(Number) },
        },
      })
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity)
    }
  })
})

describe('GitHub and Azure annotations', () => {
  const hostile: Report = (() => {
    const r = reportOf('mixed-permits')
    const f = r.findings[0]!
    return {
      ...r,
      findings: [
        {
          ...f,
          message: 'Line one\nline two: 100% sure, [really]; yes',
          location: { ...f.location, source: 'a,b:c;d].yaml' },
        },
        ...Array.from({ length: 14 }, (_, i) => ({
          ...f,
          severity: 'warn' as const,
          message: `warning ${i}`,
        })),
      ],
    }
  })()

  it('escape what GitHub would read as syntax, show errors first and at most ten of a kind', async () => {
    const out = String(await formatReport(hostile, 'github', { color: false }))
    const lines = out.trim().split('\n')
    expect(lines[0]).toBe(
      `::error file=a%2Cb%3Ac;d].yaml,line=${hostile.findings[0]!.location.line},col=${hostile.findings[0]!.location.column},endLine=${hostile.findings[0]!.location.endLine},title=exit-declarations (municipal-baseline)::Line one%0Aline two: 100%25 sure, [really]; yes`,
    )
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(10)
    expect(lines).toContain(
      '::notice title=interop::4 more findings are in the full report (--format json or sarif).',
    )
  })

  it('escape what Azure would read as syntax', async () => {
    const out = String(await formatReport(hostile, 'azure', { color: false }))
    expect(out.split('\n')[0]).toBe(
      `##vso[task.logissue type=error;sourcepath=a,b:c%3Bd%5D.yaml;linenumber=${hostile.findings[0]!.location.line};columnnumber=${hostile.findings[0]!.location.column};code=exit-declarations]Line one%0Aline two: 100%AZP25 sure, [really]; yes`,
    )
  })

  it('add the Markdown report to the GitHub job summary', () => {
    const summary = path.join(dir, 'summary.md')
    writeFileSync(summary, '# Earlier steps\n')
    const r = cli(['check', 'fixtures/services/mixed-permits/interop.yaml', '-f', 'github'], {
      env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
    })
    expect(r.stdout).toMatch(/^::error file=fixtures\/services\/mixed-permits\//)
    const text = readFileSync(summary, 'utf8')
    expect(text).toMatch(/^# Earlier steps\n# Compliance report: Bygglov e-tjänst/)
  })
})

describe('several formats in one run', () => {
  it('write each format to its own --output, or all into --output-dir', () => {
    const out = path.join(dir, 'outs')
    const r = run(
      'good-library',
      '-f',
      'sarif',
      '-o',
      path.join(dir, 'a.sarif'),
      '-f',
      'junit',
      '-o',
      path.join(dir, 'a.xml'),
    )
    expect(r.status).toBe(0)
    expect(JSON.parse(readFileSync(path.join(dir, 'a.sarif'), 'utf8')).version).toBe('2.1.0')
    expect(XMLValidator.validate(readFileSync(path.join(dir, 'a.xml'), 'utf8'))).toBe(true)
    expect(run('good-library', '-f', 'sarif', '-f', 'gitlab', '-f', 'html', '--output-dir', out).status).toBe(
      0,
    )
    expect(JSON.parse(readFileSync(path.join(out, 'interop.sarif'), 'utf8')).runs).toHaveLength(1)
    expect(JSON.parse(readFileSync(path.join(out, 'gl-code-quality-report.json'), 'utf8'))).toEqual([])
    expect(readFileSync(path.join(out, 'interop-report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/)
  })

  it('answer formats and outputs that do not pair with exit 2, before any work', () => {
    const two = run('good-library', '-f', 'sarif', '-f', 'junit')
    expect(two.status).toBe(2)
    expect(two.stderr).toMatch(/Only one format can go to standard output/)
    const odd = run('good-library', '-f', 'sarif', '-f', 'junit', '-o', path.join(dir, 'x.sarif'))
    expect(odd.status).toBe(2)
    expect(odd.stderr).toMatch(/Give one --output per --format/)
    expect(odd.stderr).not.toMatch(/Running/)
  })
})
