import { describe, expect, it } from 'vitest'
import { defineRule } from '../../src/core/define-rule.js'
import { combine, runForService, runRules, type RuleOutcome } from '../../src/core/runner.js'
import { loadOpenApiFrom } from '../../src/loaders/openapi.js'
import { createMemoryReader, toFileUri } from '../../src/loaders/reader.js'

const meta = {
  title: 't',
  failureTitle: 'f',
  description: 'd',
  fix: 'x',
  sources: [{ title: 's', url: 'https://example.org/s' }],
  requires: ['openapi' as const],
  messages: { op: '{{method}} {{path}} seen' },
}

const counting = defineRule({
  meta: { ...meta, id: 'counting' },
  create(ctx) {
    return {
      Operation: (op) =>
        ctx.report({ messageId: 'op', node: op.node, data: { method: op.method, path: op.path } }),
    }
  },
})
const throwing = defineRule({
  meta: { ...meta, id: 'throwing' },
  create() {
    return {
      Operation() {
        throw new Error('boom')
      },
    }
  },
})
const badMessage = defineRule({
  meta: { ...meta, id: 'bad-message' },
  check(ctx) {
    ctx.report({ messageId: 'nope' })
  },
})

async function api() {
  const doc =
    'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get: {responses: {"200": {description: ok}}}\n    post: {responses: {"200": {description: ok}}}\n'
  return loadOpenApiFrom(toFileUri('/mem/openapi.yaml'), createMemoryReader({ 'openapi.yaml': doc }, '/mem/'))
}

const repeating = defineRule({
  meta: { ...meta, id: 'repeating', messages: { op: '{{method}} {{path}} seen', other: 'also {{method}}' } },
  create(ctx) {
    return {
      Operation: (op) => {
        const data = { method: op.method, path: op.path }
        // As a rule does that meets a shared component once per operation that uses it.
        for (let i = 0; i < 3; i++) ctx.report({ messageId: 'op', node: op.node, data })
        ctx.report({ messageId: 'op', node: op.node, data: { ...data, path: '/elsewhere' } })
        ctx.report({ messageId: 'other', node: op.node, data })
        ctx.report({ messageId: 'other', node: op.node, data })
        ctx.report({ messageId: 'other', data })
        ctx.report({ messageId: 'other', data })
      },
    }
  },
})

