import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SHIPPED_DIR = path.join(PACKAGE_ROOT, 'rulesets')

/**
 * The shipped ruleset files as data, written at build (scripts/build-rulesets.js) after each was
 * loaded and checked in full: by path under rulesets/, the SHA-256 of the YAML text and its value.
 * A shipped file whose text has that hash is taken from here, which spares every check parsing
 * YAML (and loading the YAML parser, when the description is JSON) and validating the ruleset
 * again. A file edited since the build has another hash and is read as any other.
 */
export const PREPARED_RULESETS = path.join(PACKAGE_ROOT, 'generated', 'rulesets.json')
let prepared: Record<string, { sha256: string; value: unknown }> | undefined

/** The value the build prepared for a shipped ruleset file, when its text still has this SHA-256. */
export function preparedRuleset(file: string, sha256: string): unknown {
  if (!prepared) {
    try {
      prepared = JSON.parse(readFileSync(PREPARED_RULESETS, 'utf8')) as typeof prepared
    } catch {
      prepared = {}
    }
  }
  const entry = prepared![preparedName(file)]
  return entry?.sha256 === sha256 ? structuredClone(entry.value) : undefined
}

/** A shipped ruleset file's name in the prepared table: its path under rulesets/, with `/`. */
export function preparedName(file: string): string {
  return path.relative(SHIPPED_DIR, file).split(path.sep).join('/')
}
