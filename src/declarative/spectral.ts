import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineRule, type Rule } from '../core/define-rule.js'
import { InputError } from '../core/errors.js'
import { preparedRuleset } from '../core/prepared.js'
import type { SeveritySetting } from '../core/types.js'
import { displayPath, toFileUri } from '../loaders/reader.js'
import { escapeSegment, parseSource, positionOf, type SourceDocument } from '../loaders/source.js'
import { CORE_FUNCTIONS, functionSchemaValidator, isPlainObject, type RuleFunction } from './functions.js'
import { checkJsonPath } from './jsonpath.js'
import { OAS_FUNCTIONS } from './oas-functions.js'
import {
  declarativeRule,
  QueryBatch,
  type AliasDefinition,
  type DeclarativeRuleDefinition,
  type FormatName,
  type ThenClause,
} from './rule.js'

type Obj = Record<string, unknown>

/** The functions a Spectral ruleset can name: Spectral's core functions and its OpenAPI ones. */
export const BUILTIN_FUNCTIONS: Readonly<Record<string, RuleFunction>> = {
  ...CORE_FUNCTIONS,
  ...OAS_FUNCTIONS,
}

/** The rulesets Spectral ships, as `extends` names them, and the files that hold ours of them. */
const BUILTIN_RULESETS: Record<string, string> = {
  'spectral:oas': fileURLToPath(new URL('../../rulesets/spectral/oas.yaml', import.meta.url)),
}

export interface SpectralRuleEntry {
  ruleId: string
  rule: Rule
  severity: SeveritySetting
  /** The ruleset file the rule is defined in. */
  from: string
}

export interface SpectralRuleset {
  /** Display path of the file. */
  displayPath: string
  /** SHA-256 of the file and of what it extends. */
  sha256: string
  rules: SpectralRuleEntry[]
  /** Formats the rules are limited to: a document in none of them gets `unrecognized-format`. */
  formats: Set<FormatName>
}

export { isSpectralRuleset } from './detect.js'

const FORMAT_ALIASES: Record<string, FormatName> = {
  oas2: 'oas2',
  oas3: 'oas3',
  'oas3.0': 'oas3.0',
  oas3_0: 'oas3.0',
  'oas3.1': 'oas3.1',
  oas3_1: 'oas3.1',
}

/** Spectral's severities (names and numbers) as interop's; `hint` becomes info. */
export function severityOf(value: unknown, fallback: SeveritySetting): SeveritySetting | undefined {
  if (value === true) return fallback === 'off' ? 'warn' : fallback
  if (value === false) return 'off'
  switch (value) {
    case 'error':
    case 0:
      return 'error'
    case 'warn':
    case 1:
      return 'warn'
    case 'info':
    case 2:
    case 'hint':
    case 3:
      return 'info'
    case 'off':
    case -1:
      return 'off'
    default:
      return undefined
  }
}

interface RawRule {
  def: Omit<DeclarativeRuleDefinition, 'aliases'>
  severity: SeveritySetting
  recommended: boolean
  /** Custom JavaScript functions the rule names, which interop does not run. */
  unsupported?: string
  from: string
  file: string
}

interface LoadState {
  chain: string[]
  hash: ReturnType<typeof createHash>
  aliases: Record<string, AliasDefinition>
  formats: Set<FormatName>
}

/** Loads a Spectral ruleset file with everything it extends. Bad rulesets are refused (InputError). */
export function loadSpectralRuleset(file: string, doc?: SourceDocument): SpectralRuleset {
  const state: LoadState = { chain: [], hash: createHash('sha256'), aliases: {}, formats: new Set() }
  const rules = loadFile(file, state, doc)
  const entries: SpectralRuleEntry[] = []
  // The rules' paths are evaluated together, in one walk of each document.
  const batch = new QueryBatch()
  for (const [ruleId, raw] of rules) {
    const rule: Rule = raw.unsupported
      ? unsupportedRule(ruleId, raw)
      : declarativeRule({ ...raw.def, aliases: state.aliases, batch }, BUILTIN_FUNCTIONS)
    entries.push({ ruleId, rule, severity: raw.severity, from: raw.from })
  }
  const root = doc ?? parseFile(file)
  return {
    displayPath: root.displayPath,
    sha256: state.hash.digest('hex'),
    rules: entries,
    formats: state.formats,
  }
}