describe('runner', () => {
  it('reports a place once per message, each message that differs there', async () => {
    const [o] = runRules([{ rule: repeating, rulesetId: 'r', severity: 'warn', options: {} }], {
      openapi: await api(),
    })
    expect(o!.findings.map((f) => [f.message, f.location.pointer])).toEqual([
      ['get /a seen', '/paths/~1a/get'],
      ['get /elsewhere seen', '/paths/~1a/get'],
      ['also get', '/paths/~1a/get'],
      ['also get', ''],
      ['post /a seen', '/paths/~1a/post'],
      ['post /elsewhere seen', '/paths/~1a/post'],
      ['also post', '/paths/~1a/post'],
      ['also post', ''],
    ])
  })

  it('runs visitor rules in one pass and places findings', async () => {
    const [o] = runRules([{ rule: counting, rulesetId: 'r', severity: 'warn', options: {} }], {
      openapi: await api(),
    })
    expect(o!.status).toBe('fail')
    expect(o!.findings.map((f) => [f.message, f.location.line, f.severity, f.rulesetId])).toEqual([
      ['get /a seen', 5, 'warn', 'r'],
      ['post /a seen', 6, 'warn', 'r'],
    ])
    expect(o!.findings[0]!.evidence?.excerpt).toMatch(/5 \|\s+get:/)
  })

  it('gives a throwing rule an error result naming it, and the others go on', async () => {
    const outcomes = runRules(
      [
        { rule: throwing, rulesetId: 'r', severity: 'error', options: {} },
        { rule: badMessage, rulesetId: 'r', severity: 'error', options: {} },
        { rule: counting, rulesetId: 'r', severity: 'error', options: {} },
      ],
      { openapi: await api() },
    )
    expect(outcomes.map((o) => o.status)).toEqual(['error', 'error', 'fail'])
    expect(outcomes[0]!.reason).toMatch(/rule throwing failed: boom/)
    expect(outcomes[1]!.reason).toMatch(/unknown messageId 'nope'/)
    expect(outcomes[2]!.findings).toHaveLength(2)
  })

  it('tells apart two runs of a rule that hands both the same visitor', async () => {
    // A plugin's rule may return one object from every create(): each run still fails alone, and
    // a rule between them goes on.
    let calls = 0
    const visitor = {
      Operation() {
        calls++
        throw new Error('shared boom')
      },
    }
    const shared = defineRule({ meta: { ...meta, id: 'shared' }, create: () => visitor })
    const outcomes = runRules(
      [
        { rule: shared, rulesetId: 'a', severity: 'error', options: {} },
        { rule: counting, rulesetId: 'r', severity: 'error', options: {} },
        { rule: shared, rulesetId: 'b', severity: 'error', options: {} },
      ],
      { openapi: await api() },
    )
    expect(outcomes.map((o) => o.status)).toEqual(['error', 'fail', 'error'])
    expect(outcomes[0]!.reason).toMatch(/rule shared failed: shared boom/)
    expect(outcomes[2]!.reason).toMatch(/rule shared failed: shared boom/)
    // Each run was stopped at its first error, not the other's.
    expect(calls).toBe(2)
    expect(outcomes[1]!.findings).toHaveLength(2)
  })

  it('gives a rule only the artifacts it requires', async () => {
    let seen: string[] = []
    const nothing = defineRule({
      meta: { ...meta, id: 'nothing', requires: [] },
      check(ctx) {
        seen = Object.keys(ctx.artifacts)
      },
    })
    const [o] = runRules([{ rule: nothing, rulesetId: 'r', severity: 'info', options: {} }], {
      openapi: await api(),
    })
    expect(o!.status).toBe('pass')
    expect(seen).toEqual([])
  })

  it('stops a rule that does not finish within the time limit; the others run without it', async () => {
    const looping = defineRule({
      meta: { ...meta, id: 'looping' },
      create() {
        return {
          Operation() {
            for (;;);
          },
        }
      },
    })
    const started = Date.now()
    const outcomes = runRules(
      [
        { rule: counting, rulesetId: 'r', severity: 'error', options: {} },
        { rule: looping, rulesetId: 'r', severity: 'error', options: {} },
        { rule: counting, rulesetId: 'r', severity: 'error', options: {} },
      ],
      { openapi: await api() },
      { timeLimitMs: 300 },
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(outcomes.map((o) => o.status)).toEqual(['fail', 'error', 'fail'])
    expect(outcomes[1]!.reason).toMatch(/rule looping did not finish within 0.3 s and was stopped/)
    // The rules beside it were run again from the start: each operation reported once.
    expect(outcomes[0]!.findings.map((f) => f.message)).toEqual(['get /a seen', 'post /a seen'])
    expect(outcomes[2]!.findings).toHaveLength(2)
  })

  it('marks rules whose inputs are missing as not-checked with the reason', () => {
    const [o] = runRules([{ rule: counting, rulesetId: 'r', severity: 'error', options: {} }], {})
    expect(o).toMatchObject({ status: 'not-checked', findings: [] })
    expect(o!.reason).toMatch(/OpenAPI description/)
  })
})

describe('combining the results of a service with several APIs', () => {
  const outcome = (status: RuleOutcome['status'], findings = 0): RuleOutcome => ({
    status,
    establishedBy: 'static',
    findings: Array.from({ length: findings }, () => ({}) as RuleOutcome['findings'][number]),
  })

  it('fails when one API fails, with all findings', () => {
    const c = combine([outcome('pass'), outcome('fail', 2), outcome('not-applicable')])
    expect([c.status, c.findings.length]).toEqual(['fail', 2])
  })

  it('passes a rule whose requirement one API can meet for the whole service', () => {
    const c = combine([outcome('fail', 1), outcome('pass')], 'any')
    expect([c.status, c.findings.length]).toEqual(['pass', 0])
  })

  it('is not applicable only when it applies to no API', () => {
    expect(combine([outcome('not-applicable'), outcome('not-applicable')]).status).toBe('not-applicable')
    expect(combine([outcome('not-applicable'), outcome('pass')]).status).toBe('pass')
  })
})

describe('runForService', () => {
  it("lets a FHIR server's $export meet bulk-export for a service whose API has none", async () => {
    const { default: bulkExport } = await import('../../src/rules/openapi/bulk-export.js')
    const { server } = await import('../rules/fhir/fixtures-live.js')
    const { FHIR_API, LiveArtifact } = await import('../../src/loaders/live.js')
    const observed = server()
    const fhir = new LiveArtifact(
      observed.exchanges.map((e) => ({ ...e, target: { ...e.target, api: FHIR_API } })),
      [],
      observed.observedAt,
    )
    const run = { rule: bulkExport, rulesetId: 'no-closed-systems', severity: 'error' as const, options: {} }
    const withFhir = runForService([run], { live: fhir }, [await api()])
    expect(withFhir[0]!.status).toBe('pass')
    expect(withFhir[0]!.establishedBy).toBe('live')
    // Without the FHIR server, the API alone has no export.
    const alone = runForService([run], {}, [await api()])
    expect(alone[0]!.status).toBe('fail')
    expect(alone[0]!.findings.map((f) => f.messageId)).toEqual(['missing'])
  })
})
