import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, cliAsync, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

const EXAMPLE = path.join(ROOT, 'examples/rule-module')
const POOR = path.join(ROOT, 'fixtures/services/poor-records/api.yaml')

interface Report {
  findings: { ruleId: string; severity: string; message: string; location: { line?: number } }[]
  rulesets: { rules: { ruleId: string; status: string; reason?: string }[] }[]
}

function run(args: string[]) {
  const r = cli([...args, '--format', 'json', '--fail-on', 'none', '--no-config'])
  return { ...r, report: r.status === 0 ? (JSON.parse(r.stdout) as Report) : undefined }
}

const RULESET = (modules: string[], rules: string) =>
  `id: m\nversion: 1.0.0\ntitle: M\nmodules:\n${modules.map((m) => `  - ${m}`).join('\n')}\nrules:\n${rules}`

describe('rule modules', () => {
  it('the example module adds its rule, with options from the ruleset, beside shipped ones', () => {
    const { report, stderr } = run(['check', POOR, '--ruleset', path.join(EXAMPLE, 'norrvik.yaml')])
    expect(stderr).not.toMatch(/interop:/)
    const summary = report!.findings.filter((f) => f.ruleId === 'operation-summary')
    expect(summary.length).toBeGreaterThan(0)
    expect(summary[0]).toMatchObject({ severity: 'warn' })
    expect(summary.map((f) => f.message)).toContain('POST /GetCases has no summary.')
    expect(report!.findings.some((f) => f.ruleId === 'semver')).toBe(true)
  })

  it('a rule that throws gets an error result; the other rules go on', () => {
    const dir = tempFiles({
      'rules.mjs': `export const rules = [
  { meta: { id: 'boom', title: 'B', failureTitle: 'B', description: '', fix: '', sources: [], requires: ['openapi'], messages: {} },
    check() { throw new Error('kaboom') } },
  { meta: { id: 'fine', title: 'F', failureTitle: 'F', description: '', fix: '', sources: [], requires: ['openapi'], messages: { m: 'found' } },
    check(ctx) { ctx.report({ messageId: 'm', loc: ctx.artifacts.openapi.rootLoc }) } },
]\n`,
      'r.yaml': RULESET(['./rules.mjs'], '  boom: error\n  fine: warn\n  semver: error\n'),
    })
    const { report } = run(['check', POOR, '--ruleset', path.join(dir, 'r.yaml')])
    const rules = new Map(report!.rulesets[0]!.rules.map((r) => [r.ruleId, r]))
    expect(rules.get('boom')).toMatchObject({ status: 'error' })
    expect(rules.get('boom')?.reason).toMatch(/kaboom/)
    expect(rules.get('fine')?.status).toBe('fail')
    expect(rules.get('semver')?.status).toBe('fail')
  })

  it('a TypeScript module is compiled on the fly', () => {
    const dir = tempFiles({
      'rules.ts': `import type { Rule } from 'interop-checker'
interface Options { word: string }
const titled: Rule<Options> = {
  meta: {
    id: 'title-has-word', title: 'T', failureTitle: 'T', description: '', fix: '', sources: [],
    requires: ['openapi'], messages: { missing: 'The title lacks "{{word}}".' },
    options: { type: 'object', properties: { word: { type: 'string', default: 'API' } } },
  },
  check(ctx) {
    const title = (ctx.artifacts.openapi!.root.value as { info?: { title?: string } }).info?.title ?? ''
    if (!title.includes(ctx.options.word))
      ctx.report({ messageId: 'missing', loc: ctx.artifacts.openapi!.rootLoc, data: { word: ctx.options.word } })
  },
}
export const rules: Rule[] = [titled]
`,
      'r.yaml': RULESET(
        ['./rules.ts'],
        "  title-has-word:\n    severity: warn\n    options: { word: 'Kommun' }\n",
      ),
    })
    const { report, stderr } = run(['check', POOR, '--ruleset', path.join(dir, 'r.yaml')])
    expect(stderr).not.toMatch(/interop:/)
    expect(report!.findings.map((f) => `${f.ruleId} ${f.severity} ${f.message}`)).toEqual([
      'title-has-word warn The title lacks "Kommun".',
    ])
  })

  it('bad modules are bad input: exit 2, naming the ruleset file and line', async () => {
    const dir = tempFiles({
      'throws.mjs': `throw new Error('cannot start')\n`,
      'nothing.mjs': `export const x = 1\n`,
      'shipped.mjs': `export default { meta: { id: 'semver' }, check() {} }\n`,
      'a.yaml': RULESET(['./throws.mjs'], '  x: error\n'),
      'b.yaml': RULESET(['./nothing.mjs'], '  x: error\n'),
      'c.yaml': RULESET(['./shipped.mjs'], '  semver: error\n'),
      'd.yaml': RULESET(['interop-rules-that-are-not-installed'], '  x: error\n'),
      'e.yaml': RULESET(['./missing.mjs'], '  x: error\n'),
    })
    const expected: Record<string, RegExp> = {
      'a.yaml': /a\.yaml:5:5: Rule module '\.\/throws\.mjs' failed to load: cannot start/,
      'b.yaml': /b\.yaml:5:5: Rule module '\.\/nothing\.mjs' exports no rules/,
      'c.yaml':
        /c\.yaml:5:5: Rule module '\.\/shipped\.mjs'.*not a rule|c\.yaml:5:5: Rule module '\.\/shipped\.mjs': 'semver' is a shipped rule's id/,
      'd.yaml': /d\.yaml:5:5: Rule package 'interop-rules-that-are-not-installed' is not installed/,
      'e.yaml': /e\.yaml:5:5: Rule module '\.\/missing\.mjs' is not found/,
    }
    const runs = await Promise.all(
      Object.entries(expected).map(async ([file, message]) => ({
        file,
        message,
        r: await cliAsync(['check', POOR, '--ruleset', path.join(dir, file), '--no-config']),
      })),
    )
    for (const { file, message, r } of runs) {
      expect(r.status, file).toBe(2)
      expect(r.stderr, file).toMatch(message)
      expect(r.stderr, file).not.toMatch(/\n\s+at /)
    }
  })
})