function parseFile(file: string): SourceDocument {
  if (!existsSync(file))
    throw new InputError('Ruleset file not found.', { file: displayPath(toFileUri(file)) })
  const builtin = Object.values(BUILTIN_RULESETS).includes(file)
  const text = readFileSync(file, 'utf8')
  const uri = toFileUri(file)
  const shown = builtin ? `rulesets/spectral/${path.basename(file)}` : displayPath(uri)
  // spectral:oas as the build read and checked it (scripts/build-rulesets.js), while unchanged:
  // nothing in it is reported, so where its values are written is not needed.
  const value = builtin ? preparedRuleset(file, createHash('sha256').update(text).digest('hex')) : undefined
  if (value === undefined) return parseSource(text, uri, shown)
  const doc: SourceDocument = {
    uri,
    displayPath: shown,
    format: 'yaml',
    text,
    value,
    position: () => undefined,
  }
  checkedAtBuild.add(doc)
  return doc
}

/** Documents the build checked in full: their rules' paths and function options are not checked again. */
const checkedAtBuild = new WeakSet<SourceDocument>()

function unsupportedRule(ruleId: string, raw: RawRule): Rule {
  const summary = raw.def.description ?? raw.def.message ?? ruleId
  return defineRule({
    meta: {
      id: ruleId,
      title: summary,
      failureTitle: summary,
      description: raw.def.description ?? '',
      fix: '',
      sources: raw.def.documentationUrl ? [{ title: ruleId, url: raw.def.documentationUrl }] : [],
      requires: ['openapi'],
      messages: { finding: '{{message}}' },
    },
    check(ctx) {
      ctx.notChecked(raw.unsupported!)
    },
  })
}

function loadFile(file: string, state: LoadState, given?: SourceDocument): Map<string, RawRule> {
  const doc = given ?? parseFile(file)
  if (state.chain.includes(file))
    throw new InputError(
      `Ruleset extends itself through ${[...state.chain, file].map((f) => path.basename(f)).join(' → ')}.`,
      { file: doc.displayPath },
    )
  state.hash.update(doc.text)
  const where = whereIn(doc)
  const fail = failIn(doc)
  const data = doc.value
  if (!isPlainObject(data)) return fail('A Spectral ruleset is a mapping with `rules` and/or `extends`.', '')
  const known = new Set([
    'extends',
    'rules',
    'formats',
    'functions',
    'functionsDir',
    'aliases',
    'overrides',
    'documentationUrl',
    'description',
    'parserOptions',
  ])
  for (const k of Object.keys(data))
    if (!known.has(k)) fail(`'${k}' is not a field of a Spectral ruleset.`, `/${escapeSegment(k)}`, true)

  const rulesetFormats = formatList(data.formats, '/formats', fail)
  const docsUrl = typeof data.documentationUrl === 'string' ? data.documentationUrl : undefined
  const custom = new Set<string>()
  if (data.functions !== undefined) {
    if (!Array.isArray(data.functions) || !data.functions.every((f) => typeof f === 'string'))
      fail('`functions` lists the names of custom functions.', '/functions')
    for (const f of data.functions as string[]) custom.add(f)
  }

  if (isPlainObject(data.aliases)) {
    for (const [name, alias] of Object.entries(data.aliases)) {
      const at = `/aliases/${escapeSegment(name)}`
      if (Array.isArray(alias)) {
        alias.forEach((g, i) => checkGiven(g, `${at}/${i}`, fail, true))
        state.aliases[name] = alias as string[]
      } else if (isPlainObject(alias) && Array.isArray(alias.targets)) {
        state.aliases[name] = alias.targets.map((t, i) => {
          if (!isPlainObject(t) || !Array.isArray(t.given))
            return fail('An alias target has `given` paths.', `${at}/targets/${i}`)
          ;(t.given as unknown[]).forEach((g, j) =>
            checkGiven(g, `${at}/targets/${i}/given/${j}`, fail, true),
          )
          return {
            formats: formatList(t.formats, `${at}/targets/${i}/formats`, fail),
            given: t.given as string[],
          }
        })
      } else fail('An alias is a list of JSONPath expressions, or has `targets`.', at)
    }
  } else if (data.aliases !== undefined)
    fail('`aliases` is a mapping of names to JSONPath expressions.', '/aliases')

  const rules = new Map<string, RawRule>()
  // `extends` is one entry or a list of them; an entry is a ruleset or [ruleset, mode], and a
  // single [ruleset, mode] pair may stand alone.
  const MODES = ['off', 'all', 'recommended']
  const single =
    !Array.isArray(data.extends) ||
    (data.extends.length === 2 &&
      typeof data.extends[0] === 'string' &&
      MODES.includes(String(data.extends[1])))
  const entries: unknown[] =
    data.extends === undefined ? [] : single ? [data.extends] : (data.extends as unknown[])
  entries.forEach((entry, i) => {
    const at = single ? '/extends' : `/extends/${i}`
    const [ref, mode] = Array.isArray(entry) ? entry : [entry, 'recommended']
    if (typeof ref !== 'string' || !MODES.includes(String(mode)))
      fail('An `extends` entry is a ruleset, or [ruleset, "off" | "all" | "recommended"].', at)
    const target = locateExtends(ref as string, path.dirname(file), () => where(at))
    const inherited = loadFile(target, { ...state, chain: [...state.chain, file] }, undefined)
    for (const [id, r] of inherited) {
      const severity =
        mode === 'off'
          ? 'off'
          : mode === 'all'
            ? r.severity === 'off'
              ? (r.def.severityDefault ?? 'warn')
              : r.severity
            : r.recommended
              ? r.severity
              : 'off'
      rules.set(id, { ...r, severity })
    }
  })

  if (data.rules !== undefined && !isPlainObject(data.rules))
    fail('`rules` is a mapping of rule names.', '/rules')
  for (const [id, value] of Object.entries((data.rules ?? {}) as Obj)) {
    const at = `/rules/${escapeSegment(id)}`
    const prev = rules.get(id)
    const sev = severityOf(value, prev?.def.severityDefault ?? 'warn')
    if (sev !== undefined || typeof value === 'boolean') {
      if (!prev) fail(`Rule '${id}' is not defined in this ruleset or the ones it extends.`, at, true)
      rules.set(id, { ...prev!, severity: sev ?? 'off' })
      continue
    }
    if (!isPlainObject(value))
      fail(`Rule '${id}' is a severity or a rule definition with \`given\` and \`then\`.`, at)
    const r = value as Obj
    if (r.given === undefined && r.then === undefined && prev) {
      // A partial definition changes the inherited rule.
      const severity = r.severity === undefined ? prev.severity : severityOf(r.severity, 'warn')
      if (severity === undefined) fail(`Rule '${id}' has an unknown severity.`, `${at}/severity`)
      rules.set(id, { ...prev, severity: severity! })
      continue
    }
    rules.set(
      id,
      parseRule(id, r, at, {
        file,
        docsUrl,
        rulesetFormats,
        custom,
        fail,
        state,
        from: doc.displayPath,
        checked: checkedAtBuild.has(doc),
      }),
    )
  }

  if (data.overrides !== undefined) applyOverrides(data.overrides, rules, path.dirname(file), fail)
  if (rulesetFormats) for (const f of rulesetFormats) state.formats.add(f)
  return rules
}

