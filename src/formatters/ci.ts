import type { Finding } from '../core/types.js'
import type { Report } from '../report/model.js'
import { inert, safeJson, wellFormed } from './safe-text.js'
import { artifactUri, fingerprint, type SarifOptions } from './sarif.js'
import { groupBy } from '../core/group-by.js'

/**
 * The formats CI systems read: JUnit XML (GitLab, Jenkins, Azure DevOps test reports), GitLab Code
 * Quality JSON, GitHub Actions workflow commands and Azure Pipelines logging commands.
 */

const xml = (s: string) =>
  // A half of a surrogate pair on its own becomes U+FFFD; characters XML 1.0 does not allow at all go.
  wellFormed(s)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // As character references, which mean the same to an XML reader: line breaks (so that a value
    // stays on its line, and keeps them in an attribute), controls and bidirectional controls, and
    // the `#` of a CI command, which a log the file is printed to would act on (safe-text.ts).
    .replace(
      /[\t\n\r\u007F-\u009F\u202A-\u202E\u2066-\u2069]|#(?=#(?:vso)?\[)/g,
      (c) => `&#${c.charCodeAt(0)};`,
    )

/** The last line of the annotation formats: the verdict in the job log. */
const summaryLine = ({ summary: s }: Report) =>
  `interop: score ${s.score ?? 'n/a'}/100, ${s.counts.error} errors, ${s.counts.warn} warnings, ${s.counts.info} info — ${s.passed ? 'passed' : `failed: ${s.reasons.join('; ')}`}`

const where = (f: Finding) =>
  `${f.location.source}${f.location.line ? `:${f.location.line}:${f.location.column ?? 1}` : ''}${f.location.pointer ? ` ${f.location.pointer}` : ''}`

/**
 * JUnit: a test suite per ruleset and a test case per rule, so that CI shows how many rules passed.
 * A failed rule is a failure with its findings in the body; a rule not checked or not applicable is
 * skipped with the reason; a rule that errored is an error.
 */
