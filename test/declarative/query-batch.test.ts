import { describe, expect, it } from 'vitest'
import { defineRule, roundOf, type Rule } from '../../src/core/define-rule.js'
import { runRules } from '../../src/core/runner.js'
import { keptExpressions } from '../../src/declarative/jsonpath.js'
import { declarativeRule, QueryBatch, resolvedDocument } from '../../src/declarative/rule.js'
import { BUILTIN_FUNCTIONS } from '../../src/declarative/spectral.js'
import { loadOpenApiFrom } from '../../src/loaders/openapi.js'
import { createMemoryReader, toFileUri } from '../../src/loaders/reader.js'

// The rules of a Spectral ruleset evaluate their paths in one walk of a description: only the paths
// of the rules that run. NL ADR extends spectral:oas with all its rules off and turns eight back on;
// walking the recursive paths of the others too took some 10% of a check.

const DOC = `openapi: 3.0.3
info: {title: Permits, version: "1.0", description: Permits of a municipality}
paths:
  /permits:
    get:
      summary: List permits
      description: All of them
      responses: {"200": {description: OK}}
`

async function api() {
  return loadOpenApiFrom(toFileUri('/mem/openapi.yaml'), createMemoryReader({ 'openapi.yaml': DOC }, '/mem/'))
}

const rule = (id: string, given: string, batch: QueryBatch) =>
  declarativeRule(
    { id, given: [given], then: [{ function: 'truthy' }], resolved: true, aliases: {}, batch },
    BUILTIN_FUNCTIONS,
  )

const run = (rules: Rule[], openapi: Awaited<ReturnType<typeof api>>) =>
  runRules(
    rules.map((r) => ({ rule: r, rulesetId: 'r', severity: 'warn' as const, options: {} })),
    { openapi },
  )

describe('the rules of a ruleset, walked together', () => {
  it('walk the paths of the rules that run, not of those turned off', async () => {
    const batch = new QueryBatch()
    const descriptions = rule('descriptions', '$..description', batch)
    const summaries = rule('summaries', '$..summary', batch)
    rule('titles', '$..title', batch)
    const openapi = await api()
    const outcomes = run([descriptions, summaries], openapi)
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass'])
    expect(keptExpressions(resolvedDocument(openapi) as object).sort()).toEqual([
      '$..description',
      '$..summary',
    ])
  })

  it('tell each rule which rules run with it over the same artifacts', async () => {
    const seen = new Map<string, string[]>()
    const noting = (id: string, requires: ('openapi' | 'manifest')[]) =>
      defineRule({
        meta: {
          id,
          title: id,
          failureTitle: id,
          description: '',
          fix: '',
          sources: [],
          requires,
          messages: {},
        },
        check(ctx) {
          seen.set(
            id,
            [...(roundOf(ctx) ?? [])].map((r) => r.meta.id),
          )
        },
      })
    const openapi = await api()
    run([noting('a', ['openapi']), noting('b', ['openapi', 'manifest']), noting('c', ['openapi'])], openapi)
    // b needs a manifest, which was not given: it does not run.
    expect(Object.fromEntries(seen)).toEqual({ a: ['a', 'c'], c: ['a', 'c'] })
  })
})
