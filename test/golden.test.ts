import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from './helpers/cli.js'

/**
 * The full JSON report of each bundled service is compared with a reviewed copy in test/golden.
 * After an intended change, regenerate with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */
const services = [
  { name: 'good-library', input: 'fixtures/services/good-library/interop.yaml', exit: 0 },
  { name: 'mixed-permits', input: 'fixtures/services/mixed-permits/interop.yaml', exit: 1 },
  { name: 'poor-records', input: 'fixtures/services/poor-records/interop.yaml', exit: 1 },
  // A plain OpenAPI description is a service of one API with nothing declared.
  { name: 'good-library-openapi-only', input: 'fixtures/services/good-library/openapi.yaml', exit: 0 },
]

const ajv = new Ajv2020({ allErrors: true, strict: true })
;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
const validateReport = ajv.compile(
  JSON.parse(readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8')),
)

describe('golden reports', () => {
  for (const s of services) {
    it(`${s.name} gives the reviewed report`, () => {
      const r = cli(['check', s.input, '--format', 'json'])
      expect(r.status).toBe(s.exit)
      const file = path.join(ROOT, 'test/golden', `${s.name}.json`)
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, r.stdout)
      expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npm test`).toBe(true)
      const actual = JSON.parse(r.stdout)
      expect(validateReport(actual), JSON.stringify(validateReport.errors)).toBe(true)
      const expected = JSON.parse(readFileSync(file, 'utf8'))
      // The tool's version changes with every release; everything else must stay as reviewed.
      expected.tool.version = actual.tool.version
      expect(actual).toEqual(expected)
    })
  }
})
