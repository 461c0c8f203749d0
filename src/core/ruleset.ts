import { createHash } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ErrorObject } from 'ajv'
import { displayPath, readLocalText, toFileUri } from '../loaders/reader.js'
import { parseSource, positionOf, type SourceDocument } from '../loaders/source.js'
import { shippedRules } from '../rules/index.js'
// Spectral rulesets and declarative rules load their engine (JSONPath, ajv) only when used.
import { isSpectralRuleset } from '../declarative/detect.js'
import type { Rule } from './define-rule.js'
import { InputError, isInputError } from './errors.js'
import { importFile } from './import-file.js'
import { parsePackageRef, resolvePackageRuleset } from './plugins.js'
import { preparedRuleset } from './prepared.js'
import { resolveRuleOptions } from './options.js'
import { describeSchemaError, shippedSchema } from './schemas.js'
import type { Severity, SeveritySetting, Source } from './types.js'

/** The package's root folder (holds rulesets/ and schemas/), from src/core or dist/core alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const SHIPPED_RULESETS_DIR = path.join(PACKAGE_ROOT, 'rulesets')

/** Weight of a rule in its ruleset's score when the ruleset does not set one. */
export const DEFAULT_WEIGHTS: Record<Severity, number> = { error: 3, warn: 2, info: 1 }

export interface RulesetEntry {
  ruleId: string
  rule: Rule
  severity: Severity
  weight: number
  /** False when the weight is the default for the severity, so a ruleset that changes the severity changes it too. */
  weightSet: boolean
  options: Record<string, unknown>
  /** The ruleset that brought the rule in: this one, or the one it extends that has it. */
  from: string
}

export interface Ruleset {
  id: string
  version: string
  title: string
  description: string
  sources: Source[]
  /** Where it came from: shipped with interop, a file, or an installed package (path `name@version/file`). */
  origin: { kind: 'shipped' | 'file' | 'package'; path: string }
  /** SHA-256 of the ruleset file (and, through `extends`, of what it builds on). */
  sha256: string
  rules: RulesetEntry[]
}

interface RulesetFile {
  id: string
  version: string
  title: string
  description?: string
  sources?: Source[]
  extends?: string[]
  /** Rule modules: .js/.mjs files (relative to the ruleset) or npm packages exporting rules. */
  modules?: string[]
  rules: Record<
    string,
    SeveritySetting | { severity?: SeveritySetting; weight?: number; options?: Record<string, unknown> }
  >
}

export function shippedRulesetIds(): string[] {
  if (!existsSync(SHIPPED_RULESETS_DIR)) return []
  return readdirSync(SHIPPED_RULESETS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort()
}

/** Loads a ruleset by shipped id or by path (relative to `cwd`), with everything it extends. */
export async function loadRuleset(ref: string, cwd = process.cwd()): Promise<Ruleset> {
  return load(ref, cwd, [])
}

type RulesetKind = Ruleset['origin']['kind']

function locateRuleset(ref: string, cwd: string): { file: string; kind: RulesetKind; label?: string } {
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(ref) && shippedRulesetIds().includes(ref))
    return { file: path.join(SHIPPED_RULESETS_DIR, `${ref}.yaml`), kind: 'shipped' }
  const file = path.resolve(cwd, ref)
  const looksLikeFile = /^\.|[\\]|\.ya?ml$|\.json$/.test(ref) || path.isAbsolute(ref)
  if (looksLikeFile || (existsSync(file) && statSync(file).isFile())) {
    if (!existsSync(file))
      throw new InputError(`Ruleset file not found.`, { file: displayPath(toFileUri(file)) })
    return { file, kind: 'file' }
  }
  if (parsePackageRef(ref)) {
    try {
      const found = resolvePackageRuleset(ref, cwd)!
      const name = path.relative(found.pkg.root, found.file).split(path.sep).join('/')
      return { file: found.file, kind: 'package', label: `${found.pkg.name}@${found.pkg.version}/${name}` }
    } catch (e) {
      if (!ref.includes('/') && isInputError(e) && e.message.startsWith('Unknown ruleset'))
        throw new InputError(
          `Unknown ruleset '${ref}'. Shipped rulesets: ${shippedRulesetIds().join(', ')}; or give the path to a ruleset file, or the name of an installed ruleset package.`,
        )
      throw e
    }
  }
  throw new InputError(
    `Unknown ruleset '${ref}'. Shipped rulesets: ${shippedRulesetIds().join(', ')}; or give the path to a ruleset file.`,
  )
}

