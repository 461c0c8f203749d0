import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../core/errors.js'
import { compareText } from '../core/order.js'
import { applyOverrides, loadConfig, type Config } from '../config/config.js'
import { compareWithBaseline, writeBaseline } from '../core/baseline.js'
import { applyWaivers } from '../core/waivers.js'
import { loadFhirPackages } from '../fhir/profiles.js'
import { loadRuleset, type Ruleset } from '../core/ruleset.js'
import { runForService, type RuleRun } from '../core/runner.js'
import { compareSeverity, coverage, reaches, score } from '../core/scoring.js'
import { type Artifacts, type Finding, type Severity } from '../core/types.js'
import {
  loadManifest,
  looksLikeManifest,
  MANIFEST_NAMES,
  type ManifestArtifact,
} from '../loaders/manifest.js'
import { loadOpenApi, loadOpenApiFrom, type OpenApiArtifact } from '../loaders/openapi.js'
import type { LiveArtifact } from '../loaders/live.js'
import type { ProbedApi, ProbeOptions } from '../loaders/prober/probe.js'
import type { FhirProbeOptions } from '../loaders/prober/fhir.js'
import { loadRecording, RECORDING_FILE, saveRecording } from '../loaders/prober/recording.js'
import { createDiskReader, displayPath, readHead, RefusedError, toFileUri } from '../loaders/reader.js'
import { inputDigest } from '../loaders/source.js'
import { REPORT_VERSION, type Report, type ReportInput, type RulesetReport } from '../report/model.js'
import { toolInfo } from './tool.js'

export interface CheckOptions {
  /** Path of the OpenAPI description. */
  input: string
  /** Shipped ruleset ids or ruleset file paths. */
  rulesets: string[]
  /** Default: the configuration's failOn, else error. */
  failOn?: Severity | 'none'
  minScore?: number
  allowRemoteRefHosts?: string[]
  /** How long the rules may take on one API before the one running is stopped (`--rule-timeout`); 0: no limit. */
  ruleTimeLimitMs?: number
  cwd?: string
  /** Progress messages (to stderr in the CLI). */
  log?: (message: string) => void
  /** Probe the running service at the manifest's base URLs (`--live`). */
  live?: LiveOptions
  /** FHIR packages with the profiles resources claim (`--fhir-package`): folders or npm package names. */
  fhirPackages?: string[]
  /** Fail only on findings this baseline file does not have (`--baseline`). */
  baseline?: string
  /** Record this run's findings as the baseline in this file (`--write-baseline`). */
  writeBaseline?: string
  /**
   * The configuration: loaded already, or its file (`--config`); otherwise .interop.yaml is looked for
   * from cwd upward; false: none. Its settings apply where the options leave them open.
   */
  config?: Config | string | false
}

export interface LiveOptions extends ProbeOptions {
  /** Only these environments of each API (`--environment`); default all. */
  environments?: string[]
  /** Write the observations to this folder (`--save-inputs`). */
  saveInputs?: string
  /** Replay the observations recorded in this folder instead of calling the service (`--from-inputs`). */
  fromInputs?: string
}

export const DEFAULT_RULESETS = ['municipal-baseline']

/**
 * What the FHIR server must be seen to do, from the fhir-conformance-live rule of the rulesets that
 * use it: its required resources, interactions and search parameters, and whether to export.
 */
function fhirProbeOptions(rulesets: readonly Ruleset[]): FhirProbeOptions | undefined {
  const entries = rulesets.flatMap((rs) => rs.rules).filter((e) => e.ruleId === 'fhir-conformance-live')
  if (!entries.length) return undefined
  const options = entries.map((e) => e.options as Partial<FhirProbeOptions> & { tryExport?: boolean })
  return {
    require: options.flatMap((o) => o.require ?? []),
    bulkExport: options.some((o) => o.bulkExport === true && o.tryExport !== false),
  }
}

