import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../core/ruleset.js'
import type { Finding } from '../core/types.js'
import { shippedRules } from '../rules/index.js'
import type { Report, RuleResult } from './model.js'

/**
 * What the report templates show, built from a Report alone (a saved JSON report renders the same
 * as a fresh one): every fixed text from the language's message catalogue (`locales/<lang>.json`;
 * adding a language is adding a catalogue), scores with their bands, a verdict, provenance, and each
 * ruleset's rules with their findings.
 */

export type Catalogue = Record<string, string>

/** The languages reports can be written in: one per catalogue in locales/ (adding one is adding a file). */
export function languages(): string[] {
  const dir = path.join(PACKAGE_ROOT, 'locales')
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(f))
        .map((f) => f.slice(0, -5))
        .sort()
    : ['en']
}

const catalogues = new Map<string, Catalogue>()

export function catalogue(lang: string): Catalogue {
  let c = catalogues.get(lang)
  if (c) return c
  const file = path.join(PACKAGE_ROOT, 'locales', `${lang}.json`)
  if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(lang) || !existsSync(file))
    throw new Error(`There is no message catalogue for the language '${lang}' (locales/${lang}.json).`)
  const own = JSON.parse(readFileSync(file, 'utf8')) as Catalogue
  // English is the fallback for a key a catalogue lacks.
  c = lang === 'en' ? own : { ...catalogue('en'), ...own }
  catalogues.set(lang, c)
  return c
}

export interface RuleTexts {
  title: string
  failureTitle: string
  description: string
  fix: string
}

const ruleCatalogues = new Map<string, Record<string, RuleTexts>>()

/**
 * The shipped rules' titles, descriptions and fixes in a language (`locales/rules/<lang>.json`);
 * empty for English, which the rules are written in, and for a language without the file.
 */
export function ruleTexts(lang: string): Record<string, RuleTexts> {
  let c = ruleCatalogues.get(lang)
  if (c) return c
  const file = path.join(PACKAGE_ROOT, 'locales', 'rules', `${lang}.json`)
  c =
    lang !== 'en' && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, RuleTexts>)
      : {}
  ruleCatalogues.set(lang, c)
  return c
}

/** A catalogue text with its {{placeholders}} filled in (plain text; templates escape it). */
export function translate(c: Catalogue, key: string, data: Record<string, unknown> = {}): string {
  const text = c[key] ?? key
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (data[k] === undefined ? '' : String(data[k])))
}

export type BandKey = 'good' | 'needs-work' | 'poor' | 'none'
export const bandOf = (score: number | null): BandKey =>
  score === null ? 'none' : score >= 90 ? 'good' : score >= 50 ? 'needs-work' : 'poor'

export interface FindingView {
  severity: string
  severityKey: string
  location: string
  message: string
  fix?: string
  established: string
  excerpt?: string
  http?: string
  /** With a baseline: new, or in the baseline. */
  baseline?: string
}

export interface RuleView {
  ruleId: string
  title: string
  status: string
  statusKey: string
  severity: string
  established: string
  description?: string
  reason?: string
  reasonLabel?: string
  /** Findings waivers explain, e.g. "2 explained". */
  waived?: string
  sources: { title: string; url: string }[]
  findings: FindingView[]
  from?: string
}

export interface ReportView {
  lang: string
  t: Catalogue
  title: string
  heading: string
  summary: {
    score: string
    band: string
    bandKey: BandKey
    coverage: string
    counts: string
    verdict: string
    passed: boolean
  }
  rulesets: {
    anchor: string
    heading: string
    score: string
    band: string
    bandKey: BandKey
    coverage: string
    parts: { id: string; score: string; band: string; bandKey: BandKey; coverage: string }[]
    rules: RuleView[]
  }[]
  provenance: {
    tool: string
    createdAt: string
    inputs: { source: string; sha256: string }[]
    rulesets: { id: string; version: string; origin: string; sha256: string }[]
    options: { label: string; value: string }[]
    live?: string
    liveTargets: string[]
    liveNotes: string[]
  }
  deviations: DeviationView[]
  /** With a baseline: how many findings are new, known and fixed. */
  baseline?: string
  truncated?: string
  footer: string
}

export interface DeviationView {
  ruleId: string
  where: string
  /** `where` is a file, pointer or URL (not the words for every finding). */
  place: boolean
  justification: string
  approvedBy?: string
  expires: string
  status: string
  statusKey: string
  source: string
  count: string
  findings: FindingView[]
}

export interface ViewOptions {
  lang?: string
  /** Most findings listed per rule, and in all; the rest are counted (the JSON report has them all). */
  maxFindingsPerRule?: number
  maxFindings?: number
}

