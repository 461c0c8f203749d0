import v8 from 'node:v8'
import vm from 'node:vm'
import type { OpenApiVisitor } from '../loaders/openapi-walker.js'
import { walkOpenApi } from '../loaders/openapi-walker.js'
import { FHIR_API } from '../loaders/live.js'
import { excerptOf, locationIn, type SourceDocument } from '../loaders/source.js'
import {
  formatMessage,
  noteRound,
  type ReportDescriptor,
  type Rule,
  type RuleContext,
} from './define-rule.js'
import { LocSet } from './loc-map.js'
import type { ArtifactKind, Artifacts, Establishment, Finding, Loc, RuleStatus, Severity } from './types.js'

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
  /** How the result was established: from documents, observed, or the vendor's word. */
  establishedBy: Establishment
  findings: Finding[]
  /** Findings a waiver in force took out (they are listed as explained deviations). */
  waived?: number
}

const ARTIFACT_NAMES: Record<ArtifactKind, string> = {
  openapi: 'an OpenAPI description',
  manifest: 'a service manifest (interop.yaml)',
  declarations: "the vendor's declarations in the service manifest",
  schemas: 'JSON Schemas of the data formats in the service manifest',
  live: 'observations of the running service (interop check --live)',
  fhir: 'FHIR resources (fhir.resources in the service manifest)',
}

/**
 * Runs rules over the artifacts: rules with `check` directly, rules with `create` in one shared walk
 * of the OpenAPI description. A rule that throws gets an `error` result; the others go on.
 */
export function runRules(
  runs: readonly RuleRun[],
  artifacts: Artifacts,
  options: RunOptions = {},
): RuleOutcome[] {
  const limit = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS
  const stopped = new Map<number, string>()
  for (;;) {
    const running = { index: -1 }
    try {
      return withTimeLimit(limit, () => runRulesOnce(runs, artifacts, stopped, running))
    } catch (e) {
      if (!isTimeout(e) || running.index < 0 || stopped.has(running.index)) throw e
      // The rule running when time ran out is stopped, and the round is run again without it: the
      // other rules' state from the interrupted walk cannot be trusted.
      stopped.set(
        running.index,
        `rule ${runs[running.index]!.rule.meta.id} did not finish within ${limit / 1000} s and was stopped ` +
          '(a regular expression that backtracks without end, or a loop); the other rules ran without it',
      )
    }
  }
}

export interface RunOptions {
  /**
   * How long the rules of one round (one API) may run in all before the rule running is stopped
   * with an `error` result. Default DEFAULT_TIME_LIMIT_MS; 0 for no limit.
   */
  timeLimitMs?: number
}

export const DEFAULT_TIME_LIMIT_MS = 60_000

// Patterns come from vendors' documents and from rulesets, and a backtracking regular expression
// engine can take exponential time on a short string ("(a+)+$" on "aaaa…!"). V8 can switch such a
// match to its linear-time engine when backtracking gets excessive; patterns that engine cannot run
// (back-references, look-arounds, the i and u flags) are covered by the time limit instead.
export const REGEXP_FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks'
// A check is a run of a second or two, most of its code run a few thousand times: V8 optimizing a
// function once it has run its bytecode's worth of 67,584 bytes (its default) recompiles much code
// that the run ends soon after, on a machine whose other core the garbage collector shares. Four
// times that budget: Stripe's description with municipal-baseline 7%, Docker Engine's with NL ADR
// 10-20%, AWS EC2's 5-7% faster; Microsoft Graph's (3 s) within 1% (alternating runs, medians).
export const JIT_FLAG = '--interrupt-budget=270336'
/**
 * The V8 flags a check runs under. The check command's loader sets them before it compiles the
 * bundle (scripts/bundle.js): V8 takes a code cache only under the flags it was made with.
 */
export const V8_FLAGS = [REGEXP_FLAG, JIT_FLAG]
for (const flag of V8_FLAGS) v8.setFlagsFromString(flag)

let limitContext: vm.Context | undefined

/**
 * Runs fn, interrupting it when it takes longer than ms: V8 stops the script a vm call runs, and
 * with it the functions it calls, even inside a regular expression match.
 */
function withTimeLimit<T>(ms: number, fn: () => T): T {
  if (!(ms > 0) || !Number.isFinite(ms)) return fn()
  limitContext ??= vm.createContext({})
  ;(limitContext as { fn?: () => T }).fn = fn
  try {
    return vm.runInContext('fn()', limitContext, { timeout: ms }) as T
  } finally {
    ;(limitContext as { fn?: () => T }).fn = undefined
  }
}

