import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from './helpers/cli.js'

/**
 * The full JSON report of each bundled service is compared with a reviewed copy in test/golden.
 * After an intended change, regenerate with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */
const services = [
  { name: 'good-library', input: 'fixtures/services/good-library/openapi.yaml', exit: 0 },
  { name: 'poor-records', input: 'fixtures/services/poor-records/api.yaml', exit: 1 },
]

describe('golden reports', () => {
  for (const s of services) {
    it(`${s.name} gives the reviewed report`, () => {
      const r = cli(['check', s.input, '--format', 'json'])
      expect(r.status).toBe(s.exit)
      const file = path.join(ROOT, 'test/golden', `${s.name}.json`)
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, r.stdout)
      expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm test`).toBe(true)
      const actual = JSON.parse(r.stdout)
      const expected = JSON.parse(readFileSync(file, 'utf8'))
      // The tool's version changes with every release; everything else must stay as reviewed.
      expected.tool.version = actual.tool.version
      expect(actual).toEqual(expected)
    })
  }
})
