import type { RuleStatus, Severity } from './types.js'

export interface Scorable {
  status: RuleStatus
  weight: number
}

/**
 * A ruleset's score: the weighted share of passed rules among the rules that were checked
 * (pass or fail), 0–100 rounded to an integer. Rules that were not checked, did not apply or
 * errored carry no weight here; they show in coverage instead, so hiding inputs cannot raise a
 * score. Null when nothing was checked.
 */
export function score(results: readonly Scorable[]): number | null {
  let total = 0
  let passed = 0
  for (const r of results) {
    if (r.status !== 'pass' && r.status !== 'fail') continue
    total += r.weight
    if (r.status === 'pass') passed += r.weight
  }
  if (total === 0) return results.some((r) => r.status === 'pass' || r.status === 'fail') ? 100 : null
  return Math.round((100 * passed) / total)
}

/**
 * Coverage: how many of the ruleset's rules established a result. A rule that does not apply to
 * the service (not-applicable) was established too; not-checked and error results were not.
 */
export function coverage(results: readonly Scorable[]): { checked: number; total: number; ratio: number } {
  const checked = results.filter(
    (r) => r.status === 'pass' || r.status === 'fail' || r.status === 'not-applicable',
  ).length
  const total = results.length
  return { checked, total, ratio: total ? Math.round((checked / total) * 1000) / 1000 : 0 }
}

const RANK: Record<Severity, number> = { error: 3, warn: 2, info: 1 }

/** True when a finding of this severity reaches the `--fail-on` threshold. */
export function reaches(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && RANK[severity] >= RANK[threshold]
}

export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a]
}
