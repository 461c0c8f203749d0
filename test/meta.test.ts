import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { shippedRulesetIds, loadRuleset } from '../src/core/ruleset.js'
import { shippedRules } from '../src/rules/index.js'
import { ROOT } from './helpers/cli.js'

describe('rules meta', async () => {
  const rulesets = await Promise.all(shippedRulesetIds().map((id) => loadRuleset(id)))
  const RULE_DIRS = readdirSync(path.join(ROOT, 'src/rules'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
  const files = RULE_DIRS.flatMap((d) =>
    readdirSync(path.join(ROOT, 'src/rules', d))
      .filter((f) => f.endsWith('.ts') && !f.startsWith('util'))
      .map((f) => ({ dir: d, id: f.slice(0, -3) })),
  )

  it('every rule file is registered, and every registered rule has a file', () => {
    expect(files.map((f) => f.id).sort()).toEqual(Object.keys(shippedRules).sort())
  })

  for (const { dir, id } of files) {
    describe(id, () => {
      it('has meta.id equal to its file name and complete documentation', async () => {
        const rule = (await shippedRules[id]!()).default
        const m = rule.meta
        expect(m.id).toBe(id)
        expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
        for (const field of ['title', 'failureTitle', 'description', 'fix'] as const)
          expect(m[field].length).toBeGreaterThan(10)
        expect(m.title).not.toBe(m.failureTitle)
        expect(m.sources.length).toBeGreaterThan(0)
        for (const s of m.sources) expect(s.url).toMatch(/^https:\/\/\S+$/)
        expect(Object.keys(m.messages).length).toBeGreaterThan(0)
      })

      it('has a test', () => {
        expect(existsSync(path.join(ROOT, 'test/rules', dir, `${id}.test.ts`))).toBe(true)
      })

      it('belongs to a shipped ruleset', () => {
        expect(rulesets.some((rs) => rs.rules.some((r) => r.ruleId === id))).toBe(true)
      })
    })
  }
})
