import { createHash } from 'node:crypto'
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

// A report names each input with its SHA-256, for whoever receives it to check that it was made from
// the files they have: the digest is the file's, as sha256sum prints it, also for a file an editor
// saved with a UTF-8 byte order mark (which the reader drops before parsing).

interface Report {
  inputs: { source: string; sha256: string; files: { source: string; sha256: string }[] }[]
  findings: { ruleId: string; message: string; location: unknown }[]
}

const sha256sum = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

describe('the digests in a report', () => {
  it('are those of the files, byte order marks included, and a mark changes nothing else', () => {
    const service = path.join(ROOT, 'fixtures/services/good-library')
    const dir = tempFiles({})
    cpSync(service, dir, { recursive: true })
    const marked = filesUnder(dir).filter((f) => /\.(ya?ml|json)$/.test(f))
    expect(marked.length).toBeGreaterThan(2)
    for (const f of marked)
      writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(f)]))

    const run = (folder: string) => {
      const r = cli(['check', path.join(folder, 'interop.yaml'), '--format', 'json', '--fail-on', 'none'], {
        cwd: folder,
      })
      expect(r.stderr).not.toMatch(/error/i)
      return JSON.parse(r.stdout) as Report
    }
    const report = run(dir)
    const digests = report.inputs.flatMap((i) => [i, ...i.files])
    expect(digests.length).toBeGreaterThan(2)
    for (const d of digests)
      expect([d.source, d.sha256]).toEqual([d.source, sha256sum(path.join(dir, d.source))])
    // The same findings, at the same places, as without the marks.
    expect(report.findings).toEqual(run(service).findings)
  })

  it("identify a ruleset by its file's digest, and one that extends others by its text and theirs", () => {
    const dir = tempFiles({
      'base.yaml': 'rules:\n  contact:\n    given: $.info\n    then: { field: contact, function: truthy }\n',
      'spectral.yaml':
        'extends: [./base.yaml]\nrules:\n  title:\n    given: $.info\n    then: { field: title, function: truthy }\n',
      'interop.yaml': 'id: mine\nversion: 1.0.0\ntitle: Mine\nextends: [open-standards]\nrules: {}\n',
    })
    const digestOf = (ruleset: string) => {
      const service = path.join(ROOT, 'fixtures/services/good-library/openapi.yaml')
      const options = '--format json --fail-on none --no-config'.split(' ')
      const r = cli(['check', service, '--ruleset', path.join(dir, ruleset), ...options])
      expect(r.stderr).not.toMatch(/error/i)
      return (JSON.parse(r.stdout) as { rulesets: { sha256: string }[] }).rulesets[0]!.sha256
    }
    const text = (f: string) => readFileSync(path.join(dir, f))
    const sha = (...parts: (Buffer | string)[]) => {
      const h = createHash('sha256')
      for (const p of parts) h.update(p)
      return h.digest('hex')
    }
    // A file that extends nothing: what sha256sum prints for it.
    expect(digestOf('base.yaml')).toBe(sha256sum(path.join(dir, 'base.yaml')))
    // A Spectral ruleset: its text, then the texts of what it extends.
    expect(digestOf('spectral.yaml')).toBe(sha(text('spectral.yaml'), text('base.yaml')))
    // An interop ruleset: its text, then the digest (hex) of each ruleset it extends.
    expect(digestOf('interop.yaml')).toBe(
      sha(text('interop.yaml'), sha256sum(path.join(ROOT, 'rulesets/open-standards.yaml'))),
    )
  })
})
