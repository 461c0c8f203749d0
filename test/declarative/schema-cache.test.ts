import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

// The validators ajv compiles for the schemas of a ruleset's `schema` rules are kept in the user's
// cache folder, as ajv's standalone modules, and taken from there by later checks.

const OPENAPI = `openapi: 3.0.3
info: {title: Permits, version: "1.0", contact: {name: Permits desk}}
paths:
  /permits:
    get:
      responses:
        "200": {description: OK}
        "404": {description: Not found}
`
const RULESET = `rules:
  contact-complete:
    given: $.info.contact
    then:
      function: schema
      functionOptions:
        schema: {type: object, required: [name, email, url]}
  problem-responses:
    given: $.paths[*][*].responses
    then:
      function: schema
      functionOptions:
        schema: {type: object, required: ["400"], properties: {"404": {required: [content]}}}
`

describe("the validators of a ruleset's schema rules", () => {
  it('are compiled once, kept, and taken by later checks, with the same findings', () => {
    const dir = tempFiles({ 'openapi.yaml': OPENAPI, 'r.yaml': RULESET })
    const cacheHome = path.join(dir, 'cache')
    const run = () => {
      const r = cli(
        [
          'check',
          'openapi.yaml',
          '--ruleset',
          'r.yaml',
          '--format',
          'json',
          '--fail-on',
          'none',
          '--no-config',
        ],
        { cwd: dir, env: { XDG_CACHE_HOME: cacheHome } },
      )
      expect(r.stderr).not.toMatch(/error/i)
      return (JSON.parse(r.stdout) as { findings: { ruleId: string; message: string }[] }).findings.map(
        (f) => `${f.ruleId}: ${f.message}`,
      )
    }
    const kept = () =>
      readdirSync(path.join(cacheHome, 'interop'))
        .filter((f) => /^schema-[0-9a-f]{32}\.cjs$/.test(f))
        .map((f) => path.join(cacheHome, 'interop', f))

    const first = run()
    expect(first).toEqual([
      'contact-complete: "contact" property must have required property "email"',
      'problem-responses: "responses" property must have required property "400"',
    ])
    expect(kept()).toHaveLength(2)
    for (const f of kept())
      expect(readFileSync(f, 'utf8')).toMatch(/^"use strict";module\.exports = validate/)

    // Taken as they are.
    const written = kept().map((f) => statSync(f).mtimeMs)
    expect(run()).toEqual(first)
    expect(kept().map((f) => statSync(f).mtimeMs)).toEqual(written)

    // A module that does not load, or is not a validator, is compiled again, and written anew.
    const [broken, other] = kept()
    writeFileSync(broken!, 'this is not JavaScript (')
    writeFileSync(other!, 'module.exports = 42')
    expect(run()).toEqual(first)
    for (const f of kept())
      expect(readFileSync(f, 'utf8')).toMatch(/^"use strict";module\.exports = validate/)
  })
})