/** Reads the inputs, runs the rulesets and builds the report. Throws InputError for bad input. */
export async function runCheck(options: CheckOptions): Promise<Report> {
  const cwd = options.cwd ?? process.cwd()
  const log = options.log ?? (() => {})
  const config =
    options.config === false
      ? undefined
      : typeof options.config === 'object'
        ? options.config
        : await loadConfig(cwd, options.config)
  // Flags first, then the configuration, then the defaults.
  options = {
    ...options,
    failOn: options.failOn ?? config?.failOn ?? 'error',
    ...(options.minScore === undefined && config?.minScore !== undefined
      ? { minScore: config.minScore }
      : {}),
  }
  const failOn = options.failOn!
  const rulesetRefs = options.rulesets.length ? options.rulesets : (config?.rulesets ?? DEFAULT_RULESETS)
  if (options.minScore !== undefined && !(options.minScore >= 0 && options.minScore <= 100))
    throw new InputError(`--min-score must be a number from 0 to 100, not ${options.minScore}.`)

  const rulesets: Ruleset[] = []
  for (const ref of rulesetRefs) rulesets.push(await loadRuleset(ref, cwd))
  const overrides = config?.rules ? await applyOverrides(rulesets, config, log) : []

  const input = await loadInput(path.resolve(cwd, options.input), options.allowRemoteRefHosts ?? [], cwd, log)
  const fhir = input.shared.fhir
  if (fhir) {
    // The manifest's packages are folders beside it; --fhir-package ones are the user's, from cwd.
    const manifestDir = path.dirname(fileURLToPath(input.shared.manifest!.doc.uri))
    const inManifest = input.shared.manifest!.value.fhir?.packages ?? []
    for (const p of inManifest)
      if (path.isAbsolute(p) || !path.resolve(manifestDir, p).startsWith(manifestDir + path.sep))
        throw new InputError(
          `fhir.packages: '${p}' is outside the manifest's folder; only folders in it are read.`,
          {
            file: input.shared.manifest!.doc.displayPath,
          },
        )
    fhir.profiles = new Map([
      ...loadFhirPackages(inManifest, manifestDir),
      ...loadFhirPackages(options.fhirPackages ?? [], cwd),
    ])
    if (fhir.profiles.size)
      log(`Loaded ${fhir.profiles.size} FHIR profile${fhir.profiles.size === 1 ? '' : 's'}`)
  }
  if (options.live) {
    // The prober (undici, TLS, FHIR search) is loaded only for live checks.
    const { fhirTargetOf, probeService, targetsOf } = await import('../loaders/prober/probe.js')
    const manifest = input.shared.manifest
    const fhirTarget = manifest && fhirTargetOf(manifest)
    const targets = manifest
      ? [
          ...targetsOf(manifest.apis, options.live.environments),
          // The FHIR endpoint is probed unless only other environments were asked for.
          ...(fhirTarget &&
          (!options.live.environments?.length || options.live.environments.includes('production'))
            ? [fhirTarget.target]
            : []),
        ]
      : []
    if (!targets.length)
      throw new InputError(
        manifest && options.live.environments?.length
          ? `--environment ${options.live.environments.join(', ')}: the manifest names no base URL for it.`
          : '--live needs the base URLs of the service: give a manifest whose apis name their environments, or a fhir.baseUrl.',
        manifest ? { file: manifest.doc.displayPath } : {},
      )
    const live = options.live
    if (live.fromInputs) {
      log(`Replaying ${path.join(live.fromInputs, RECORDING_FILE)}`)
      input.shared.live = await loadRecording(path.resolve(cwd, live.fromInputs), targets, live.fromInputs)
    } else {
      log(`Probing ${targets.length} base URL${targets.length === 1 ? '' : 's'}`)
      const byName = new Map<string, ProbedApi>(
        manifest!.apis.map((entry, i) => [entry.name, { entry, api: input.apis[i] }] as const),
      )
      if (fhirTarget) byName.set(fhirTarget.entry.name, { entry: fhirTarget.entry })
      input.shared.live = await probeService(targets, byName, { ...live, fhir: fhirProbeOptions(rulesets) })
      if (live.saveInputs) {
        const file = await saveRecording(
          path.resolve(cwd, live.saveInputs),
          input.shared.live,
          targets,
          toolInfo(),
        )
        log(
          `Recorded ${input.shared.live.exchanges.length} exchanges in ${displayPath(toFileUri(file), cwd)}`,
        )
      }
    }
  }

  const runs: RuleRun[] = []
  const owners: { ruleset: number; entry: number }[] = []
  rulesets.forEach((rs, i) =>
    rs.rules.forEach((e, j) => {
      runs.push({ rule: e.rule, rulesetId: rs.id, severity: e.severity, options: e.options })
      owners.push({ ruleset: i, entry: j })
    }),
  )
  log(`Running ${runs.length} rules from ${rulesets.map((r) => r.id).join(', ')}`)
  // No credential of a live run reaches a finding or a reason, whatever a rule made of what the
  // service sent (the prober scrubbed what it observed; this is for what rules decode from it).
  const redact = input.shared.live?.redact ?? (<T>(value: T) => value)
  const outcomes = runForService(runs, input.shared, input.apis, {
    ...(options.ruleTimeLimitMs !== undefined ? { timeLimitMs: options.ruleTimeLimitMs } : {}),
  }).map((o) => ({
    ...o,
    findings: redact(o.findings),
    ...(o.reason ? { reason: redact(o.reason) } : {}),
  }))
  const createdAt = reportTime()
  const deviations = config?.waivers.length
    ? applyWaivers(outcomes, config.waivers, {
        configDir: config.dir,
        configFile: config.file,
        cwd,
        today: createdAt.slice(0, 10),
      })
    : undefined
  if (deviations) log(`Applied the waivers of ${config!.file}`)

  const findings: Finding[] = []
  const reports: RulesetReport[] = rulesets.map((rs) => ({
    id: rs.id,
    version: rs.version,
    title: rs.title,
    sha256: rs.sha256,
    origin: rs.origin,
    score: null,
    coverage: { checked: 0, total: 0, ratio: 0 },
    counts: { error: 0, warn: 0, info: 0 },
    rules: [],
  }))
  outcomes.forEach((o, k) => {
    const { ruleset, entry } = owners[k]!
    const e = rulesets[ruleset]!.rules[entry]!
    const r = reports[ruleset]!
    r.rules.push({
      ruleId: e.ruleId,
      title: e.rule.meta.title,
      failureTitle: e.rule.meta.failureTitle,
      status: o.status,
      severity: e.severity,
      weight: e.weight,
      establishedBy: o.establishedBy,
      ...(o.reason ? { reason: o.reason } : {}),
      findingCount: o.findings.length,
      ...(o.waived ? { waived: o.waived } : {}),
      sources: e.rule.meta.sources,
      ...(e.from !== rulesets[ruleset]!.id ? { from: e.from } : {}),
    })
    r.counts[e.severity] += o.findings.length
    // One by one: a rule can have more findings than a call takes arguments (push(...list) overflows).
    for (const f of o.findings) findings.push(f)
  })
  for (const r of reports) {
    r.score = score(r.rules)
    r.coverage = coverage(r.rules)
    const parts = [...new Set(r.rules.map((x) => x.from ?? r.id))]
    if (parts.length > 1)
      r.parts = parts.map((id) => {
        const rules = r.rules.filter((x) => (x.from ?? r.id) === id)
        return { id, score: score(rules), coverage: coverage(rules) }
      })
  }
  findings.sort(
    (a, b) =>
      compareText(a.location.source, b.location.source) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      compareSeverity(a.severity, b.severity) ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.message, b.message),
  )

  const comparison = options.baseline ? await compareWithBaseline(options.baseline, findings, cwd) : undefined
  if (comparison) findings.forEach((f, i) => (f.baseline = comparison.known.has(i) ? 'known' : 'new'))
  if (options.writeBaseline) {
    await writeBaseline(options.writeBaseline, findings, { tool: toolInfo(), createdAt, cwd })
    log(`Recorded ${findings.length} findings in the baseline ${options.writeBaseline}`)
  }

  const counts = { error: 0, warn: 0, info: 0 }
  for (const f of findings) counts[f.severity]++
  const scored = reports.map((r) => r.score).filter((s): s is number => s !== null)
  const overall = scored.length ? Math.round(scored.reduce((a, b) => a + b, 0) / scored.length) : null
  const allRules = reports.flatMap((r) => r.rules)
  const reasons: string[] = []
  // With a baseline, only new findings fail the check.
  const over = findings.filter((f) => f.baseline !== 'known' && reaches(f.severity, failOn)).length
  if (over > 0)
    reasons.push(`${over}${comparison ? ' new' : ''} finding${over === 1 ? '' : 's'} at or above '${failOn}'`)
  if (options.minScore !== undefined && (overall === null || overall < options.minScore))
    reasons.push(`score ${overall ?? 'n/a'} is under the minimum ${options.minScore}`)
  for (const [id, min] of Object.entries(config?.minScores ?? {})) {
    // A ruleset run, or a part of one (open-standards inside municipal-baseline).
    const r =
      reports.find((x) => x.id === id) ?? reports.flatMap((x) => x.parts ?? []).find((x) => x.id === id)
    if (!r) log(`${config!.file}: minScores names ${id}, which is not among the rulesets run`)
    else if (r.score === null || r.score < min)
      reasons.push(`${id} scores ${r.score ?? 'n/a'}, under its minimum ${min}`)
  }
  // A gate that nothing could be checked against must not open: an empty manifest is no pass.
  if (overall === null)
    reasons.push('no rule could be checked: give an OpenAPI description or what the rules need')

  return {
    reportVersion: REPORT_VERSION,
    tool: toolInfo(),
    createdAt,
    ...(input.shared.manifest ? { service: serviceOf(input.shared.manifest) } : {}),
    inputs: input.describe(),
    options: {
      rulesets: rulesetRefs,
      failOn,
      minScore: options.minScore ?? null,
      ...(config ? { config: config.file } : {}),
      ...(config?.minScores ? { minScores: config.minScores } : {}),
      ...(overrides.length ? { overrides } : {}),
      allowRemoteRefHosts: options.allowRemoteRefHosts ?? [],
      live: options.live !== undefined,
    },
    ...(input.shared.live ? { live: redact(liveSummary(input.shared.live)) } : {}),
    summary: { score: overall, coverage: coverage(allRules), counts, passed: reasons.length === 0, reasons },
    rulesets: reports,
    findings,
    ...(deviations ? { deviations } : {}),
    ...(comparison
      ? {
          baseline: {
            file: comparison.file,
            new: findings.length - comparison.known.size,
            known: comparison.known.size,
            fixed: comparison.fixed,
          },
        }
      : {}),
  }
}

