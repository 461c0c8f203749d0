import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { lilconfig } from 'lilconfig'
import { InputError } from '../core/errors.js'
import { importFile } from '../core/import-file.js'
import { resolveRuleOptions } from '../core/options.js'
import { DEFAULT_WEIGHTS, type Ruleset } from '../core/ruleset.js'
import { shippedRules } from '../rules/index.js'
import { schemaProblemLine, shippedSchema } from '../core/schemas.js'
import { displayPath, readLocalText, toFileUri } from '../loaders/reader.js'
import { parseSource, positionOf, type SourceDocument } from '../loaders/source.js'

/**
 * The municipality's configuration: `.interop.yaml`, `.interop.yml` or `.interop.json` in the
 * working folder or the nearest folder above it (found with lilconfig), or the file `--config`
 * names, which may also be `interop.config.js` or `.mjs`. Those run code, so they are never found
 * by searching: a configuration found in a folder could be a vendor's. Validated against
 * schemas/config.schema.json with the line of every problem (in the YAML and JSON files).
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

export type RuleOverride =
  | 'error'
  | 'warn'
  | 'info'
  | 'off'
  | { severity?: 'error' | 'warn' | 'info' | 'off'; weight?: number; options?: Record<string, unknown> }

export interface Config {
  /** The file, as shown to the user. */
  file: string
  /** Its folder: the files it names are relative to it. */
  dir: string
  /** The file parsed, for the lines of later problems (a rule's options). */
  doc: SourceDocument
  rulesets?: string[]
  rules?: Record<string, RuleOverride>
  failOn?: 'error' | 'warn' | 'info' | 'none'
  minScore?: number
  minScores?: Record<string, number>
  lang?: string
  format?: string[]
  outputDir?: string
  /** Settings of the live checks (`--live`); hosts and certificate authorities add to the flags'. */
  live?: {
    allowHosts?: string[]
    allowPrivate?: boolean
    credentialEnv?: string[]
    environments?: string[]
    timeout?: number
    budget?: number
    ca?: string[]
  }
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
  if (!existsSync(file)) throw new InputError('Configuration file not found.', { file: shown })
  // Read as every document is: size-limited and strictly UTF-8.
  const text = await readLocalText(file, shown)
  let doc: SourceDocument
  if (/\.(c?js|mjs)$/.test(file)) {
    // A JavaScript configuration (its default export) runs code, so it is only ever read when
    // --config names it: one found by searching could be anybody's, e.g. a vendor's in its repository.
    let value: unknown
    try {
      const m = (await importFile(pathToFileURL(file).href)) as { default?: unknown }
      value = m.default
    } catch (e) {
      throw new InputError(`The configuration could not be loaded: ${(e as Error).message}`, { file: shown })
    }
    const json = JSON.stringify(value ?? {}, null, 2)
    doc = parseSource(json, toFileUri(file) + '.json', `${shown} (its default export)`)
  } else doc = parseSource(text, toFileUri(file), shown)
  const value = (doc.value ?? {}) as Omit<Config, 'file' | 'dir' | 'doc'>
  check(doc)
  const dir = path.dirname(file)
  // Files it names are relative to it; shipped ruleset ids stay ids.
  const local = (p: string) => (/^[a-z0-9-]+$/.test(p) ? p : path.resolve(dir, p))
  return {
    ...value,
    ...(value.rulesets ? { rulesets: value.rulesets.map(local) } : {}),
    ...(value.outputDir ? { outputDir: path.resolve(dir, value.outputDir) } : {}),
    ...(value.live?.ca
      ? { live: { ...value.live, ca: value.live.ca.map((c) => path.resolve(dir, c)) } }
      : {}),
    file: shown,
    dir,
    doc,
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

/** The rule changes of a configuration applied to the rulesets run, each checked like a ruleset's. */
export async function applyOverrides(
  rulesets: Ruleset[],
  config: Config,
  log: (m: string) => void,
): Promise<{ ruleId: string; severity?: string; weight?: number; options?: Record<string, unknown> }[]> {
  const applied: { ruleId: string; severity?: string; weight?: number; options?: Record<string, unknown> }[] =
    []
  for (const [ruleId, setting] of Object.entries(config.rules ?? {})) {
    const o = typeof setting === 'string' ? { severity: setting } : setting
    const at = (suffix = '') => {
      const pos = positionOf(config.doc, `/rules/${ruleId}${suffix}`, suffix === '')
      return {
        file: config.file,
        line: pos?.line,
        column: pos?.column,
        property: `rules.${ruleId}${suffix.replace(/\//g, '.')}`,
      }
    }
    if (!shippedRules[ruleId])
      throw new InputError(
        `Unknown rule '${ruleId}'. \`interop rules list\` shows the rules there are.`,
        at(),
      )
    let found = false
    for (const rs of rulesets) {
      const i = rs.rules.findIndex((e) => e.ruleId === ruleId)
      if (i < 0) continue
      found = true
      if (o.severity === 'off') {
        rs.rules.splice(i, 1)
        continue
      }
      const e = rs.rules[i]!
      const { options, problems } = resolveRuleOptions(
        e.rule,
        o.options ? { ...e.options, ...o.options } : e.options,
      )
      if (problems.length) {
        const p = problems[0]!
        throw new InputError(
          `Option '${p.path || '(options)'}' of rule '${ruleId}' ${p.message}.`,
          at(`/options${p.path ? '/' + p.path.replace(/\./g, '/') : ''}`),
        )
      }
      const severity = o.severity ?? e.severity
      const weightSet = o.weight !== undefined || e.weightSet
      rs.rules[i] = {
        ...e,
        severity,
        weight: o.weight ?? (e.weightSet ? e.weight : DEFAULT_WEIGHTS[severity]),
        weightSet,
        options,
      }
    }
    if (!found)
      log(`${config.file}: rule ${ruleId} is in none of the rulesets run; its override does nothing`)
    else applied.push({ ruleId, ...o })
  }
  return applied
}
