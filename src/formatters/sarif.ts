import { createHash } from 'node:crypto'
import path from 'node:path'
import type { Finding, Severity } from '../core/types.js'
import type { Report, RuleResult } from '../report/model.js'
import { ruleDescriptions } from '../report/view.js'
import { safeJson, wellFormed } from './safe-text.js'

/**
 * SARIF 2.1.0 as GitHub code scanning takes it: one run, the tool with every rule the rulesets ran
 * (short and full description, help as text and Markdown, its source as helpUri, its default
 * level), and a result per finding with one physical location relative to the repository, a region,
 * and a fingerprint that survives lines moving (rule, file, JSON pointer and message id, not line).
 */

export interface SarifOptions {
  /** Folder the artifact URIs are relative to (the repository root); default the working folder. */
  basePath?: string
  cwd?: string
  /** `runs[0].automationDetails.id`: tells GitHub which analysis this is when a repository has several. */
  category?: string
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warn: 'warning',
  info: 'note',
}
/** The project's home, as its published schemas name it ($id); a placeholder until it has a public one. */
const INFORMATION_URI = 'https://interop-checker.example/'

/**
 * A finding's identity without its line: rule, file, JSON pointer and message, so that it stays the
 * same when lines are added above it, and two findings at one place differ by what they say.
 */
export function fingerprint(f: Finding, uri: string): string {
  return createHash('sha256')
    .update([f.ruleId, uri, f.location.pointer, f.messageId, f.message].join('\u0000'))
    .digest('hex')
    .slice(0, 32)
}

/** A finding's file as a URI relative to the base path, with forward slashes. */
export function artifactUri(source: string, o: SarifOptions): string {
  const cwd = o.cwd ?? process.cwd()
  const abs = path.resolve(cwd, source)
  const rel = path.relative(path.resolve(cwd, o.basePath ?? '.'), abs)
  // A lone surrogate half cannot be percent-encoded: it stands as U+FFFD.
  return rel
    .split(path.sep)
    .map((segment) => encodeURIComponent(wellFormed(segment)))
    .join('/')
}

export async function formatSarif(report: Report, o: SarifOptions = {}): Promise<Buffer> {
  const descriptions = await ruleDescriptions(report)
  // Each rule once, the first ruleset's view of it (its severity) as the default.
  const rules = new Map<string, RuleResult>()
  for (const rs of report.rulesets) for (const r of rs.rules) if (!rules.has(r.ruleId)) rules.set(r.ruleId, r)
  const ids = [...rules.keys()]
  const index = new Map(ids.map((id, i) => [id, i]))
  const fixOf = new Map(report.findings.filter((f) => f.fix).map((f) => [f.ruleId, f.fix!]))

  const driverRules = ids.map((id) => {
    const r = rules.get(id)!
    const description = descriptions.get(id) ?? r.title
    const fix = fixOf.get(id)
    const sources = r.sources.map((s) => `- [${s.title}](${s.url})`).join('\n')
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
      shortDescription: { text: r.title },
      fullDescription: { text: description },
      help: {
        text: [description, fix ? `Fix: ${fix}` : '', ...r.sources.map((s) => `${s.title}: ${s.url}`)]
          .filter(Boolean)
          .join('\n'),
        markdown: [`**${r.title}**`, description, fix ? `**Fix:** ${fix}` : '', sources]
          .filter(Boolean)
          .join('\n\n'),
      },
      ...(r.sources[0] ? { helpUri: r.sources[0].url } : {}),
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { tags: ['interop', ...(r.from ? [r.from] : [])] },
    }
  })

  const results = report.findings.map((f) => {
    const uri = artifactUri(f.location.source, o)
    const l = f.location
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri },
            ...(l.line
              ? {
                  region: {
                    startLine: l.line,
                    startColumn: l.column ?? 1,
                    ...(l.endLine ? { endLine: l.endLine } : {}),
                    ...(l.endColumn ? { endColumn: l.endColumn } : {}),
                  },
                }
              : {}),
          },
          ...(l.pointer ? { logicalLocations: [{ fullyQualifiedName: l.pointer, kind: 'member' }] } : {}),
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${fingerprint(f, uri)}:1` },
      properties: { rulesetId: f.rulesetId, establishedBy: f.establishedBy },
    }
  })

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: driverRules,
          },
        },
        ...(o.category
          ? { automationDetails: { id: o.category.endsWith('/') ? o.category : `${o.category}/` } }
          : {}),
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: report.createdAt,
          },
        ],
        results,
        properties: {
          score: report.summary.score,
          coverage: report.summary.coverage,
          passed: report.summary.passed,
          ...(report.service ? { service: report.service } : {}),
        },
      },
    ],
  }
  return safeJson(sarif)
}