function whereIn(doc: SourceDocument) {
  return (pointer: string, key = false) => {
    const pos = positionOf(doc, pointer, key)
    return {
      file: doc.displayPath,
      line: pos?.line,
      column: pos?.column,
      property:
        pointer.replace(/^\//, '').replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~') || '(root)',
    }
  }
}

/** Throws an InputError naming the ruleset file, line and property. */
function failIn(doc: SourceDocument): Fail {
  const where = whereIn(doc)
  return (message: string, pointer: string, key = false): never => {
    throw new InputError(message, where(pointer, key))
  }
}

/**
 * A declarative rule written inside one of interop's own ruleset files: Spectral's `given`/`then`
 * with its functions, plus interop's `title`, `failureTitle` and `fix`. Positions are interop's.
 */
export function inlineRule(
  id: string,
  definition: Record<string, unknown>,
  doc: SourceDocument,
  file: string,
): Rule {
  const { weight: _w, title, failureTitle, fix, options: _o, ...shape } = definition
  const state: LoadState = { chain: [], hash: createHash('sha256'), aliases: {}, formats: new Set() }
  const raw = parseRule(id, shape, `/rules/${escapeSegment(id)}`, {
    file,
    custom: new Set(),
    fail: failIn(doc),
    state,
    from: doc.displayPath,
  })
  const rule = declarativeRule({ ...raw.def, positionStyle: 'value', aliases: {} }, BUILTIN_FUNCTIONS)
  if (typeof title === 'string') rule.meta.title = title
  if (typeof failureTitle === 'string') rule.meta.failureTitle = failureTitle
  else if (typeof title === 'string') rule.meta.failureTitle = `Not: ${title}`
  if (typeof fix === 'string') rule.meta.fix = fix
  return rule
}

type Fail = (message: string, pointer: string, key?: boolean) => never

function formatList(value: unknown, at: string, fail: Fail): FormatName[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) return fail('`formats` is a list of format names.', at)
  return value.map((f, i) => {
    const name = FORMAT_ALIASES[String(f)]
    if (!name)
      fail(
        `Unknown format '${String(f)}'. interop reads OpenAPI documents: ${Object.keys(FORMAT_ALIASES).join(', ')}.`,
        `${at}/${i}`,
      )
    return name!
  })
}

