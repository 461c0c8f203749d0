import type { Report } from '../report/model.js'
import { formatText, type TextOptions } from './text.js'

export const FORMATS = ['text', 'json'] as const
export type Format = (typeof FORMATS)[number]

/** Renders a report in one of the formats. Formatters only read the report. */
export function formatReport(report: Report, format: Format, options: TextOptions): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n'
    case 'text':
      return formatText(report, options)
  }
}
