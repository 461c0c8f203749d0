import type { Establishment, Finding, RuleStatus, Severity, Source } from '../core/types.js'
import type { BaselineEntry } from '../core/baseline.js'
import type { Deviation } from '../core/waivers.js'

/** Bumped on any incompatible change of the report's shape; schemas/report.schema.json has the same. */
export const REPORT_VERSION = '1.1.0'

export interface ReportInput {
  kind: 'openapi' | 'manifest'
  /** Display path (relative to where interop ran) or URL. */
  source: string
  sha256: string
  /** e.g. "openapi 3.1.0", or "interop manifest" */
  format: string
  /** Other files the description is made of, each with its hash. */
  files: { source: string; sha256: string }[]
}

export interface RuleResult {
  ruleId: string
  title: string
  failureTitle: string
  status: RuleStatus
  severity: Severity
  weight: number
  establishedBy: Establishment
  reason?: string
  findingCount: number
  /** Findings that waivers in force explain (not counted in findingCount). */
  waived?: number
  sources: Source[]
  /** The ruleset that brought the rule in, when the ruleset extends others. */
  from?: string
}

export interface RulesetReport {
  id: string
  version: string
  title: string
  sha256: string
  origin: { kind: 'shipped' | 'file' | 'package'; path: string }
  /** 0–100 over the checked rules; null when no rule could be checked. */
  score: number | null
  coverage: { checked: number; total: number; ratio: number }
  counts: Record<Severity, number>
  /** For a ruleset that extends others: the score and coverage of the rules each brought in. */
  parts?: { id: string; score: number | null; coverage: { checked: number; total: number; ratio: number } }[]
  rules: RuleResult[]
}

export interface Report {
  reportVersion: string
  tool: { name: string; version: string }
  createdAt: string
  /** The service, when a manifest described it. */
  service?: { name: string; vendor: string; version?: string }
  inputs: ReportInput[]
  options: {
    rulesets: string[]
    failOn: Severity | 'none'
    minScore: number | null
    allowRemoteRefHosts: string[]
    /** Whether the running service was probed (`--live`). */
    live: boolean
    /** The configuration file whose settings applied. */
    config?: string
    /** Least scores per ruleset, from the configuration. */
    minScores?: Record<string, number>
    /** The configuration's changes to the rules of the rulesets run. */
    overrides?: { ruleId: string; severity?: string; weight?: number; options?: Record<string, unknown> }[]
  }
  /** How the running service was observed, with --live (or replayed from a recording of it). */
  live?: {
    observedAt: string
    targets: { api: string; environment: string; baseUrl: string }[]
    /** HTTP requests made (or replayed), TLS handshake series not counted. */
    requests: number
    /** Unsafe methods were allowed (--allow-unsafe). */
    allowUnsafe: boolean
    notes: string[]
  }
  summary: {
    /** Mean of the rulesets' scores; null when none could be scored. */
    score: number | null
    coverage: { checked: number; total: number; ratio: number }
    counts: Record<Severity, number>
    /** Whether the run meets the thresholds: no finding at or above failOn, score at least minScore. */
    passed: boolean
    reasons: string[]
  }
  rulesets: RulesetReport[]
  findings: Finding[]
  /** Waivers from the configuration (comply or explain): applied, expired or stale, with their findings. */
  deviations?: Deviation[]
  /** With --baseline: how many findings are new and known, and what the baseline had that is fixed. */
  baseline?: { file: string; new: number; known: number; fixed: BaselineEntry[] }
}