async function load(ref: string, cwd: string, chain: string[]): Promise<Ruleset> {
  const { file, kind, label } = locateRuleset(ref, cwd)
  if (chain.includes(file))
    throw new InputError(
      `Ruleset extends itself through ${[...chain, file].map((f) => path.basename(f)).join(' → ')}.`,
      {
        file: displayPath(toFileUri(file)),
      },
    )
  const shown =
    kind === 'shipped' ? `rulesets/${path.basename(file)}` : (label ?? displayPath(toFileUri(file)))
  // Read as every document is: size-limited and strictly UTF-8.
  const text = await readLocalText(file, shown)
  let parsed: SourceDocument | undefined
  const docOf = () => (parsed ??= parseSource(text, toFileUri(file), shown))
  // The ruleset's hash: its text's, then (below) those of what it extends.
  const hash = createHash('sha256').update(text)
  const ready =
    kind === 'shipped'
      ? (preparedRuleset(file, hash.copy().digest('hex')) as RulesetFile | undefined)
      : undefined
  if (!ready && isSpectralRuleset(docOf().value)) return await spectralRuleset(file, docOf(), kind)
  const data = ready ?? checkShape(docOf())

  const merged = new Map<
    string,
    {
      severity?: SeveritySetting
      weight?: number
      options?: Record<string, unknown>
      from: string
      /** A rule defined by a ruleset rather than shipped (a Spectral ruleset's). */
      rule?: Rule
    }
  >()
  for (const base of data.extends ?? []) {
    const parent = await load(base, path.dirname(file), [...chain, file])
    hash.update(parent.sha256)
    for (const e of parent.rules)
      merged.set(e.ruleId, {
        severity: e.severity,
        weight: e.weightSet ? e.weight : undefined,
        options: e.options,
        from: e.from,
        ...(shippedRules[e.ruleId] ? {} : { rule: e.rule }),
      })
  }
  const fromModules = data.modules?.length
    ? await loadModules(data.modules, file, docOf())
    : new Map<string, Rule>()
  for (const [ruleId, setting] of Object.entries(data.rules)) {
    const own = typeof setting === 'string' ? { severity: setting } : setting
    const moduleRule = fromModules.get(ruleId)
    if (moduleRule && !merged.has(ruleId)) merged.set(ruleId, { from: data.id, rule: moduleRule })
    const prev = merged.get(ruleId) ?? { from: data.id }
    if (typeof setting === 'object' && 'given' in setting) {
      // A rule defined here, declaratively.
      if (shippedRules[ruleId])
        throw new InputError(
          `Rule '${ruleId}' is a shipped rule; a rule defined in a ruleset needs a name of its own.`,
          { file: shown, ...lineOf(docOf(), `/rules/${ruleId}`), property: `rules.${ruleId}` },
        )
      const { inlineRule } = await import('../declarative/spectral.js')
      const rule = inlineRule(ruleId, setting as Record<string, unknown>, docOf(), file)
      merged.set(ruleId, {
        severity: own.severity ?? 'warn',
        weight: own.weight,
        options: {},
        from: data.id,
        rule,
      })
      continue
    }
    merged.set(ruleId, {
      ...prev,
      severity: own.severity ?? prev.severity,
      weight: own.weight ?? prev.weight,
      options: own.options ? { ...prev.options, ...own.options } : prev.options,
    })
  }

  const rules: RulesetEntry[] = []
  for (const [ruleId, s] of merged) {
    const at = (suffix = '') => {
      const pos = positionOf(docOf(), `/rules/${ruleId}${suffix}`, suffix === '')
      return {
        file: shown,
        line: pos?.line,
        column: pos?.column,
        property: `rules.${ruleId}${suffix.replace(/\//g, '.')}`,
      }
    }
    const loader = shippedRules[ruleId]
    if (!loader && !s.rule)
      throw new InputError(
        `Unknown rule '${ruleId}'. \`interop rules list\` shows the rules there are.`,
        at(),
      )
    const severity = s.severity ?? 'error'
    if (severity === 'off') continue
    const rule = s.rule ?? (await loader!()).default
    const { options, problems } = resolveRuleOptions(rule, s.options)
    if (problems.length) {
      const p = problems[0]!
      const where = at(`/options${p.path ? '/' + p.path.replace(/\./g, '/') : ''}`)
      throw new InputError(`Option '${p.path || '(options)'}' of rule '${ruleId}' ${p.message}.`, where)
    }
    rules.push({
      ruleId,
      rule,
      severity,
      weight: s.weight ?? DEFAULT_WEIGHTS[severity],
      weightSet: s.weight !== undefined,
      options,
      from: s.from,
    })
  }
  return {
    id: data.id,
    version: data.version,
    title: data.title,
    description: data.description ?? '',
    sources: data.sources ?? [],
    origin: { kind, path: shown },
    sha256: hash.digest('hex'),
    rules,
  }
}

