import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../core/errors.js'
import { describeSchemaError, shippedSchema } from '../core/schemas.js'
import { parseSource, positionOf } from '../loaders/source.js'
import { toFileUri } from '../loaders/reader.js'
import { REPORT_VERSION, type Report } from '../report/model.js'

/**
 * Reads a saved JSON report (`interop check --format json`) for re-rendering. Only a report that
 * matches schemas/report.schema.json is rendered; anything else is bad input, with the line and
 * property of the first problem.
 */
export async function readReport(file: string, cwd = process.cwd()): Promise<Report> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch {
    throw new InputError('Report file not found.', { file })
  }
  // parseSource throws an InputError with the line for JSON that does not parse.
  const doc = parseSource(text, toFileUri(path.resolve(cwd, file)), file)
  const validate = shippedSchema('report')
  if (!validate(doc.value)) {
    const e = validate.errors![0]!
    const pos = positionOf(doc, e.instancePath)
    throw new InputError(
      `This is not an interop report (schemas/report.schema.json): ${e.instancePath || '/'} ${describeSchemaError(e)}.`,
      { file, ...(pos ? { line: pos.line, column: pos.column } : {}), property: e.instancePath || '/' },
    )
  }
  const report = doc.value as Report
  if (report.reportVersion.split('.')[0] !== REPORT_VERSION.split('.')[0])
    throw new InputError(
      `The report has version ${report.reportVersion}; this interop renders reports of version ${REPORT_VERSION}.`,
      { file, property: '/reportVersion' },
    )
  return report
}
