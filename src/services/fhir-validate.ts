import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../core/errors.js'
import { loadFhirPackages, validateClaimedProfiles } from '../fhir/profiles.js'
import { validateReferences } from '../fhir/references.js'
import { validateResource, type FhirIssue } from '../fhir/validate.js'
import { displayPath, MAX_DOCUMENT_BYTES, toFileUri } from '../loaders/reader.js'
import { parseSource, positionOf } from '../loaders/source.js'

export interface LocatedIssue extends FhirIssue {
  file: string
  line?: number
  column?: number
}

/**
 * Validates FHIR JSON files on their own (`interop fhir validate`). A file that cannot be read or is
 * not JSON is bad input (exit 2), not a finding.
 */
export async function validateFhirFiles(
  files: string[],
  cwd: string,
  packages: string[] = [],
): Promise<LocatedIssue[]> {
  if (!files.length) throw new InputError('Give one or more FHIR JSON files to validate.')
  const out: LocatedIssue[] = []
  const profiles = loadFhirPackages(packages, cwd)
  for (const file of files) {
    const full = path.resolve(cwd, file)
    const uri = toFileUri(full)
    const shown = displayPath(uri, cwd)
    const info = await stat(full).catch(() => undefined)
    if (!info?.isFile()) throw new InputError('File not found.', { file: shown })
    if (info.size > MAX_DOCUMENT_BYTES)
      throw new InputError(`The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`, { file: shown })
    const text = await readFile(full, 'utf8')
    if (!/^\s*[[{]/.test(text.replace(/^\uFEFF/, '')))
      throw new InputError('Not FHIR JSON: a resource or Bundle in JSON starts with {.', { file: shown })
    const doc = parseSource(text, uri, shown)
    const located: LocatedIssue[] = []
    const claimed = validateClaimedProfiles(doc.value, profiles)
    const notLoaded: FhirIssue[] = claimed.unknown.map((u) => ({
      check: 'profile',
      severity: 'information',
      code: 'not-supported',
      pointer: u.pointer,
      expression: u.expression,
      message: `Profile ${u.url} is not loaded (--fhir-package), so it was not checked`,
    }))
    for (const issue of [
      ...validateResource(doc.value),
      ...validateReferences(doc.value),
      ...claimed.issues,
      ...notLoaded,
    ]) {
      // An unknown element is shown at its name; a missing one at the object that lacks it.
      const pos =
        positionOf(doc, issue.pointer, issue.message.startsWith('Unknown element')) ??
        positionOf(doc, issue.pointer.slice(0, issue.pointer.lastIndexOf('/')))
      located.push({ ...issue, file: shown, ...(pos ? { line: pos.line, column: pos.column } : {}) })
    }
    located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    for (const issue of located) out.push(issue)
  }
  return out
}

/** The issues as one FHIR R4 OperationOutcome, with the file, line and column of each as the HL7 validator writes them. */
export function operationOutcome(issues: LocatedIssue[]): object {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.length
      ? issues.map((i) => ({
          ...(i.line !== undefined
            ? {
                extension: [
                  {
                    url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line',
                    valueInteger: i.line,
                  },
                  {
                    url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col',
                    valueInteger: i.column,
                  },
                ],
              }
            : {}),
          severity: i.severity,
          code: i.code,
          diagnostics: `${i.file}${i.line !== undefined ? `:${i.line}:${i.column}` : ''}: ${i.message}`,
          expression: [i.expression],
        }))
      : [{ severity: 'information', code: 'informational', diagnostics: 'No issues found.' }],
  }
}