export function formatJunit(report: Report): string {
  const byRule = groupBy(report.findings, (f) => `${f.rulesetId}|${f.ruleId}`)
  const input = report.inputs[0]?.source ?? ''
  const out = ['<?xml version="1.0" encoding="UTF-8"?>']
  const count = (status: string) =>
    report.rulesets.flatMap((r) => r.rules).filter((r) => r.status === status).length
  const total = report.rulesets.reduce((n, r) => n + r.rules.length, 0)
  out.push(
    `<testsuites name="interop" tests="${total}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('not-checked') + count('not-applicable')}" time="0" timestamp="${xml(report.createdAt.replace(/\.\d+Z$/, ''))}">`,
  )
  for (const rs of report.rulesets) {
    const n = (s: string) => rs.rules.filter((r) => r.status === s).length
    out.push(
      `  <testsuite name="${xml(`${rs.id}@${rs.version}`)}" tests="${rs.rules.length}" failures="${n('fail')}" errors="${n('error')}" skipped="${n('not-checked') + n('not-applicable')}" time="0" timestamp="${xml(report.createdAt.replace(/\.\d+Z$/, ''))}">`,
    )
    out.push(
      `    <properties><property name="score" value="${rs.score ?? ''}"/><property name="coverage" value="${rs.coverage.checked}/${rs.coverage.total}"/></properties>`,
    )
    for (const r of rs.rules) {
      const attrs = `classname="${xml(`${rs.id}@${rs.version}`)}" name="${xml(`${r.ruleId}: ${r.title}`)}" file="${xml(input)}" time="0"`
      if (r.status === 'pass') {
        out.push(`    <testcase ${attrs}/>`)
        continue
      }
      out.push(`    <testcase ${attrs}>`)
      if (r.status === 'fail') {
        const list = byRule.get(`${rs.id}|${r.ruleId}`) ?? []
        out.push(
          `      <failure message="${xml(`${r.failureTitle} (${list.length} finding${list.length === 1 ? '' : 's'})`)}" type="${xml(r.severity)}">${list
            .map((f) => xml(`${f.severity} ${where(f)}: ${f.message}`))
            .join('\n')}</failure>`,
        )
      } else if (r.status === 'error')
        out.push(`      <error message="${xml(r.reason ?? 'the rule failed')}"/>`)
      else out.push(`      <skipped message="${xml(`${r.status}: ${r.reason ?? ''}`)}"/>`)
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return out.join('\n') + '\n'
}

const GITLAB_SEVERITY = { error: 'major', warn: 'minor', info: 'info' } as const

/** GitLab Code Quality: an issue per finding with a fingerprint that does not change when lines move. */
export function formatGitlab(report: Report, o: SarifOptions = {}): Buffer {
  const issues = report.findings.map((f) => {
    const path = decodeURIComponent(artifactUri(f.location.source, o))
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: f.message,
      categories: ['Compatibility'],
      fingerprint: fingerprint(f, path),
      severity: GITLAB_SEVERITY[f.severity],
      location: { path, lines: { begin: f.location.line ?? 1 } },
    }
  })
  return safeJson(issues)
}

/** GitHub shows at most 10 error, 10 warning and 10 notice annotations of a step. */
export const GITHUB_ANNOTATIONS_SHOWN = 10

/**
 * Escaping of a workflow command's message and properties, as the actions toolkit does it; controls
 * shown and commands in the text broken up first (see safe-text.ts).
 */
const ghData = (s: string) => inert(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const ghProperty = (s: string) => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/**
 * GitHub Actions annotations (`::error file=…,line=…::message`), errors first, and no more of each
 * kind than GitHub shows; a last line says how many more the full report has.
 */
export function formatGithub(report: Report, o: SarifOptions = {}): string {
  const kinds = [
    ['error', 'error'],
    ['warn', 'warning'],
    ['info', 'notice'],
  ] as const
  const out: string[] = []
  let left = 0
  for (const [severity, command] of kinds) {
    const list = report.findings.filter((f) => f.severity === severity)
    for (const f of list.slice(0, GITHUB_ANNOTATIONS_SHOWN)) {
      const props = [
        `file=${ghProperty(decodeURIComponent(artifactUri(f.location.source, o)))}`,
        ...(f.location.line ? [`line=${f.location.line}`, `col=${f.location.column ?? 1}`] : []),
        ...(f.location.endLine ? [`endLine=${f.location.endLine}`] : []),
        `title=${ghProperty(`${f.ruleId} (${f.rulesetId})`)}`,
      ]
      out.push(`::${command} ${props.join(',')}::${ghData(f.message)}`)
    }
    left += Math.max(0, list.length - GITHUB_ANNOTATIONS_SHOWN)
  }
  if (left)
    out.push(
      `::notice title=interop::${ghData(`${left} more findings are in the full report (--format json or sarif).`)}`,
    )
  out.push(summaryLine(report))
  return out.join('\n') + '\n'
}

/** Azure Pipelines logging commands: `##vso[task.logissue …]message`, one per finding. */
export function formatAzure(report: Report, o: SarifOptions = {}): string {
  // Azure ends a property at ';' and a command at ']'; they are escaped as %3B and %5D.
  const prop = (s: string) =>
    inert(s)
      .replace(/%/g, '%AZP25')
      .replace(/;/g, '%3B')
      .replace(/\]/g, '%5D')
      .replace(/\r/g, '%0D')
      .replace(/\n/g, '%0A')
  const msg = (s: string) => inert(s).replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  const out = report.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => {
      const props = [
        `type=${f.severity === 'error' ? 'error' : 'warning'}`,
        `sourcepath=${prop(decodeURIComponent(artifactUri(f.location.source, o)))}`,
        ...(f.location.line
          ? [`linenumber=${f.location.line}`, `columnnumber=${f.location.column ?? 1}`]
          : []),
        `code=${prop(f.ruleId)}`,
      ]
      return `##vso[task.logissue ${props.join(';')}]${msg(f.message)}`
    })
  out.push(summaryLine(report))
  return out.join('\n') + '\n'
}
