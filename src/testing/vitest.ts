import { describe, expect, it } from 'vitest'
import type { Rule } from '../core/define-rule.js'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../core/ruleset.js'
import { shippedRules } from '../rules/index.js'
import { casesForDocs, checkTable, compareFindings, runRuleCase, type RuleTests } from './rule-tester.js'

/**
 * Declares a vitest suite for a rule from its table of named cases: valid cases pass without
 * findings, invalid cases produce exactly the expected findings, and the table itself uses every
 * message of the rule and no unknown one.
 */
export function testRule(rule: Rule, tests: RuleTests): void {
  describe(`rule ${rule.meta.id}`, () => {
    it('has a complete test table', () => {
      expect(checkTable(rule, tests)).toEqual([])
    })
    if (shippedRules[rule.meta.id])
      it('keeps its cases in rule-cases/ for the rule docs', async () => {
        if ((await shippedRules[rule.meta.id]!()).default !== rule) return
        const file = path.join(PACKAGE_ROOT, 'rule-cases', `${rule.meta.id}.json`)
        const text = JSON.stringify(casesForDocs(tests), null, 2) + '\n'
        if (process.env.UPDATE_GOLDEN) {
          mkdirSync(path.dirname(file), { recursive: true })
          writeFileSync(file, text)
        }
        // Rewrite with UPDATE_GOLDEN=1 after changing the cases.
        expect(existsSync(file) ? readFileSync(file, 'utf8') : '(missing)').toBe(text)
      })
    for (const c of tests.valid) {
      it(`valid: ${c.name}`, async () => {
        const outcome = await runRuleCase(rule, c)
        expect(compareFindings(outcome, [])).toEqual([])
        expect(['pass', 'not-applicable']).toContain(outcome.status)
      })
    }
    for (const c of tests.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const outcome = await runRuleCase(rule, c)
        expect(compareFindings(outcome, c.errors)).toEqual([])
        expect(outcome.status).toBe('fail')
      })
    }
    for (const c of tests.notChecked ?? []) {
      it(`not checked: ${c.name}`, async () => {
        const outcome = await runRuleCase(rule, c)
        expect(outcome.status).toBe('not-checked')
        expect(outcome.findings).toEqual([])
      })
    }
    for (const c of tests.notApplicable ?? []) {
      it(`not applicable: ${c.name}`, async () => {
        const outcome = await runRuleCase(rule, c)
        expect(outcome.status).toBe('not-applicable')
        expect(outcome.findings).toEqual([])
      })
    }
  })
}
