import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { lilconfig } from 'lilconfig'
import { InputError } from '../core/errors.js'
import { schemaProblemLine, shippedSchema } from '../core/schemas.js'
import { displayPath, toFileUri } from '../loaders/reader.js'
import { parseSource, positionOf, type SourceDocument } from '../loaders/source.js'

/**
 * The municipality's configuration: `.interop.yaml`, `.interop.yml` or `.interop.json` in the
 * working folder or the nearest folder above it (found with lilconfig), or the file `--config`
 * names. Validated against schemas/config.schema.json with the line of every problem. It is the
 * user's own file, never the vendor's, and is only read, never run.
 */

export const CONFIG_NAMES = ['.interop.yaml', '.interop.yml', '.interop.json']

export interface Waiver {
  rule: string
  file?: string
  pointer?: string
  url?: string
  justification: string
  approvedBy?: string
  expires?: string
}

export interface Config {
  /** The file, as shown to the user. */
  file: string
  /** Its folder: waivers' files are relative to it. */
  dir: string
  waivers: (Waiver & { line?: number })[]
}

/** Finds the configuration for `cwd` (or reads `explicit`); undefined when there is none. */
export async function loadConfig(cwd: string, explicit?: string): Promise<Config | undefined> {
  let file: string
  if (explicit) file = path.resolve(cwd, explicit)
  else {
    // lilconfig's search only; the file is read here, with positions, for messages with lines.
    const found = await lilconfig('interop', {
      searchPlaces: CONFIG_NAMES,
      loaders: { '.yaml': () => ({}), '.yml': () => ({}), '.json': () => ({}) },
      stopDir: path.parse(cwd).root,
    }).search(cwd)
    if (!found) return undefined
    file = found.filepath
  }
  const shown = displayPath(toFileUri(file), cwd)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new InputError('Configuration file not found.', { file: shown })
  }
  const doc = parseSource(text, toFileUri(file), shown)
  const value = (doc.value ?? {}) as { waivers?: Waiver[] }
  check(doc)
  return {
    file: shown,
    dir: path.dirname(file),
    waivers: (value.waivers ?? []).map((w, i) => ({
      ...w,
      ...(positionOf(doc, `/waivers/${i}`) ? { line: positionOf(doc, `/waivers/${i}`)!.line } : {}),
    })),
  }
}

function check(doc: SourceDocument): void {
  const validate = shippedSchema('config')
  if (validate(doc.value ?? {})) return
  const lines = (validate.errors ?? []).map((e) => schemaProblemLine(doc, e))
  throw new InputError(
    `The configuration is not valid against schemas/config.schema.json (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n  ${[...new Set(lines)].join('\n  ')}`,
  )
}