const DESCRIPTIONS = new Map<string, string>()

/** The descriptions ("why it matters") of the shipped rules a report names. */
export async function ruleDescriptions(report: Report): Promise<Map<string, string>> {
  for (const r of report.rulesets.flatMap((rs) => rs.rules)) {
    if (DESCRIPTIONS.has(r.ruleId)) continue
    const load = shippedRules[r.ruleId]
    if (load) DESCRIPTIONS.set(r.ruleId, (await load()).default.meta.description)
  }
  return DESCRIPTIONS
}

export function buildView(
  report: Report,
  descriptions: ReadonlyMap<string, string>,
  o: ViewOptions = {},
): ReportView {
  const lang = o.lang ?? 'en'
  const t = catalogue(lang)
  // Rule texts in the language; a rule of the municipality's own (not shipped) keeps its words.
  const rules = ruleTexts(lang)
  const tr = (key: string, data?: Record<string, unknown>) => translate(t, key, data)
  const max = o.maxFindingsPerRule ?? 50
  const maxAll = o.maxFindings ?? Infinity
  const scoreText = (s: number | null) => (s === null ? tr('summary.notScored') : `${s}/100`)
  const bandText = (s: number | null) => (s === null ? '' : tr(`band.${bandOf(s)}`))
  const coverageText = (c: { checked: number; total: number }) => tr('summary.rulesChecked', c)
  const s = report.summary

  const findingsOf = new Map<string, Finding[]>()
  for (const f of report.findings) {
    const key = `${f.rulesetId}|${f.ruleId}`
    const list = findingsOf.get(key) ?? []
    list.push(f)
    findingsOf.set(key, list)
  }
  let shown = 0
  const findingView = (f: Finding): FindingView => ({
    severity: tr(`severity.${f.severity}`),
    severityKey: f.severity,
    location:
      `${f.location.source}${f.location.line ? `:${f.location.line}` : ''}${f.location.column ? `:${f.location.column}` : ''}` +
      (f.location.pointer ? ` ${f.location.pointer}` : ''),
    message: f.message,
    ...(f.fix ? { fix: rules[f.ruleId]?.fix ?? f.fix } : {}),
    established: tr(`established.${f.establishedBy}`),
    ...(f.evidence?.excerpt ? { excerpt: f.evidence.excerpt } : {}),
    ...(f.evidence?.http ? { http: httpText(f.evidence.http) } : {}),
    ...(f.baseline ? { baseline: tr(`baseline.${f.baseline}`) } : {}),
  })
  const ruleView = (rulesetId: string, r: RuleResult): RuleView => {
    const all = findingsOf.get(`${rulesetId}|${r.ruleId}`) ?? []
    const listed = all.slice(0, Math.max(0, Math.min(max, maxAll - shown)))
    shown += listed.length
    return {
      ruleId: r.ruleId,
      title:
        r.status === 'fail'
          ? (rules[r.ruleId]?.failureTitle ?? r.failureTitle)
          : (rules[r.ruleId]?.title ?? r.title),
      status: tr(`status.${r.status}`),
      statusKey: r.status,
      severity: tr(`severity.${r.severity}`),
      established: tr(`established.${r.establishedBy}`),
      ...(descriptions.get(r.ruleId)
        ? { description: rules[r.ruleId]?.description ?? descriptions.get(r.ruleId) }
        : {}),
      ...(r.reason ? { reason: r.reason, reasonLabel: tr(`reason.${r.status}`) } : {}),
      ...(r.waived ? { waived: tr('rule.waived', { n: r.waived }) } : {}),
      sources: r.sources,
      findings: listed.map(findingView),
      ...(r.from ? { from: r.from } : {}),
    }
  }
  const rulesets = report.rulesets.map((rs) => ({
    anchor: `ruleset-${rs.id.replace(/[^A-Za-z0-9_-]/g, '-')}`,
    heading: tr('ruleset.heading', { title: rs.title, id: rs.id, version: rs.version }),
    score: scoreText(rs.score),
    band: bandText(rs.score),
    bandKey: bandOf(rs.score),
    coverage: coverageText(rs.coverage),
    parts: (rs.parts ?? []).map((p) => ({
      id: p.id,
      score: scoreText(p.score),
      band: bandText(p.score),
      bandKey: bandOf(p.score),
      coverage: coverageText(p.coverage),
    })),
    rules: rs.rules.map((r) => ruleView(rs.id, r)),
  }))

  const o2 = report.options
  const verdictData = {
    failOn: tr(`severity.${o2.failOn === 'none' ? 'error' : o2.failOn}`),
    minScore: o2.minScore === null ? '' : tr('verdict.minScore', { minScore: o2.minScore }),
    score: s.score ?? '–',
    checked: s.coverage.checked,
    total: s.coverage.total,
    reasons: s.reasons.join('; '),
  }
  const service = report.service
  return {
    lang,
    t,
    title: tr('report.title'),
    heading: service
      ? tr('report.for', {
          service: service.name,
          version: service.version ?? '',
          vendor: service.vendor,
        }).replace(/\s+/g, ' ')
      : tr('report.unnamed'),
    summary: {
      score: scoreText(s.score),
      band: bandText(s.score),
      bandKey: bandOf(s.score),
      coverage: coverageText(s.coverage),
      counts: tr('summary.countsLine', s.counts),
      verdict: tr(
        o2.failOn === 'none' && o2.minScore === null
          ? 'verdict.noThreshold'
          : s.passed
            ? 'verdict.passed'
            : 'verdict.failed',
        verdictData,
      ),
      passed: s.passed,
    },
    rulesets,
    provenance: {
      tool: `${report.tool.name} ${report.tool.version}`,
      createdAt: report.createdAt,
      inputs: report.inputs.flatMap((i) => [
        { source: i.source, sha256: i.sha256 },
        ...i.files.filter((f) => f.source !== i.source),
      ]),
      rulesets: report.rulesets.map((rs) => ({
        id: rs.id,
        version: rs.version,
        origin: rs.origin.kind === 'shipped' ? rs.origin.kind : rs.origin.path,
        sha256: rs.sha256,
      })),
      options: [
        { label: tr('provenance.failOn'), value: o2.failOn },
        {
          label: tr('provenance.minScore'),
          value: o2.minScore === null ? tr('provenance.none') : String(o2.minScore),
        },
        {
          label: tr('provenance.remoteRefs'),
          value: o2.allowRemoteRefHosts.length ? o2.allowRemoteRefHosts.join(', ') : tr('provenance.none'),
        },
      ],
      ...(report.live
        ? {
            live: tr('provenance.liveLine', {
              requests: report.live.requests,
              targets: report.live.targets.length,
              observedAt: report.live.observedAt,
              methods: tr(report.live.allowUnsafe ? 'provenance.unsafe' : 'provenance.safeOnly'),
            }),
          }
        : {}),
      liveTargets: (report.live?.targets ?? []).map((x) => `${x.api} (${x.environment}): ${x.baseUrl}`),
      liveNotes: report.live?.notes ?? [],
    },
    deviations: (report.deviations ?? []).map((d) => ({
      ruleId: d.ruleId,
      where:
        [d.file, d.pointer, d.url].filter((x) => x !== undefined && x !== '').join(' ') ||
        tr('deviation.everywhere'),
      place: Boolean(d.file || d.pointer || d.url),
      justification: d.justification,
      ...(d.approvedBy ? { approvedBy: d.approvedBy } : {}),
      expires: d.expires ?? tr('deviation.noExpiry'),
      status: tr(`deviation.status.${d.status}`),
      statusKey: d.status,
      source: `${d.source.file}${d.source.line ? `:${d.source.line}` : ''}`,
      count: tr('deviation.findings', { n: d.findings.length }),
      findings: d.findings.slice(0, max).map(findingView),
    })),
    ...(report.baseline
      ? {
          baseline: tr('baseline.summary', {
            file: report.baseline.file,
            new: report.baseline.new,
            known: report.baseline.known,
            fixed: report.baseline.fixed.length,
          }),
        }
      : {}),
    ...(shown < report.findings.length
      ? { truncated: tr('findings.truncated', { shown, total: report.findings.length }) }
      : {}),
    footer: tr('footer.generated', { tool: report.tool.name, version: report.tool.version }),
  }
}

/** An HTTP exchange or TLS handshake as evidence text: the request line, the status, the headers that matter. */
function httpText(h: NonNullable<NonNullable<Finding['evidence']>['http']>): string {
  const lines = [`${h.method ?? 'GET'} ${h.url}`]
  if (h.status !== undefined) lines.push(`→ ${h.status}`)
  for (const [k, v] of Object.entries(h.headers ?? {})) lines.push(`${k}: ${v}`)
  if (h.tls) {
    if (h.tls.protocol) lines.push(`TLS: ${h.tls.protocol}`)
    if (h.tls.legacyAccepted?.length) lines.push(`legacy accepted: ${h.tls.legacyAccepted.join(', ')}`)
    if (h.tls.certificateValidTo) lines.push(`certificate valid to: ${h.tls.certificateValidTo}`)
  }
  if (h.bodyExcerpt) lines.push('', h.bodyExcerpt)
  return lines.join('\n')
}
