import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { printDotPath } from '../../src/declarative/rule.js'
import { parsePointer } from '../../src/loaders/source.js'
import { runCheck } from '../../src/services/check.js'
import { cliAsync, ROOT } from '../helpers/cli.js'
import { readExpected } from './nl-adr-expected.js'

/**
 * Acceptance test: the Dutch government's API Design Rules linter is a Spectral ruleset with its
 * own test cases (copied unchanged into fixtures/peers/nl-adr, see SOURCE.md). interop runs that
 * ruleset file itself, and on every case must report the findings Spectral reports: the same rule,
 * line, column and path. Nothing here or in the product knows these files.
 */
const PEER = path.join(ROOT, 'fixtures/peers/nl-adr')
const cases = readdirSync(path.join(PEER, 'testcases'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

interface Finding {
  ruleId: string
  location: { pointer: string; line?: number; column?: number }
}

const key = (f: Finding) =>
  `${f.location.line}:${f.location.column} ${f.ruleId} ${printDotPath(parsePointer(f.location.pointer))}`

describe('NL API Design Rules linter, run as a Spectral ruleset', () => {
  it('has its 26 cases', () => expect(cases).toHaveLength(26))

  for (const name of cases) {
    it.concurrent(name, async () => {
      const expected = readExpected(path.join(PEER, 'testcases', name, 'expected-output.txt'))
      // In-process, so that the 26 cases take seconds; the CLI runs the same below.
      const report = await runCheck({
        input: path.join(PEER, 'testcases', name, 'openapi.json'),
        rulesets: [path.join(PEER, 'ruleset.yaml')],
        config: false,
        failOn: 'none',
      })
      const theirs = expected.map((e) => `${e.line}:${e.column} ${e.rule} ${e.path}`)
      expect([...new Set(report.findings.map(key))].sort()).toEqual([...new Set(theirs)].sort())
      // Every rule ran: none ended in an error.
      const errored = report.rulesets.flatMap((rs) => rs.rules).filter((x) => x.status === 'error')
      expect(errored).toEqual([])
    })
  }

  it('the CLI gives the same on the largest case', async () => {
    const expected = readExpected(path.join(PEER, 'testcases/cor-api/expected-output.txt'))
    const r = await cliAsync([
      'check',
      path.join(PEER, 'testcases/cor-api/openapi.json'),
      '--ruleset',
      path.join(PEER, 'ruleset.yaml'),
      '--format',
      'json',
      '--fail-on',
      'none',
      '--no-config',
    ])
    expect(r.stderr).not.toMatch(/interop:/)
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout) as { findings: Finding[] }
    expect([...new Set(report.findings.map(key))].sort()).toEqual(
      [...new Set(expected.map((e) => `${e.line}:${e.column} ${e.rule} ${e.path}`))].sort(),
    )
  })
})
