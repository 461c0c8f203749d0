import { styleText } from 'node:util'
import { reaches } from '../core/scoring.js'
import type { Finding, Severity } from '../core/types.js'
import type { Report, RulesetReport } from '../report/model.js'
import { plainLine } from './safe-text.js'
import { groupBy } from '../core/group-by.js'

export interface TextOptions {
  color: boolean
  /** Only findings at or above the fail-on threshold, then the summary. */
  quiet?: boolean
}

type Style = Parameters<typeof styleText>[0]

/** Score bands, as Lighthouse shows them: good, needs work, poor. */
export function band(score: number | null): string {
  if (score === null) return 'not scored'
  return score >= 90 ? 'good' : score >= 50 ? 'needs work' : 'poor'
}

export function formatText(report: Report, options: TextOptions): string {
  // The caller decides about colour (flag, NO_COLOR, terminal); styleText must not decide again.
  const paint = (style: Style, s: string) =>
    options.color ? styleText(style, s, { validateStream: false }) : s
  // Text from the vendor or the service (names, messages, paths, reasons) stays on its line and
  // cannot colour the terminal or give the CI runner a command (safe-text.ts).
  const $ = plainLine
  const sevStyle: Record<Severity, Style> = { error: 'red', warn: 'yellow', info: 'blue' }
  const threshold = report.options.failOn
  const shown = options.quiet
    ? report.findings.filter((f) => reaches(f.severity, threshold === 'none' ? 'error' : threshold))
    : report.findings
  const out: string[] = []

  const bySource = new Map<string, Finding[]>()
  for (const f of shown) {
    const list = bySource.get(f.location.source) ?? []
    list.push(f)
    bySource.set(f.location.source, list)
  }
  // reduce, not Math.max(...list): a description can have more findings than a call takes arguments.
  const posWidth = shown.reduce((w, f) => Math.max(w, position(f).length), 0)
  const ruleWidth = shown.reduce((w, f) => Math.max(w, f.ruleId.length), 0)
  if (report.service)
    out.push(
      `${paint('bold', $(report.service.name))}${report.service.version ? ` ${$(report.service.version)}` : ''} — ${$(report.service.vendor)}`,
      '',
    )
  if (report.live) {
    // Which observations the live results rest on, and when: a reader of a filed report must know.
    const l = report.live
    out.push(
      `Observed live ${l.observedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}: ${l.requests} request${l.requests === 1 ? '' : 's'} to ${l.targets.length} base URL${l.targets.length === 1 ? '' : 's'}` +
        (l.allowUnsafe ? '; unsafe methods were allowed (--allow-unsafe)' : '; safe methods only'),
    )
    for (const note of l.notes) out.push(paint('dim', `  note: ${$(note)}`))
    out.push('')
  }
  for (const [source, list] of bySource) {
    out.push(paint('underline', $(source) || '(no file)'))
    for (const f of list) {
      out.push(
        `  ${paint('dim', position(f).padEnd(posWidth))}  ${paint(sevStyle[f.severity], f.severity.padEnd(5))}  ` +
          `${$(f.ruleId).padEnd(ruleWidth)}  ${$(f.message)}` +
          // The vendor's word is never shown as if it had been verified.
          (f.establishedBy === 'static' ? '' : paint('dim', ` (${f.establishedBy})`)) +
          (f.baseline === 'known' ? paint('dim', ' (in the baseline)') : ''),
      )
    }
    out.push('')
  }

  for (const rs of report.rulesets) {
    out.push(rulesetLine(rs, paint))
    for (const part of rs.parts ?? [])
      out.push(
        `  ${part.id.padEnd(Math.max(...rs.parts!.map((p) => p.id.length)))}  score ${part.score === null ? 'n/a' : `${part.score}/100`}  coverage ${part.coverage.checked}/${part.coverage.total} rules`,
      )
  }
  for (const rs of report.rulesets) {
    // Rules left unchecked for the same reason are named together, e.g. all that need --live.
    const byReason = groupBy(
      rs.rules.filter((x) => x.status === 'not-checked' || x.status === 'error'),
      (r) => `${r.status}: ${$(r.reason ?? '')}`,
    )
    for (const [key, rules] of byReason) {
      const ids = rules.map((r) => r.ruleId)
      const [status, reason] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 2)]
      if (ids.length <= 4) out.push(paint('dim', `  ${status}: ${ids.join(', ')} — ${reason}`))
      else {
        // A long list goes under its reason, wrapped, so that it stays readable on paper.
        out.push(paint('dim', `  ${status} (${ids.length} rules) — ${reason}:`))
        for (const line of wrap(ids.join(', '), 96)) out.push(paint('dim', `    ${line}`))
      }
    }
  }
  const c = report.summary.counts
  const total = c.error + c.warn + c.info
  out.push(
    `${total} finding${total === 1 ? '' : 's'}: ${paint('red', `${c.error} error${c.error === 1 ? '' : 's'}`)}, ` +
      `${paint('yellow', `${c.warn} warning${c.warn === 1 ? '' : 's'}`)}, ${paint('blue', `${c.info} info`)}` +
      (options.quiet && shown.length < total
        ? ` (${total - shown.length} below '${threshold}' not shown)`
        : ''),
  )
  for (const d of report.deviations ?? []) {
    // Comply or explain: what the waivers explain, and the waivers that no longer explain anything.
    const where = $([d.file, d.pointer, d.url].filter(Boolean).join(' ')) || 'every finding'
    const at = $(`${d.source.file}${d.source.line ? `:${d.source.line}` : ''}`)
    const what =
      d.status === 'applied'
        ? `explains ${d.findings.length} finding${d.findings.length === 1 ? '' : 's'}`
        : d.status === 'expired'
          ? paint(
              'red',
              d.findings.length
                ? `expired ${d.expires}: its ${d.findings.length === 1 ? 'finding counts' : `${d.findings.length} findings count`} again`
                : `expired ${d.expires}, and matches no finding either`,
            )
          : paint('yellow', 'is stale: it matches no finding')
    out.push(`waiver ${$(d.ruleId)} (${where}) at ${at} ${what}`)
  }
  if (report.baseline) {
    const b = report.baseline
    out.push(
      `baseline ${$(b.file)}: ${b.new} new, ${b.known} known, ${b.fixed.length} fixed` +
        (b.fixed.length
          ? ` (${b.fixed
              .map((e) => $(`${e.ruleId} at ${e.file} ${e.pointer}`))
              .slice(0, 5)
              .join('; ')}${b.fixed.length > 5 ? '; …' : ''})`
          : ''),
    )
  }
  const verdict = report.summary.passed
    ? paint('green', `PASSED`) +
      ` (fail on: ${threshold}${report.options.minScore !== null ? `, minimum score ${report.options.minScore}` : ''})`
    : paint('red', 'FAILED') + ': ' + $(report.summary.reasons.join('; '))
  out.push(verdict)
  return out.join('\n') + '\n'
}

