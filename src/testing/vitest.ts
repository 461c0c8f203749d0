import { describe, expect, it } from 'vitest'
import type { Rule } from '../core/define-rule.js'
import { checkTable, compareFindings, runRuleCase, type RuleTests } from './rule-tester.js'

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
