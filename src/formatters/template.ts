import { createRequire } from 'node:module'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type Handlebars from 'handlebars'
import { PACKAGE_ROOT } from '../core/ruleset.js'
import type { Report } from '../report/model.js'
import { buildView, ruleDescriptions, translate, type ReportView, type ViewOptions } from '../report/view.js'
import { inert, safeHtml } from './safe-text.js'

/**
 * The HTML and Markdown reports: Handlebars templates in templates/ (report.html.hbs, report.md.hbs,
 * partials/*.hbs) over the view model. Every value from the report is escaped: HTML by Handlebars,
 * Markdown by the `md`, `code` and `fence` helpers; links are only ever http(s) URLs.
 */

const TEMPLATES = path.join(PACKAGE_ROOT, 'templates')
type Kind = 'html' | 'markdown'
const FILES: Record<Kind, string> = { html: 'report.html.hbs', markdown: 'report.md.hbs' }

let hbs: typeof Handlebars | undefined
const compiled = new Map<Kind, HandlebarsTemplateDelegate<ReportView>>()

function engine(): typeof Handlebars {
  if (hbs) return hbs
  // Required here, not imported at the top: the check command is one bundle, and a package imported
  // at the top of any of its modules would load with every check.
  const h = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create()
  const partials = path.join(TEMPLATES, 'partials')
  for (const f of readdirSync(partials).filter((n) => n.endsWith('.hbs')))
    h.registerPartial(path.basename(f, '.hbs'), readFileSync(path.join(partials, f), 'utf8'))
  // A fixed text from the language's catalogue, with hash arguments for its placeholders.
  h.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
    const root = options.data.root as ReportView
    return translate(root.t, key, options.hash as Record<string, unknown>)
  })
  h.registerHelper('url', (u: unknown) => safeUrl(u))
  h.registerHelper('md', (s: unknown) => new h.SafeString(markdownText(s)))
  h.registerHelper('code', (s: unknown) => new h.SafeString(markdownCode(s)))
  h.registerHelper('fence', (s: unknown) => new h.SafeString(markdownFence(s)))
  hbs = h
  return h
}

/** An http(s) URL, percent-encoded where Markdown or HTML would read it differently; anything else is no link. */
export function safeUrl(u: unknown): string {
  if (typeof u !== 'string') return '#'
  try {
    const url = new URL(u)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return '#'
    return url.href.replace(
      /[()<>"' ]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    )
  } catch {
    return '#'
  }
}

/** Line ends as CommonMark knows them (a carriage return alone is one too), with the blanks around them. */
const LINE_END = /\s*(?:\r\n|\r|\n)\s*/g
/** The most characters of one value a Markdown report shows; the JSON report has it whole. */
export const MARKDOWN_MAX_CHARS = 2000
/** The size a Markdown report keeps under, well within GitHub's 1 MiB for a job summary. */
const MARKDOWN_MAX_BYTES = 900 * 1024

function clipped(s: unknown): string {
  const text = String(s ?? '')
  return text.length <= MARKDOWN_MAX_CHARS
    ? text
    : `${text.slice(0, MARKDOWN_MAX_CHARS)}… (${text.length - MARKDOWN_MAX_CHARS} more characters)`
}

/** Text in Markdown: Markdown punctuation escaped, then the characters of HTML tags (GitHub renders HTML), on one line. */
export function markdownText(s: unknown): string {
  return clipped(s)
    .replace(/[\\`*_[\]{}|~#!]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(LINE_END, ' ')
}

/** A Markdown code span that no backtick in the text can close early; pipes escaped for tables. */
export function markdownCode(s: unknown): string {
  const text = clipped(s).replace(LINE_END, ' ').replace(/\|/g, '\\|')
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length))
  const tick = '`'.repeat(longest + 1)
  return `${tick} ${text} ${tick}`
}

/** A fenced Markdown code block that no line of the text can close. */
export function markdownFence(s: unknown): string {
  const text = clipped(s)
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}text\n${text.replace(/\r\n?/g, '\n')}\n${fence}`
}

export interface TemplateOptions extends ViewOptions {
  format: Kind
}

export async function renderTemplate(report: Report, o: TemplateOptions): Promise<string> {
  const h = engine()
  let template = compiled.get(o.format)
  if (!template) {
    template = h.compile<ReportView>(readFileSync(path.join(TEMPLATES, FILES[o.format]), 'utf8'), {
      strict: false,
      preventIndent: true,
    })
    compiled.set(o.format, template)
  }
  const descriptions = await ruleDescriptions(report)
  const fill = template
  const render = (maxFindings?: number) =>
    fill(
      buildView(report, descriptions, {
        ...(maxFindings !== undefined ? { maxFindingsPerRule: 20, maxFindings } : {}),
        ...o,
      }),
      { allowProtoPropertiesByDefault: false },
    )
  // Neither format lets a vendor's text act on a terminal or a CI log it is printed to (safe-text.ts).
  if (o.format === 'html') return safeHtml(render())
  // Markdown goes into pull-request comments and job summaries, which take 1 MiB at most: it lists
  // 400 findings at most, fewer when long ones would take it over the size.
  let most = 400
  for (;;) {
    const md = inert(render(most))
    const size = Buffer.byteLength(md)
    if (size <= MARKDOWN_MAX_BYTES || most === 0) return md
    most = Math.floor((most * MARKDOWN_MAX_BYTES) / size / 1.25)
  }
}