function isTimeout(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
}

function runRulesOnce(
  runs: readonly RuleRun[],
  artifacts: Artifacts,
  stopped: ReadonlyMap<number, string>,
  running: { index: number },
): RuleOutcome[] {
  const outcomes: RuleOutcome[] = runs.map((r) => ({
    status: 'pass',
    establishedBy: r.rule.meta.establishedBy ?? 'static',
    findings: [],
  }))
  const visitors: { index: number; visitor: OpenApiVisitor }[] = []
  const missingOf = (run: RuleRun) => run.rule.meta.requires.filter((k) => !artifacts[k])
  // The rules of this round that run: each rule's context says which (see roundOf).
  const round = new Set(
    runs.filter((run, i) => !stopped.has(i) && missingOf(run).length === 0).map((run) => run.rule),
  )

  const fail = (i: number, e: unknown) => {
    const run = runs[i]!
    const msg = e instanceof Error ? e.message : String(e)
    outcomes[i] = {
      status: 'error',
      reason: `rule ${run.rule.meta.id} failed: ${msg}`,
      establishedBy: outcomes[i]!.establishedBy,
      findings: [],
    }
  }

  runs.forEach((run, i) => {
    const stop = stopped.get(i)
    if (stop !== undefined) {
      outcomes[i] = { status: 'error', reason: stop, establishedBy: outcomes[i]!.establishedBy, findings: [] }
      return
    }
    const missing = missingOf(run)
    if (missing.length) {
      outcomes[i]!.status = 'not-checked'
      outcomes[i]!.reason =
        `needs ${missing.map((k) => ARTIFACT_NAMES[k]).join(' and ')}, which was not given`
      return
    }
    const ctx = createContext(run, artifacts, outcomes[i]!)
    noteRound(ctx, round)
    try {
      running.index = i
      run.rule.check?.(ctx)
      if (run.rule.create) visitors.push({ index: i, visitor: run.rule.create(ctx) })
    } catch (e) {
      fail(i, e)
    }
  })

  if (visitors.length && artifacts.openapi) {
    walkOpenApi(
      artifacts.openapi,
      visitors.map((v) => v.visitor),
      (_visitor, e, at) => fail(visitors[at]!.index, e),
      // Which rule is running, for the time limit (noted by the walk: a wrapper around each handler
      // of each rule was a second call per event, through Function.prototype.call).
      (at) => {
        running.index = visitors[at]!.index
      },
    )
  }

  for (const o of outcomes) {
    if (o.status === 'error') continue
    if (o.findings.length) o.status = 'fail'
  }
  return outcomes
}

/**
 * Runs rules for a service with several APIs: rules that look at an OpenAPI description run once
 * per API, the others once; the results of a rule over all APIs are combined.
 */
export function runForService(
  runs: readonly RuleRun[],
  shared: Omit<Artifacts, 'openapi'>,
  apis: readonly NonNullable<Artifacts['openapi']>[],
  options: RunOptions = {},
): RuleOutcome[] {
  // A rule that can use an OpenAPI description runs once per API; one that can also judge the FHIR
  // server (bulk-export, by its $export) runs once more on what was observed there.
  const usesOpenApi = (r: RuleRun) =>
    r.rule.meta.requires.includes('openapi') || (r.rule.meta.optional ?? []).includes('openapi')
  const perApi = runs.map(usesOpenApi)
  const once = runRules(
    runs.filter((_, i) => !perApi[i]),
    shared,
    options,
  )
  const apiRuns = runs.filter((_, i) => perApi[i])
  const rounds = apis.length
    ? apis.map((api, i) => {
        // Live rules that judge an API see only what was observed at that API's base URLs.
        const name = shared.manifest?.apis[i]?.name
        const live = shared.live && name !== undefined ? { live: shared.live.forApi(name) } : {}
        return runRules(apiRuns, { ...shared, openapi: api, ...live }, options)
      })
    : [runRules(apiRuns, shared, options)]
  const fhirLive = shared.live?.forApi(FHIR_API)
  const fhirRuns = apiRuns.flatMap((r, k) =>
    !r.rule.meta.requires.includes('openapi') && (r.rule.meta.optional ?? []).includes('live') ? [k] : [],
  )
  const fhirRound =
    apis.length && fhirLive?.exchanges.length && fhirRuns.length
      ? runRules(
          fhirRuns.map((k) => apiRuns[k]!),
          { ...shared, live: fhirLive },
          options,
        )
      : undefined
  let a = 0
  let o = 0
  return runs.map((run, i) => {
    if (!perApi[i]) return once[o++]!
    const k = a++
    const f = fhirRuns.indexOf(k)
    return combine(
      [...rounds.map((r) => r[k]!), ...(fhirRound && f >= 0 ? [fhirRound[f]!] : [])],
      run.rule.meta.aggregate,
    )
  })
}

