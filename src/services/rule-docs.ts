import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { stringify } from 'yaml'
import type { Rule } from '../core/define-rule.js'
import { PACKAGE_ROOT, type Ruleset } from '../core/ruleset.js'
import { shippedRules } from '../rules/index.js'
import { casesForDocs, type DocCase, type DocCases } from '../testing/rule-tester.js'
import { mkdir, stat } from 'node:fs/promises'
import { InputError } from '../core/errors.js'
import { loadRuleset } from '../core/ruleset.js'
import { ruleDetails, shippedRulesets, type RuleDetails } from './catalog.js'
import { writeOutput } from './output.js'

/** A rule's page file name: its id, with characters a file name should not have replaced. */
export function pageName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '-')}.md`
}

/** The cases a rule's page shows: a shipped rule's from rule-cases/, another's from `rule.tests`. */
export function casesOf(rule: Rule): DocCases | undefined {
  if (shippedRules[rule.meta.id]) {
    const file = path.join(PACKAGE_ROOT, 'rule-cases', `${rule.meta.id}.json`)
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DocCases
  }
  return rule.tests ? casesForDocs(rule.tests) : undefined
}

const MAX_EXAMPLE_LINES = 40
const EXAMPLES_PER_KIND = 3

// Markdown text from rule metadata: `|` would end a table cell, `<` could start HTML.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const text = (s: string) => s.replace(/</g, '&lt;')

function block(value: object | string, filename = 'openapi.yaml'): string {
  const body =
    typeof value === 'string'
      ? value
      : filename.endsWith('.json')
        ? JSON.stringify(value, null, 2)
        : stringify(value)
  let lines = body.trimEnd().split('\n')
  if (lines.length > MAX_EXAMPLE_LINES) lines = [...lines.slice(0, MAX_EXAMPLE_LINES), '# …']
  const fence = lines.some((l) => l.startsWith('```')) ? '~~~~' : '```'
  return `${fence}${filename.endsWith('.json') ? 'json' : 'yaml'}\n${lines.join('\n')}\n${fence}`
}

function example(c: DocCase, outcome: string): string {
  const out = [`#### ${text(c.name)}`, '', outcome, '']
  if (c.options) out.push(`With options \`${JSON.stringify(c.options)}\`.`, '')
  if (c.manifest !== undefined) out.push('`interop.yaml`:', '', block(c.manifest, 'interop.yaml'), '')
  if (c.document !== undefined)
    out.push(`\`${c.filename ?? 'openapi.yaml'}\`:`, '', block(c.document, c.filename), '')
  for (const [name, content] of Object.entries(c.files ?? {}).slice(0, 2))
    out.push(`\`${name}\`:`, '', block(content, name), '')
  if (c.live) out.push('And what was observed on the running service (a recorded exchange).', '')
  return out.join('\n')
}

