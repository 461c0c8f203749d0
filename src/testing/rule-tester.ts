import { stringify } from 'yaml'
import type { Rule } from '../core/define-rule.js'
import { resolveRuleOptions } from '../core/options.js'
import { runForService, type RuleOutcome } from '../core/runner.js'
import type { LiveArtifact } from '../loaders/live.js'
import { loadManifest } from '../loaders/manifest.js'
import { loadOpenApiFrom } from '../loaders/openapi.js'
import { createMemoryReader, toFileUri } from '../loaders/reader.js'

export interface RuleTestCase {
  /** Named so a failing case says what it was about. */
  name: string
  /** The root OpenAPI document: an object (written as YAML) or the text of the file. */
  document?: object | string
  /** A service manifest (written as interop.yaml beside the document), for rules that read it. */
  manifest?: object | string
  /** Observations of the running service, as the prober records them, for live rules. */
  live?: LiveArtifact
  /** Other files of the description, by path relative to the root, for multi-file cases. */
  files?: Record<string, string | object>
  /** Rule options, validated against the rule's option schema like a ruleset's. */
  options?: Record<string, unknown>
  /** Name of the root file; its extension decides JSON or YAML for text documents. */
  filename?: string
}

export interface ExpectedFinding {
  messageId: string
  /** JSON pointer of the finding, when the case cares where it is. */
  pointer?: string
  /** Source file of the finding (relative), when not the root. */
  source?: string
  line?: number
}

export interface InvalidRuleTestCase extends RuleTestCase {
  errors: ExpectedFinding[]
}

export interface RuleTests {
  /** Cases that must pass (or be not-applicable) without findings. */
  valid: RuleTestCase[]
  /** Cases that must produce exactly the expected findings. */
  invalid: InvalidRuleTestCase[]
  /** Cases where the rule must say it does not apply. */
  notApplicable?: RuleTestCase[]
  /** Cases where the rule cannot establish a result (e.g. a declaration it needs is absent). */
  notChecked?: RuleTestCase[]
}

const ROOT = '/rule-test/'

function text(doc: object | string, filename: string): string {
  if (typeof doc === 'string') return doc
  return filename.endsWith('.json') ? JSON.stringify(doc, null, 2) : stringify(doc)
}

/** Runs one rule on one case, through the real loaders and runner, and returns its outcome. */
export async function runRuleCase(rule: Rule, testCase: RuleTestCase): Promise<RuleOutcome> {
  const filename = testCase.filename ?? 'openapi.yaml'
  const files: Record<string, string> = {}
  if (testCase.document !== undefined) files[filename] = text(testCase.document, filename)
  if (testCase.manifest !== undefined) files['interop.yaml'] = text(testCase.manifest, 'interop.yaml')
  for (const [name, content] of Object.entries(testCase.files ?? {})) files[name] = text(content, name)
  const reader = createMemoryReader(files, ROOT)
  const shared = {
    ...(testCase.manifest !== undefined ? await loadManifest(ROOT + 'interop.yaml', reader) : {}),
    ...(testCase.live ? { live: testCase.live } : {}),
  }
  const apis =
    testCase.document !== undefined ? [await loadOpenApiFrom(toFileUri(ROOT + filename), reader)] : []
  const { options, problems } = resolveRuleOptions(rule, testCase.options)
  if (problems.length)
    throw new Error(
      `invalid options for ${rule.meta.id}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    )
  const [outcome] = runForService([{ rule, rulesetId: 'test', severity: 'error', options }], shared, apis)
  return outcome!
}

/** One case as the rule docs show it: the inputs (a recorded live exchange only as a mark) and what it reports. */
export interface DocCase {
  name: string
  document?: object | string
  filename?: string
  manifest?: object | string
  files?: Record<string, string | object>
  options?: Record<string, unknown>
  live?: true
  errors?: ExpectedFinding[]
}

export interface DocCases {
  valid: DocCase[]
  invalid: DocCase[]
  notApplicable?: DocCase[]
  notChecked?: DocCase[]
}

/** A test table as the rule docs keep it (rule-cases/<id>.json). */
export function casesForDocs(tests: RuleTests): DocCases {
  const strip = (c: RuleTestCase & { errors?: ExpectedFinding[] }): DocCase => ({
    name: c.name,
    ...(c.document !== undefined ? { document: c.document } : {}),
    ...(c.filename ? { filename: c.filename } : {}),
    ...(c.manifest !== undefined ? { manifest: c.manifest } : {}),
    ...(c.files ? { files: c.files } : {}),
    ...(c.options ? { options: c.options } : {}),
    ...(c.live ? { live: true as const } : {}),
    ...(c.errors ? { errors: c.errors } : {}),
  })
  return {
    valid: tests.valid.map(strip),
    invalid: tests.invalid.map(strip),
    ...(tests.notApplicable?.length ? { notApplicable: tests.notApplicable.map(strip) } : {}),
    ...(tests.notChecked?.length ? { notChecked: tests.notChecked.map(strip) } : {}),
  }
}

/** Checks a rule's test table itself: ids known, every message used, every invalid case expecting something. */
export function checkTable(rule: Rule, tests: RuleTests): string[] {
  const problems: string[] = []
  const known = Object.keys(rule.meta.messages)
  const used = new Set<string>()
  for (const c of tests.invalid) {
    if (!c.errors.length) problems.push(`invalid case "${c.name}" expects no findings`)
    for (const e of c.errors) {
      if (!known.includes(e.messageId))
        problems.push(`invalid case "${c.name}" uses unknown messageId "${e.messageId}"`)
      used.add(e.messageId)
    }
  }
  for (const id of known)
    if (!used.has(id)) problems.push(`messageId "${id}" is not covered by any invalid case`)
  if (!tests.valid.length) problems.push('there are no valid cases')
  const names = [
    ...tests.valid,
    ...tests.invalid,
    ...(tests.notApplicable ?? []),
    ...(tests.notChecked ?? []),
  ].map((c) => c.name)
  for (const n of new Set(names))
    if (names.filter((x) => x === n).length > 1) problems.push(`case name "${n}" is used twice`)
  return problems
}

/** Compares an outcome with a case's expectations; returns what differs. */
export function compareFindings(outcome: RuleOutcome, expected: ExpectedFinding[]): string[] {
  const problems: string[] = []
  if (outcome.status === 'error') return [`the rule failed: ${outcome.reason}`]
  const actual = outcome.findings.map((f) => ({
    messageId: f.messageId,
    pointer: f.location.pointer,
    source: f.location.source,
    line: f.location.line,
  }))
  const remaining = [...actual]
  for (const e of expected) {
    const i = remaining.findIndex(
      (a) =>
        a.messageId === e.messageId &&
        (e.pointer === undefined || a.pointer === e.pointer) &&
        (e.source === undefined || a.source.endsWith(e.source)) &&
        (e.line === undefined || a.line === e.line),
    )
    if (i === -1) problems.push(`expected finding ${JSON.stringify(e)} was not reported`)
    else remaining.splice(i, 1)
  }
  for (const r of remaining) problems.push(`unexpected finding ${JSON.stringify(r)}`)
  return problems
}
