import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { preparedRuleset } from '../../src/core/prepared.js'
import { SHIPPED_RULESETS_DIR, loadRuleset, shippedRulesetIds } from '../../src/core/ruleset.js'
import { parseSource } from '../../src/loaders/source.js'
import { tempFiles } from '../helpers/tmp.js'

const dir = tempFiles({
  'mine.yaml': `id: my-municipality
version: 1.2.0
title: Norrvik kommun
extends: [open-standards]
rules:
  semver: off
  problem-details: warn
  problem-schema:
    options:
      required: [type, title, status]
  casing-convention:
    weight: 10
`,
  'bad-severity.yaml': `id: bad
version: 1.0.0
title: Bad
rules:
  semver:
    severity: fatal
`,
  'bad-field.yaml': `id: bad
version: 1.0.0
title: Bad
rulez: {}
rules: {}
`,
  'bad-option.yaml': `id: bad
version: 1.0.0
title: Bad
rules:
  casing-convention:
    severity: warn
    options:
      convention: PascalCase
`,
  'unknown-rule.yaml': `id: bad
version: 1.0.0
title: Bad
rules:
  semver: error
  no-such-rule: warn
`,
  'loop-a.yaml': 'id: a\nversion: 1.0.0\ntitle: A\nextends: [./loop-b.yaml]\nrules: {}\n',
  'loop-b.yaml': 'id: b\nversion: 1.0.0\ntitle: B\nextends: [./loop-a.yaml]\nrules: {}\n',
})

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.catch((x: unknown) => x)
  expect(e).toBeInstanceOf(InputError)
  return e as InputError
}

describe('ruleset loader', () => {
  it('loads the shipped open-standards ruleset with defaults filled in', async () => {
    const rs = await loadRuleset('open-standards')
    expect(rs.origin.kind).toBe('shipped')
    expect(rs.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(rs.rules.length).toBeGreaterThanOrEqual(20)
    const pd = rs.rules.find((r) => r.ruleId === 'problem-details')!
    expect([pd.severity, pd.weight]).toEqual(['error', 3])
  })

  it('extends a ruleset, overriding severity, weight and options, and turning rules off', async () => {
    const rs = await loadRuleset(path.join(dir, 'mine.yaml'))
    expect(rs.id).toBe('my-municipality')
    const ids = rs.rules.map((r) => r.ruleId)
    expect(ids).not.toContain('semver')
    // A changed severity brings its default weight; an explicit weight stays.
    const pd = rs.rules.find((r) => r.ruleId === 'problem-details')!
    expect([pd.severity, pd.weight]).toEqual(['warn', 2])
    expect(rs.rules.find((r) => r.ruleId === 'problem-schema')!.options).toEqual({
      required: ['type', 'title', 'status'],
    })
    const cc = rs.rules.find((r) => r.ruleId === 'casing-convention')!
    expect([cc.severity, cc.weight, cc.options]).toEqual(['warn', 10, { convention: 'camelCase' }])
  })

  it('names file, line and property of an invalid severity', async () => {
    const e = await inputError(loadRuleset(path.join(dir, 'bad-severity.yaml')))
    expect(e.describe()).toMatch(
      /bad-severity\.yaml:6:\d+: Invalid ruleset: 'rules\.semver\.severity' must be one of "error", "warn", "info", "off"/,
    )
  })

  it('names an unknown field', async () => {
    const e = await inputError(loadRuleset(path.join(dir, 'bad-field.yaml')))
    expect(e.line).toBe(4)
    expect(e.message).toMatch(/'rulez' is not a known field/)
  })

  it('names the option path of a bad option value', async () => {
    const e = await inputError(loadRuleset(path.join(dir, 'bad-option.yaml')))
    expect(e.line).toBe(8)
    expect(e.property).toBe('rules.casing-convention.options.convention')
    expect(e.message).toMatch(/Option 'convention' of rule 'casing-convention' must be one of/)
  })

  it('names an unknown rule with its line', async () => {
    const e = await inputError(loadRuleset(path.join(dir, 'unknown-rule.yaml')))
    expect(e.line).toBe(6)
    expect(e.message).toMatch(/Unknown rule 'no-such-rule'/)
  })

  it('answers unknown ids, missing files and extends loops', async () => {
    expect((await inputError(loadRuleset('no-such-ruleset'))).message).toMatch(
      /Unknown ruleset 'no-such-ruleset'. Shipped rulesets: .*open-standards/,
    )
    expect((await inputError(loadRuleset('./nope.yaml', dir))).message).toMatch(/not found/)
    expect((await inputError(loadRuleset(path.join(dir, 'loop-a.yaml')))).message).toMatch(/extends itself/)
  })
})

describe('the shipped rulesets prepared at build', () => {
  it('are what their files say, and are not used for a file that changed since', () => {
    // The shipped rulesets, and spectral:oas, which Spectral rulesets extend.
    for (const id of [...shippedRulesetIds(), 'spectral/oas']) {
      const file = path.join(SHIPPED_RULESETS_DIR, `${id}.yaml`)
      const text = readFileSync(file, 'utf8')
      const sha256 = createHash('sha256').update(text).digest('hex')
      expect(preparedRuleset(file, sha256), id).toEqual(parseSource(text, pathToFileURL(file).href, id).value)
      const edited = createHash('sha256')
        .update(text + '\n')
        .digest('hex')
      expect(preparedRuleset(file, edited), id).toBeUndefined()
    }
    expect(shippedRulesetIds().length).toBeGreaterThanOrEqual(5)
  })

  it('give the same ruleset as its file read anew, hash included', async () => {
    for (const id of ['open-standards', 'cloud-delivery']) {
      const copy = tempFiles({
        [`${id}.yaml`]: readFileSync(path.join(SHIPPED_RULESETS_DIR, `${id}.yaml`), 'utf8'),
      })
      const shipped = await loadRuleset(id)
      const fromFile = await loadRuleset(path.join(copy, `${id}.yaml`))
      expect(shipped.origin).toEqual({ kind: 'shipped', path: `rulesets/${id}.yaml` })
      expect(fromFile.origin.kind).toBe('file')
      const { origin: _a, ...a } = shipped
      const { origin: _b, ...b } = fromFile
      expect(a).toEqual(b)
      expect(a.rules.length).toBeGreaterThan(5)
    }
  })
})