function position(f: Finding): string {
  return f.location.line ? `${f.location.line}:${f.location.column ?? 1}` : ''
}

function rulesetLine(rs: RulesetReport, paint: (s: Style, t: string) => string): string {
  const scoreText = rs.score === null ? 'n/a' : `${rs.score}/100`
  const style: Style =
    rs.score === null ? 'dim' : rs.score >= 90 ? 'green' : rs.score >= 50 ? 'yellow' : 'red'
  const failed = rs.rules.filter((r) => r.status === 'fail').length
  const passed = rs.rules.filter((r) => r.status === 'pass').length
  const na = rs.rules.filter((r) => r.status === 'not-applicable').length
  return (
    `${paint('bold', `${rs.id} ${rs.version}`)}  score ${paint(style, `${scoreText} (${band(rs.score)})`)}  ` +
    `coverage ${rs.coverage.checked}/${rs.coverage.total} rules  ` +
    `${passed} passed, ${failed} failed` +
    (na ? `, ${na} not applicable` : '')
  )
}

/** Breaks a comma-separated list into lines of at most `width` characters, at the commas. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const part of text.split(/(?<=,) /)) {
    if (line && line.length + 1 + part.length > width) {
      lines.push(line)
      line = part
    } else line = line ? `${line} ${part}` : part
  }
  if (line) lines.push(line)
  return lines
}
