import { fingerprint } from '../formatters/sarif.js'
import type { Finding } from '../core/types.js'
import type { Report } from '../report/model.js'

/**
 * What changed between two reports of a service: findings that are new, fixed and unchanged, by the
 * same line-independent fingerprint as baselines and SARIF, and the scores before and after.
 */

export interface ReportDiff {
  old: { createdAt: string; score: number | null }
  new: { createdAt: string; score: number | null }
  rulesets: { id: string; old: number | null; new: number | null }[]
  added: Finding[]
  fixed: Finding[]
  unchanged: number
}

const key = (f: Finding) => fingerprint(f, f.location.source)

export function diffReports(before: Report, after: Report): ReportDiff {
  const left = new Map<string, number>()
  for (const f of before.findings) left.set(key(f), (left.get(key(f)) ?? 0) + 1)
  const added: Finding[] = []
  let unchanged = 0
  for (const f of after.findings) {
    const n = left.get(key(f)) ?? 0
    if (n > 0) {
      left.set(key(f), n - 1)
      unchanged++
    } else added.push(f)
  }
  const fixed: Finding[] = []
  for (const f of before.findings) {
    const n = left.get(key(f)) ?? 0
    if (n > 0) {
      left.set(key(f), n - 1)
      fixed.push(f)
    }
  }
  const ids = [...new Set([...before.rulesets.map((r) => r.id), ...after.rulesets.map((r) => r.id)])]
  return {
    old: { createdAt: before.createdAt, score: before.summary.score },
    new: { createdAt: after.createdAt, score: after.summary.score },
    rulesets: ids.map((id) => ({
      id,
      old: before.rulesets.find((r) => r.id === id)?.score ?? null,
      new: after.rulesets.find((r) => r.id === id)?.score ?? null,
    })),
    added,
    fixed,
    unchanged,
  }
}

const change = (a: number | null, b: number | null) =>
  `${a ?? 'n/a'} → ${b ?? 'n/a'}${a !== null && b !== null ? ` (${b - a >= 0 ? '+' : ''}${b - a})` : ''}`
const at = (f: Finding) => `${f.location.source}${f.location.line ? `:${f.location.line}` : ''}`

export function diffText(d: ReportDiff): string {
  const out = [`score ${change(d.old.score, d.new.score)}`]
  for (const r of d.rulesets) out.push(`  ${r.id}  ${change(r.old, r.new)}`)
  out.push(`${d.added.length} new, ${d.fixed.length} fixed, ${d.unchanged} unchanged findings`)
  for (const [title, list] of [
    ['new', d.added],
    ['fixed', d.fixed],
  ] as const) {
    if (!list.length) continue
    out.push(`${title}:`)
    for (const f of list) out.push(`  ${f.severity.padEnd(5)}  ${at(f)}  ${f.ruleId}  ${f.message}`)
  }
  return out.join('\n') + '\n'
}

const cell = (s: string) =>
  s
    .replace(/\|/g, '\\|')
    .replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/\s*\n\s*/g, ' ')

export function diffMarkdown(d: ReportDiff): string {
  const out = [
    `## interop: ${d.added.length} new, ${d.fixed.length} fixed, ${d.unchanged} unchanged findings`,
    '',
    `Score ${change(d.old.score, d.new.score)}`,
    '',
    '| Ruleset | Before | After |',
    '| --- | --- | --- |',
    ...d.rulesets.map((r) => `| ${cell(r.id)} | ${r.old ?? 'n/a'} | ${r.new ?? 'n/a'} |`),
  ]
  for (const [title, list] of [
    ['New findings', d.added],
    ['Fixed findings', d.fixed],
  ] as const) {
    if (!list.length) continue
    out.push('', `### ${title}`, '', '| Severity | Where | Rule | Finding |', '| --- | --- | --- | --- |')
    for (const f of list)
      out.push(`| ${f.severity} | ${cell(at(f))} | ${cell(f.ruleId)} | ${cell(f.message)} |`)
  }
  return out.join('\n') + '\n'
}