/** A Spectral ruleset file as an interop ruleset: its rules, at Spectral's severities. */
async function spectralRuleset(file: string, doc: SourceDocument, kind: RulesetKind): Promise<Ruleset> {
  const { loadSpectralRuleset } = await import('../declarative/spectral.js')
  const { unrecognizedFormatRule } = await import('../declarative/rule.js')
  const spectral = loadSpectralRuleset(file, doc)
  const rules: RulesetEntry[] = []
  for (const e of spectral.rules) {
    if (e.severity === 'off') continue
    rules.push({
      ruleId: e.ruleId,
      rule: e.rule,
      severity: e.severity,
      weight: DEFAULT_WEIGHTS[e.severity],
      weightSet: false,
      options: {},
      from: e.from,
    })
  }
  if (spectral.formats.size)
    rules.push({
      ruleId: 'unrecognized-format',
      rule: unrecognizedFormatRule(spectral.formats),
      severity: 'warn',
      weight: DEFAULT_WEIGHTS.warn,
      weightSet: false,
      options: {},
      from: doc.displayPath,
    })
  const base = path.basename(file).replace(/\.(ya?ml|json)$/i, '')
  const id =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'spectral'
  return {
    id,
    version: spectral.sha256.slice(0, 12),
    title: `Spectral ruleset ${path.basename(file)}`,
    description: `The Spectral ruleset in ${doc.displayPath}, run by interop.`,
    sources: [],
    origin: { kind, path: doc.displayPath },
    sha256: spectral.sha256,
    rules,
  }
}

/**
 * Loads the rule modules a ruleset names: files beside it (.js, .mjs, .cjs, .ts, .mts) or npm packages,
 * resolved from the ruleset's folder. A module exports its rules as `rules` (a list or a map by id)
 * or as its default export (a rule, a list, or an object with `rules`), written with `defineRule`.
 * Loading runs the module's code: a ruleset is the municipality's own file, named on purpose.
 */
async function loadModules(specs: string[], file: string, doc: SourceDocument): Promise<Map<string, Rule>> {
  const rules = new Map<string, Rule>()
  for (const [i, spec] of specs.entries()) {
    const where = { file: doc.displayPath, ...lineOf(doc, `/modules/${i}`, false), property: `modules.${i}` }
    const local = spec.startsWith('.') || spec.startsWith('/') || /\.[cm]?[jt]s$/.test(spec)
    let url: string
    if (local) {
      const target = path.resolve(path.dirname(file), spec)
      if (!existsSync(target)) throw new InputError(`Rule module '${spec}' is not found.`, where)
      url = pathToFileURL(target).href
    } else {
      try {
        url = pathToFileURL(createRequire(file).resolve(spec)).href
      } catch {
        throw new InputError(
          `Rule package '${spec}' is not installed; install it (npm install ${spec}) beside the ruleset.`,
          where,
        )
      }
    }
    let mod: Record<string, unknown>
    try {
      // TypeScript modules are compiled on the fly by jiti; JavaScript ones are imported as they are.
      mod = /\.[cm]?ts$/.test(url)
        ? ((await (
            await import('jiti')
          )
            .createJiti(import.meta.url, { moduleCache: false })
            .import(fileURLToPath(url))) as Record<string, unknown>)
        : await importFile(url)
    } catch (e) {
      throw new InputError(`Rule module '${spec}' failed to load: ${(e as Error).message}`, where)
    }
    const exported = mod.rules ?? (mod.default as { rules?: unknown } | undefined)?.rules ?? mod.default
    const list = Array.isArray(exported)
      ? exported
      : exported && typeof exported === 'object' && 'meta' in exported
        ? [exported]
        : exported && typeof exported === 'object'
          ? Object.values(exported)
          : []
    if (!list.length)
      throw new InputError(`Rule module '${spec}' exports no rules (export \`rules\` or a default).`, where)
    for (const r of list as Rule[]) {
      const id = r?.meta?.id
      if (typeof id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) || (!r.check && !r.create))
        throw new InputError(
          `Rule module '${spec}' exports something that is not a rule (defineRule({ meta: { id, ... }, check or create })).`,
          where,
        )
      if (shippedRules[id])
        throw new InputError(`Rule module '${spec}': '${id}' is a shipped rule's id.`, where)
      rules.set(id, r)
    }
  }
  return rules
}

function lineOf(doc: SourceDocument, pointer: string, key = true): { line?: number; column?: number } {
  const pos = positionOf(doc, pointer, key)
  return { line: pos?.line, column: pos?.column }
}

function checkShape(doc: SourceDocument): RulesetFile {
  const validate = shippedSchema('ruleset')
  if (validate(doc.value)) return doc.value as RulesetFile
  const err = pickError(validate.errors ?? [])
  const pointer = err.instancePath
  const property =
    err.keyword === 'additionalProperties' ? `${pointer}/${String(err.params.additionalProperty)}` : pointer
  const pos = positionOf(doc, property, err.keyword === 'additionalProperties')
  const name = property.replace(/^\//, '').replace(/\//g, '.') || '(root)'
  throw new InputError(`Invalid ruleset: '${name}' ${describeSchemaError(err)}.`, {
    file: doc.displayPath,
    line: pos?.line,
    column: pos?.column,
    property: name,
  })
}

/** The most telling of ajv's errors: the deepest one that is not a summary of alternatives. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const concrete = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf')
  const list = concrete.length ? concrete : errors
  const depth = (e: ErrorObject) => e.instancePath.split('/').length
  return [...list].sort(
    (a, b) => depth(b) - depth(a) || Number(b.keyword === 'enum') - Number(a.keyword === 'enum'),
  )[0]!
}
