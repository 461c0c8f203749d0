import type { Report } from '../report/model.js'
import { formatAzure, formatGithub, formatGitlab, formatJunit } from './ci.js'
import { safeJson } from './safe-text.js'
import { formatSarif } from './sarif.js'
import { formatText, type TextOptions } from './text.js'

export const FORMATS = [
  'text',
  'json',
  'markdown',
  'html',
  'pdf',
  'sarif',
  'junit',
  'gitlab',
  'github',
  'azure',
] as const
export type Format = (typeof FORMATS)[number]

/**
 * `--format auto`: the job log's own annotations where the CI system has them (GitHub Actions,
 * Azure Pipelines), text elsewhere (GitLab CI and Jenkins read files, which -f gitlab / junit write).
 */
export function autoFormat(env: NodeJS.ProcessEnv = process.env): Format {
  const set = (name: string) => Boolean(env[name]) && env[name] !== 'false'
  if (set('GITHUB_ACTIONS')) return 'github'
  if (set('TF_BUILD')) return 'azure'
  return 'text'
}

/** The file each format is written to in --output-dir. */
export const DEFAULT_FILES: Record<Format, string> = {
  text: 'interop.txt',
  json: 'interop-report.json',
  markdown: 'interop-report.md',
  html: 'interop-report.html',
  pdf: 'interop-report.pdf',
  sarif: 'interop.sarif',
  junit: 'interop-junit.xml',
  gitlab: 'gl-code-quality-report.json',
  github: 'interop-github.txt',
  azure: 'interop-azure.txt',
}

export interface FormatOptions extends TextOptions {
  /** Language of the fixed texts of the Markdown, HTML and PDF reports (a catalogue in locales/). */
  lang?: string
  /** SARIF, GitLab, GitHub and Azure: paths relative to this folder (the repository root). */
  basePath?: string
  /** SARIF: automationDetails.id. */
  category?: string
  cwd?: string
}

/** Renders a report in one of the formats (PDF as bytes, the others as text). Formatters only read the report. */
export async function formatReport(
  report: Report,
  format: Format,
  options: FormatOptions,
): Promise<string | Buffer> {
  const paths = {
    ...(options.basePath ? { basePath: options.basePath } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  }
  switch (format) {
    case 'json':
      return safeJson(report)
    case 'text':
      return formatText(report, options)
    // The document formats load their engines (Handlebars, PDFKit) only when asked for.
    case 'markdown':
    case 'html':
      return (await import('./template.js')).renderTemplate(report, { format, lang: options.lang ?? 'en' })
    case 'pdf':
      return (await import('./pdf.js')).renderPdf(report, { lang: options.lang ?? 'en' })
    case 'sarif':
      return formatSarif(report, { ...paths, ...(options.category ? { category: options.category } : {}) })
    case 'junit':
      return formatJunit(report)
    case 'gitlab':
      return formatGitlab(report, paths)
    case 'github':
      return formatGithub(report, paths)
    case 'azure':
      return formatAzure(report, paths)
  }
}
