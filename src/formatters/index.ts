import type { Report } from '../report/model.js'
import { renderPdf } from './pdf.js'
import { renderTemplate } from './template.js'
import { formatText, type TextOptions } from './text.js'

export const FORMATS = ['text', 'json', 'markdown', 'html', 'pdf'] as const
export type Format = (typeof FORMATS)[number]

export interface FormatOptions extends TextOptions {
  /** Language of the fixed texts of the Markdown and HTML reports (a catalogue in locales/). */
  lang?: string
}

/** Renders a report in one of the formats (PDF as bytes, the others as text). Formatters only read the report. */
export async function formatReport(
  report: Report,
  format: Format,
  options: FormatOptions,
): Promise<string | Buffer> {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n'
    case 'text':
      return formatText(report, options)
    case 'markdown':
    case 'html':
      return renderTemplate(report, { format, lang: options.lang ?? 'en' })
    case 'pdf':
      return renderPdf(report, { lang: options.lang ?? 'en' })
  }
}