/**
 * One result for a rule that ran on several APIs: the worst status with all findings, or, for a
 * rule whose requirement one API can meet for the whole service, that API's pass.
 */
export function combine(outcomes: RuleOutcome[], aggregate: 'all' | 'any' = 'all'): RuleOutcome {
  if (outcomes.length === 1) return outcomes[0]!
  if (aggregate === 'any') {
    const passed = outcomes.find((o) => o.status === 'pass')
    if (passed) return passed
  }
  const order: RuleStatus[] = ['error', 'fail', 'pass', 'not-applicable', 'not-checked']
  const status = order.find((s) => outcomes.some((o) => o.status === s)) ?? 'pass'
  const reasons = [...new Set(outcomes.filter((o) => o.status === status && o.reason).map((o) => o.reason!))]
  const established = outcomes.map((o) => o.establishedBy)
  return {
    status,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    establishedBy: established.includes('live')
      ? 'live'
      : established.includes('static')
        ? 'static'
        : 'declared',
    findings: outcomes.flatMap((o) => o.findings),
  }
}

function documentOf(artifacts: Artifacts, uri: string): SourceDocument | undefined {
  for (const a of Object.values(artifacts) as (
    { documents?: ReadonlyMap<string, SourceDocument> } | undefined
  )[]) {
    const doc = a?.documents?.get(uri)
    if (doc) return doc
  }
  return undefined
}

/** Where a finding without a place is, for telling findings apart. */
const NOWHERE: Loc = { uri: '', pointer: '' }

function createContext(run: RuleRun, artifacts: Artifacts, outcome: RuleOutcome): RuleContext {
  const meta = run.rule.meta
  const seen = new LocSet()
  // Documents by URI, as findings name them.
  const docs = new Map<string, SourceDocument | undefined>()
  // A rule sees only what it declared it requires.
  const given: Artifacts = {}
  for (const kind of [...meta.requires, ...(meta.optional ?? [])])
    if (artifacts[kind]) Object.assign(given, { [kind]: artifacts[kind] })
  return {
    options: run.options,
    artifacts: given,
    report(d: ReportDescriptor) {
      const template = meta.messages[d.messageId]
      if (template === undefined) throw new Error(`unknown messageId '${d.messageId}'`)
      const loc = d.loc ?? d.node?.loc
      const message = formatMessage(template, d.data)
      // The same component can be reached from many operations; report each place once (known
      // before its position is looked up).
      if (!seen.add(loc ?? NOWHERE, `${d.messageId}|${message}`)) return
      let doc: SourceDocument | undefined
      if (loc) {
        doc = docs.get(loc.uri)
        if (doc === undefined && !docs.has(loc.uri)) docs.set(loc.uri, (doc = documentOf(artifacts, loc.uri)))
      }
      const location = loc ? locationIn(doc, loc, d.key, d.positionStyle) : { source: '', pointer: '' }
      // The excerpt is around the value: the position just found, unless it was of the key.
      const at = !d.key && (d.positionStyle ?? 'value') === 'value' && location.line ? location : undefined
      const excerpt = d.evidence?.excerpt ?? (doc && loc ? excerptOf(doc, loc.pointer, 2, at) : undefined)
      // One shape for every finding, not a spread of the evidence (a rule may report thousands): a
      // finding without an excerpt has its evidence undefined, as one without a source its docsUrl,
      // and JSON leaves both out.
      outcome.findings.push({
        ruleId: meta.id,
        rulesetId: run.rulesetId,
        severity: d.severity ?? run.severity,
        messageId: d.messageId,
        message,
        fix: meta.fix,
        location,
        evidence: excerpt ? (d.evidence ? { ...d.evidence, excerpt } : { excerpt }) : undefined,
        establishedBy: d.establishedBy ?? outcome.establishedBy,
        docsUrl: meta.sources[0]?.url,
      })
    },
    establishedBy(kind: Establishment) {
      outcome.establishedBy = kind
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