function liveSummary(live: LiveArtifact): NonNullable<Report['live']> {
  const targets = new Map<string, { api: string; environment: string; baseUrl: string }>()
  for (const x of [...live.exchanges, ...live.tls]) {
    const { api, environment, baseUrl } = x.target
    targets.set(`${api}|${environment}`, { api, environment, baseUrl })
  }
  return {
    observedAt: live.observedAt,
    targets: [...targets.values()],
    requests: live.exchanges.filter((e) => e.response || !/^not made/.test(e.error ?? '')).length,
    allowUnsafe: live.settings.allowUnsafe,
    notes: live.settings.notes,
  }
}

interface LoadedInput {
  shared: Omit<Artifacts, 'openapi'>
  apis: OpenApiArtifact[]
  describe(): ReportInput[]
}

/**
 * Reads what was given: a service manifest (or a folder holding interop.yaml) with the OpenAPI
 * descriptions it names, or a plain OpenAPI description, which is a service of one API.
 */
async function loadInput(
  given: string,
  allowRemoteRefHosts: string[],
  cwd: string,
  log: (m: string) => void,
): Promise<LoadedInput> {
  let file = given
  const shown = (f: string) => displayPath(toFileUri(f), cwd)
  if (!existsSync(file)) throw new InputError('File not found.', { file: shown(file) })
  if (statSync(file).isDirectory()) {
    const found = MANIFEST_NAMES.map((n) => path.join(given, n)).find((f) => existsSync(f))
    if (!found)
      throw new InputError(
        `This folder has no ${MANIFEST_NAMES[0]}; give the path of an OpenAPI description or a service manifest, or write one with \`interop init\`.`,
        { file: shown(given) },
      )
    file = found
  }
  log(`Reading ${shown(file)}`)
  const head = await readHead(file)
  if (!looksLikeManifest(file, head)) {
    const api = await loadOpenApi(file, { allowRemoteRefHosts })
    return { shared: {}, apis: [api], describe: () => [describeApi(api)] }
  }

  const loaded = await loadManifest(file)
  const reader = createDiskReader({ rootDir: path.dirname(file), allowedHosts: allowRemoteRefHosts })
  const apis: OpenApiArtifact[] = []
  for (const entry of loaded.manifest.apis) {
    log(`Reading ${entry.uri.startsWith('file:') ? shown(fileURLToPath(entry.uri)) : entry.uri}`)
    try {
      apis.push(await loadOpenApiFrom(entry.uri, reader, { allowRemoteRefHosts }))
    } catch (e) {
      if (!(e instanceof RefusedError)) throw e
      const pos = loaded.manifest.doc.position(entry.loc.pointer + '/openapi')
      throw new InputError(
        `The OpenAPI description ${entry.uri} is on another host; allow it with --allow-remote-ref ${new URL(entry.uri).hostname} to fetch it.`,
        { file: loaded.manifest.doc.displayPath, line: pos?.line, column: pos?.column },
      )
    }
  }
  return {
    shared: loaded,
    apis,
    describe: () => [
      {
        kind: 'manifest',
        source: loaded.manifest.doc.displayPath,
        sha256: inputDigest(loaded.manifest.doc),
        format: 'interop manifest',
        files: [...(loaded.schemas?.documents.values() ?? []), ...(loaded.fhir?.documents.values() ?? [])]
          .map((d) => ({ source: d.displayPath, sha256: inputDigest(d) }))
          .sort((a, b) => compareText(a.source, b.source)),
      },
      ...apis.map(describeApi),
    ],
  }
}

function serviceOf(m: ManifestArtifact): Report['service'] {
  const s = m.value.service
  return { name: s.name, vendor: s.vendor, ...(s.version ? { version: s.version } : {}) }
}

function describeApi(api: OpenApiArtifact): ReportInput {
  const files = [...api.documents.values()]
    .filter((d) => d !== api.root)
    .map((d) => ({ source: d.displayPath, sha256: inputDigest(d) }))
    .sort((a, b) => compareText(a.source, b.source))
  return {
    kind: 'openapi',
    source: api.root.displayPath,
    sha256: inputDigest(api.root),
    format: `${api.kind} ${api.specVersion || '(no version)'}`,
    files,
  }
}

/** The time of the run; SOURCE_DATE_EPOCH makes reports reproducible. */
export function reportTime(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString()
  return new Date().toISOString()
}
