import path from 'node:path'
import type { Waiver } from '../config/config.js'
import type { RuleOutcome } from './runner.js'
import type { Finding } from './types.js'

/**
 * Comply or explain: the municipality's waivers applied to the findings. A finding a waiver in force
 * covers leaves the results (it fails nothing) and is listed under the waiver; an expired waiver
 * covers nothing, and the findings it used to cover count again; a waiver that covers nothing is
 * stale, so that the list does not outlive what it explains.
 */

export type DeviationStatus = 'applied' | 'expired' | 'stale'

export interface Deviation extends Omit<Waiver, 'rule'> {
  ruleId: string
  status: DeviationStatus
  /** Where the waiver is written: the configuration file and line. */
  source: { file: string; line?: number }
  /** Applied: the findings it explains (they are not among the report's findings). Expired: the ones it no longer covers. */
  findings: Finding[]
}

export interface WaiverContext {
  /** Folder of the configuration: waivers' files are relative to it. */
  configDir: string
  configFile: string
  /** Folder findings' sources are relative to. */
  cwd: string
  /** The day of the run (YYYY-MM-DD): a waiver applies through its expiry day. */
  today: string
}

function covers(w: Waiver, f: Finding, c: WaiverContext): boolean {
  if (w.rule !== f.ruleId) return false
  if (w.file && path.resolve(c.configDir, w.file) !== path.resolve(c.cwd, f.location.source)) return false
  if (w.pointer !== undefined) {
    const p = f.location.pointer
    if (!(p === w.pointer || p.startsWith(w.pointer.endsWith('/') ? w.pointer : `${w.pointer}/`)))
      return false
  }
  if (w.url) {
    const url = f.evidence?.http?.url
    if (
      !url ||
      !(
        url === w.url ||
        url.startsWith(w.url.endsWith('/') ? w.url : `${w.url}/`) ||
        url.startsWith(`${w.url}?`)
      )
    )
      return false
  }
  return true
}

/** Takes the covered findings out of the outcomes (a rule left without findings passes) and lists the deviations. */
export function applyWaivers(
  outcomes: RuleOutcome[],
  waivers: readonly (Waiver & { line?: number })[],
  c: WaiverContext,
): Deviation[] {
  const deviations: Deviation[] = waivers.map((w) => ({
    ruleId: w.rule,
    ...(w.file ? { file: w.file } : {}),
    ...(w.pointer !== undefined ? { pointer: w.pointer } : {}),
    ...(w.url ? { url: w.url } : {}),
    justification: w.justification,
    ...(w.approvedBy ? { approvedBy: w.approvedBy } : {}),
    ...(w.expires ? { expires: w.expires } : {}),
    status: w.expires && w.expires < c.today ? 'expired' : 'applied',
    source: { file: c.configFile, ...(w.line ? { line: w.line } : {}) },
    findings: [],
  }))
  for (const o of outcomes) {
    if (!o.findings.length) continue
    const kept: Finding[] = []
    for (const f of o.findings) {
      const matching = waivers.map((w, i) => (covers(w, f, c) ? deviations[i]! : undefined)).filter((d) => d)
      const inForce = matching.find((d) => d!.status === 'applied')
      if (inForce) inForce.findings.push(f)
      else {
        for (const d of matching) d!.findings.push(f)
        kept.push(f)
      }
    }
    if (kept.length < o.findings.length) {
      o.waived = o.findings.length - kept.length
      o.findings = kept
      if (!kept.length && o.status === 'fail') o.status = 'pass'
    }
  }
  for (const d of deviations) if (d.status === 'applied' && !d.findings.length) d.status = 'stale'
  return deviations
}