function checkGiven(given: unknown, at: string, fail: Fail, allowAlias = true): void {
  if (typeof given !== 'string') fail('A `given` path is a JSONPath expression (a string).', at)
  const g = given as string
  if (allowAlias && g.startsWith('#')) return
  const problem = checkJsonPath(g)
  if (problem) fail(`Invalid JSONPath ${JSON.stringify(g)}: ${problem}.`, at)
}

function locateExtends(ref: string, dir: string, where: () => object): string {
  if (ref.startsWith('spectral:')) {
    const builtin = BUILTIN_RULESETS[ref]
    if (!builtin)
      throw new InputError(
        `'${ref}' is not a ruleset interop can run; it runs ${Object.keys(BUILTIN_RULESETS).join(', ')} and ruleset files.`,
        where(),
      )
    return builtin
  }
  if (/^https?:\/\//.test(ref))
    throw new InputError(
      `Rulesets are not fetched from the network ('${ref}'); download it and extend the file.`,
      where(),
    )
  const file = path.resolve(dir, ref)
  if (!existsSync(file)) throw new InputError(`The ruleset '${ref}' it extends is not found.`, where())
  return file
}

interface ParseContext {
  file: string
  /** The build checked the rule (spectral:oas, unchanged): its paths and options are not checked again. */
  checked?: boolean
  docsUrl?: string
  rulesetFormats?: FormatName[]
  custom: Set<string>
  fail: Fail
  state: LoadState
  from: string
}

const RULE_KEYS = new Set([
  'given',
  'then',
  'severity',
  'message',
  'description',
  'formats',
  'resolved',
  'recommended',
  'documentationUrl',
  'type',
  'tags',
  'extensions',
])

function parseRule(id: string, r: Obj, at: string, c: ParseContext): RawRule {
  const { fail } = c
  for (const k of Object.keys(r))
    if (!RULE_KEYS.has(k)) fail(`'${k}' is not a field of a rule.`, `${at}/${escapeSegment(k)}`, true)
  if (r.given === undefined) fail(`Rule '${id}' has no \`given\`.`, at, true)
  if (r.then === undefined) fail(`Rule '${id}' has no \`then\`.`, at, true)
  const given = Array.isArray(r.given) ? r.given : [r.given]
  if (!c.checked)
    given.forEach((g, i) => checkGiven(g, Array.isArray(r.given) ? `${at}/given/${i}` : `${at}/given`, fail))
  for (const g of given as string[]) {
    const alias = /^#([A-Za-z0-9_-]+)/.exec(g)?.[1]
    if (alias && !(alias in c.state.aliases))
      fail(
        `Rule '${id}' uses the alias '#${alias}', which is not defined.`,
        Array.isArray(r.given) ? `${at}/given/${given.indexOf(g)}` : `${at}/given`,
      )
  }
  const thens = Array.isArray(r.then) ? r.then : [r.then]
  const then: ThenClause[] = []
  let unsupported: string | undefined
  thens.forEach((t, i) => {
    const tat = Array.isArray(r.then) ? `${at}/then/${i}` : `${at}/then`
    if (!isPlainObject(t)) fail(`Rule '${id}': \`then\` has a \`function\` to run.`, tat)
    const name = (t as Obj).function
    if (typeof name !== 'string') fail(`Rule '${id}': \`then\` has no \`function\`.`, tat, true)
    if ((t as Obj).field !== undefined && typeof (t as Obj).field !== 'string')
      fail(`Rule '${id}': \`field\` is a property name or a JSONPath.`, `${tat}/field`)
    if (typeof (t as Obj).field === 'string' && ((t as Obj).field as string).startsWith('$')) {
      const problem = checkJsonPath((t as Obj).field as string)
      if (problem) fail(`Rule '${id}': invalid JSONPath in \`field\`: ${problem}.`, `${tat}/field`)
    }
    const fn = BUILTIN_FUNCTIONS[name as string]
    if (!fn) {
      if (c.custom.has(name as string)) {
        unsupported = `uses the custom JavaScript function '${name as string}', which interop does not run`
        return
      }
      fail(
        `Rule '${id}' uses the function '${name as string}', which is neither one of Spectral's core functions (${Object.keys(CORE_FUNCTIONS).join(', ')}) nor declared under \`functions\`.`,
        `${tat}/function`,
      )
    }
    const options = (t as Obj).functionOptions ?? null
    if (fn!.options && !c.checked) {
      const validate = functionSchemaValidator(name as string, fn!.options!)
      if (!validate(options)) {
        const e = validate.errors?.[0]
        fail(
          `Rule '${id}': the options of '${name as string}' are invalid: ${e ? `${e.instancePath || 'functionOptions'} ${e.message}` : 'invalid'}.`,
          `${tat}/functionOptions${e?.instancePath ?? ''}`,
        )
      }
    }
    const problem = c.checked ? undefined : fn!.checkOptions?.(options)
    if (problem) fail(`Rule '${id}': ${problem}.`, `${tat}/functionOptions`)
    then.push({
      function: name as string,
      ...(typeof (t as Obj).field === 'string' ? { field: (t as Obj).field as string } : {}),
      ...(options !== null ? { functionOptions: options } : {}),
    })
  })
  const severityDefault = r.severity === undefined ? 'warn' : severityOf(r.severity, 'warn')
  if (severityDefault === undefined) fail(`Rule '${id}' has an unknown severity.`, `${at}/severity`)
  const formats = formatList(r.formats, `${at}/formats`, fail) ?? c.rulesetFormats
  if (formats) for (const f of formats) c.state.formats.add(f)
  const docs =
    typeof r.documentationUrl === 'string' ? r.documentationUrl : c.docsUrl ? `${c.docsUrl}#${id}` : undefined
  return {
    def: {
      id,
      ...(typeof r.description === 'string' ? { description: r.description } : {}),
      ...(typeof r.message === 'string' ? { message: r.message } : {}),
      given: given as string[],
      then,
      resolved: r.resolved !== false,
      ...(formats ? { formats } : {}),
      ...(docs ? { documentationUrl: docs } : {}),
      positionStyle: 'after-key',
      severityDefault: severityDefault!,
    },
    severity: severityDefault!,
    recommended: r.recommended !== false,
    ...(unsupported ? { unsupported } : {}),
    from: c.from,
    file: c.file,
  }
}

/** Spectral's `overrides`: severities for documents matching glob patterns, relative to the ruleset. */
function applyOverrides(overrides: unknown, rules: Map<string, RawRule>, dir: string, fail: Fail): void {
  if (!Array.isArray(overrides)) fail('`overrides` is a list.', '/overrides')
  ;(overrides as unknown[]).forEach((o, i) => {
    const at = `/overrides/${i}`
    if (!isPlainObject(o) || !Array.isArray(o.files)) fail('An override has `files` (glob patterns).', at)
    const ov = o as { files: unknown[]; rules?: unknown }
    if (ov.rules === undefined) return
    if (!isPlainObject(ov.rules))
      fail('An override’s `rules` is a mapping of rule names to severities.', `${at}/rules`)
    const patterns = ov.files.map((f, j) => {
      if (typeof f !== 'string') fail('A `files` entry is a glob pattern.', `${at}/files/${j}`)
      const [glob, pointer] = (f as string).split('#')
      return { re: globToRegex(path.resolve(dir, glob!)), pointer: pointer ?? '' }
    })
    for (const [id, value] of Object.entries(ov.rules as Obj)) {
      const rule = rules.get(id)
      if (!rule)
        fail(
          `Rule '${id}' is not defined in this ruleset or the ones it extends.`,
          `${at}/rules/${escapeSegment(id)}`,
          true,
        )
      const sev = severityOf(value, rule!.def.severityDefault ?? 'warn')
      if (sev === undefined) fail(`Rule '${id}' has an unknown severity.`, `${at}/rules/${escapeSegment(id)}`)
      const before = rule!.def.severityFor
      rules.set(id, {
        ...rule!,
        def: {
          ...rule!.def,
          severityFor(uri, pointer) {
            const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri
            const match = patterns.some(
              (p) =>
                p.re.test(file) &&
                (p.pointer === '' || pointer === p.pointer || pointer.startsWith(p.pointer + '/')),
            )
            return match ? sev : before?.(uri, pointer)
          },
        },
      })
    }
  })
}

/** A glob (`*`, `**`, `?`) as a regular expression over absolute paths. */
function globToRegex(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*'
      i++
      if (glob[i + 1] === '/') i++
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}