/** The Markdown page of one rule: what it checks, why, how to fix, options, messages, examples. */
export function rulePage(details: RuleDetails): string {
  const { meta, usedBy, rule } = details
  const sentence = (t: string) => (/[.!?…]$/.test(t) ? t : `${t}.`)
  const out: string[] = [`# ${meta.id}: ${text(meta.title)}`, '']
  if (meta.failureTitle !== meta.title) out.push(`When it fails: ${text(sentence(meta.failureTitle))}`, '')
  if (meta.description && meta.description !== meta.title) out.push(text(meta.description), '')
  if (meta.fix) out.push(`**How to fix:** ${text(meta.fix)}`, '')
  out.push(
    `**Needs:** ${meta.requires.length ? meta.requires.join(', ') : 'nothing'}${meta.optional?.length ? ` (uses ${meta.optional.join(', ')} when given)` : ''}. ` +
      `**Established:** ${meta.establishedBy ?? 'static'}.`,
    '',
  )
  if (usedBy.length) {
    out.push('| ruleset | severity | weight | options |', '|---|---|---|---|')
    for (const u of usedBy)
      out.push(
        `| ${cell(u.rulesetId)} | ${u.severity} | ${u.weight} | ${Object.keys(u.options).length ? `\`${cell(JSON.stringify(u.options))}\`` : ''} |`,
      )
    out.push('')
  }
  const props = (meta.options?.properties ?? {}) as Record<
    string,
    { description?: string; default?: unknown; type?: unknown; enum?: unknown[] }
  >
  if (Object.keys(props).length) {
    out.push('## Options', '', '| option | type | default | description |', '|---|---|---|---|')
    for (const [name, p] of Object.entries(props))
      out.push(
        `| \`${name}\` | ${p.enum ? p.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ') : String(p.type ?? '')} | ${p.default === undefined ? '' : `\`${cell(JSON.stringify(p.default))}\``} | ${cell(text(p.description ?? ''))} |`,
      )
    out.push('')
  }
  if (rule.definition) out.push('## Definition', '', block(rule.definition), '')
  else {
    out.push('## Messages', '', '| id | message |', '|---|---|')
    for (const [id, m] of Object.entries(meta.messages)) out.push(`| \`${id}\` | ${cell(text(m))} |`)
    out.push('')
  }
  const cases = casesOf(rule)
  if (cases) {
    out.push('## Examples', '')
    if (cases.invalid.length) {
      out.push('### Fails', '')
      for (const c of cases.invalid.slice(0, EXAMPLES_PER_KIND)) {
        const reports = (c.errors ?? [])
          .map((e) => `\`${e.messageId}\`${e.pointer !== undefined ? ` at \`${e.pointer || '/'}\`` : ''}`)
          .join(', ')
        out.push(example(c, `Reports ${reports}.`))
      }
    }
    if (cases.valid.length) {
      out.push('### Passes', '')
      for (const c of cases.valid.slice(0, EXAMPLES_PER_KIND)) out.push(example(c, 'No finding.'))
    }
  }
  if (meta.sources.length) {
    out.push('## Sources', '')
    for (const s of meta.sources) out.push(`- [${text(s.title)}](${s.url})`)
    out.push('')
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  )
}

/** The index page: every rule with its title and the rulesets that use it. */
export function indexPage(all: RuleDetails[], rulesets: Ruleset[]): string {
  const out = [
    '# Rules',
    '',
    `Generated by \`interop rules docs\` from each rule's metadata and test cases, for the rulesets ${rulesets.map((r) => `\`${r.id}\``).join(', ')}.`,
    '',
    '| rule | passes when | rulesets |',
    '|---|---|---|',
  ]
  for (const d of all)
    out.push(
      `| [${d.meta.id}](${pageName(d.meta.id)}) | ${cell(text(d.meta.title))} | ${d.usedBy.map((u) => `${u.rulesetId} (${u.severity})`).join(', ')} |`,
    )
  return out.join('\n') + '\n'
}

/**
 * Writes a page per rule and the index into `dir`. Every page is built before the first is
 * written, so a bad ruleset writes nothing; each file is written whole.
 */
export async function writeRuleDocs(
  dir: string,
  rulesetRefs: string[],
  cwd = process.cwd(),
): Promise<number> {
  const rulesets = rulesetRefs.length
    ? await Promise.all(rulesetRefs.map((r) => loadRuleset(r, cwd)))
    : await shippedRulesets()
  const ids = rulesetRefs.length
    ? [...new Set(rulesets.flatMap((rs) => rs.rules.map((e) => e.ruleId)))].sort()
    : Object.keys(shippedRules).sort()
  const all = await Promise.all(ids.map((id) => ruleDetails(id, rulesets)))
  const pages = new Map(all.map((d) => [pageName(d.meta.id), rulePage(d)]))
  pages.set('README.md', indexPage(all, rulesets))
  const info = await stat(dir).catch(() => undefined)
  if (info && !info.isDirectory()) throw new InputError(`Cannot write into ${dir}: it is a file.`)
  await mkdir(dir, { recursive: true })
  for (const [name, content] of pages) await writeOutput(path.join(dir, name), content)
  return pages.size - 1
}
