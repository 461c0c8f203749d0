import type { OpenApiVisitor } from '../loaders/openapi-walker.js'
import { walkOpenApi } from '../loaders/openapi-walker.js'
import { formatMessage, type ReportDescriptor, type Rule, type RuleContext } from './define-rule.js'
import type { ArtifactKind, Artifacts, Finding, Location, RuleStatus, Severity } from './types.js'

/** One rule as a ruleset runs it. */
export interface RuleRun {
  rule: Rule
  rulesetId: string
  severity: Severity
  options: Record<string, unknown>
}

export interface RuleOutcome {
  status: RuleStatus
  /** Why the rule was not checked, not applicable, or errored. */
  reason?: string
  findings: Finding[]
}

const ARTIFACT_NAMES: Record<ArtifactKind, string> = {
  openapi: 'an OpenAPI description',
}

/**
 * Runs rules over the artifacts: rules with `check` directly, rules with `create` in one shared walk
 * of the OpenAPI description. A rule that throws gets an `error` result; the others go on.
 */
export function runRules(runs: readonly RuleRun[], artifacts: Artifacts): RuleOutcome[] {
  const outcomes: RuleOutcome[] = runs.map(() => ({ status: 'pass', findings: [] }))
  const visitors: { index: number; visitor: OpenApiVisitor }[] = []

  const fail = (i: number, e: unknown) => {
    const run = runs[i]!
    const msg = e instanceof Error ? e.message : String(e)
    outcomes[i] = { status: 'error', reason: `rule ${run.rule.meta.id} failed: ${msg}`, findings: [] }
  }

  runs.forEach((run, i) => {
    const missing = run.rule.meta.requires.filter((k) => !artifacts[k])
    if (missing.length) {
      outcomes[i] = {
        status: 'not-checked',
        reason: `needs ${missing.map((k) => ARTIFACT_NAMES[k]).join(' and ')}, which was not given`,
        findings: [],
      }
      return
    }
    const ctx = createContext(run, artifacts, outcomes[i]!)
    try {
      run.rule.check?.(ctx)
      if (run.rule.create) visitors.push({ index: i, visitor: run.rule.create(ctx) })
    } catch (e) {
      fail(i, e)
    }
  })

  if (visitors.length && artifacts.openapi) {
    const byVisitor = new Map(visitors.map((v) => [v.visitor, v.index]))
    walkOpenApi(
      artifacts.openapi,
      visitors.map((v) => v.visitor),
      (visitor, e) => fail(byVisitor.get(visitor)!, e),
    )
  }

  for (const o of outcomes) {
    if (o.status === 'error') continue
    if (o.findings.length) o.status = 'fail'
  }
  return outcomes
}

function createContext(run: RuleRun, artifacts: Artifacts, outcome: RuleOutcome): RuleContext {
  const meta = run.rule.meta
  const seen = new Set<string>()
  // A rule sees only what it declared it requires.
  const given: Artifacts = {}
  for (const kind of meta.requires) Object.assign(given, { [kind]: artifacts[kind] })
  return {
    options: run.options,
    artifacts: given,
    report(d: ReportDescriptor) {
      const template = meta.messages[d.messageId]
      if (template === undefined) throw new Error(`unknown messageId '${d.messageId}'`)
      const loc = d.loc ?? d.node?.loc
      const api = artifacts.openapi
      let location: Location = { source: '', pointer: loc?.pointer ?? '' }
      if (loc && api) location = api.location(loc, d.key)
      const message = formatMessage(template, d.data)
      // The same component can be reached from many operations; report each place once.
      const key = `${d.messageId}|${location.source}|${location.pointer}|${message}`
      if (seen.has(key)) return
      seen.add(key)
      const excerpt = d.evidence?.excerpt ?? (loc && api ? api.excerpt(loc) : undefined)
      outcome.findings.push({
        ruleId: meta.id,
        rulesetId: run.rulesetId,
        severity: run.severity,
        messageId: d.messageId,
        message,
        fix: meta.fix,
        location,
        ...(excerpt ? { evidence: { ...d.evidence, excerpt } } : {}),
        establishedBy: meta.establishedBy ?? 'static',
        docsUrl: meta.sources[0]?.url,
      })
    },
    notApplicable(reason: string) {
      outcome.status = 'not-applicable'
      outcome.reason = reason
    },
    notChecked(reason: string) {
      outcome.status = 'not-checked'
      outcome.reason = reason
    },
  }
}
