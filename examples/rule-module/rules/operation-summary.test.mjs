// Run with vitest: the same rule tester interop's own rules use, on the rule's own cases.
import { testRule } from 'interop-checker/testing'
import { operationSummary } from './operation-summary.mjs'

testRule(operationSummary, operationSummary.tests)
