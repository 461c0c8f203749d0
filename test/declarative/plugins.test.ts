import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, cliAsync, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

const PLUGIN = path.join(ROOT, 'examples/plugin-norrvik')

// A description the plugin's rules have something to say about: untagged and over-tagged
// operations, and a schema not in PascalCase.
const OPENAPI = `openapi: 3.0.3
info: { title: Permits, version: 1.0.0 }
paths:
  /permits:
    get:
      responses: { "200": { description: OK } }
    post:
      tags: [a, b, c]
      responses: { "201": { description: Created } }
components:
  schemas:
    permit: { type: object }
`

interface Report {
  findings: { ruleId: string; severity: string; message: string; location: { line?: number } }[]
  rulesets: { id: string; origin: { kind: string; path: string } }[]
}

function check(cwd: string, ruleset: string, env: Record<string, string> = {}) {
  const r = cli(
    ['check', 'openapi.yaml', '--ruleset', ruleset, '--format', 'json', '--fail-on', 'none', '--no-config'],
    {
      cwd,
      env,
    },
  )
  return { ...r, report: r.status === 0 ? (JSON.parse(r.stdout) as Report) : undefined }
}

const norrvik = (report: Report) =>
  report.findings
    .filter((f) => f.ruleId.startsWith('norrvik-'))
    .map((f) => `${f.ruleId} ${f.severity} ${f.location.line} ${f.message}`)

describe('plugin packages', () => {
  it('installed with npm beside the project: its rulesets run by the package name, with its rule module', () => {
    const dir = tempFiles({
      'package.json': '{ "name": "project", "version": "1.0.0", "private": true }\n',
      'openapi.yaml': OPENAPI,
    })
    // A real install (a copy, as from the registry), offline; interop itself is the peer.
    execFileSync(
      'npm',
      ['install', '--offline', '--legacy-peer-deps', '--install-links', '--no-audit', '--no-fund', PLUGIN],
      { cwd: dir, stdio: 'ignore' },
    )
    const { report, stderr } = check(dir, 'interop-plugin-norrvik')
    expect(stderr).not.toMatch(/interop:/)
    expect(report!.rulesets[0]).toMatchObject({
      id: 'norrvik',
      origin: { kind: 'package', path: 'interop-plugin-norrvik@1.0.0/rulesets/norrvik.yaml' },
    })
    expect(norrvik(report!)).toEqual([
      'norrvik-operation-tags warn 6 GET /permits has no tags.',
      'norrvik-operation-tags warn 8 POST /permits has 3 tags; at most 2.',
      'norrvik-schema-names info 12 Schema permit must be pascal case',
    ])
    // Its rules sit beside the ones it extends.
    expect(report!.findings.some((f) => f.ruleId === 'contact-info')).toBe(true)

    const strict = check(dir, 'interop-plugin-norrvik/strict').report!
    expect(new Set(norrvik(strict).map((l) => l.split(' ')[1]))).toEqual(new Set(['error']))

    const list = cli(['rulesets', 'list'], { cwd: dir }).stdout
    expect(list).toMatch(
      /^interop-plugin-norrvik\s+1\.0\.0\s+27 rules\s+Norrvik kommun integration rules {2}\(package interop-plugin-norrvik@1\.0\.0\)$/m,
    )
    expect(list).toMatch(/^interop-plugin-norrvik\/strict\s+1\.0\.0\s+27 rules/m)
  })

  describe('linked as an interop plugin', () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'interop-plugins-'))
    afterAll(() => rmSync(data, { recursive: true, force: true }))
    const env = {
      XDG_DATA_HOME: path.join(data, 'data'),
      XDG_CACHE_HOME: path.join(data, 'cache'),
      XDG_CONFIG_HOME: path.join(data, 'config'),
    }

    it('interop plugins link makes its rulesets available everywhere, also to extend', () => {
      const link = cli(['plugins', 'link', PLUGIN, '--no-install'], { env })
      expect(link.status).toBe(0)
      expect(cli(['plugins'], { env }).stdout).toMatch(/interop-plugin-norrvik 1\.0\.0 \(link\)/)

      const dir = tempFiles({
        'openapi.yaml': OPENAPI,
        'mine.yaml':
          'id: mine\nversion: 1.0.0\ntitle: Mine\nextends: [interop-plugin-norrvik]\nrules:\n  norrvik-schema-names: off\n',
      })
      const direct = check(dir, 'interop-plugin-norrvik/strict', env)
      expect(direct.stderr).not.toMatch(/interop:/)
      expect(norrvik(direct.report!)).toHaveLength(3)
      const extended = check(dir, './mine.yaml', env).report!
      expect(norrvik(extended).map((l) => l.split(' ')[0])).toEqual([
        'norrvik-operation-tags',
        'norrvik-operation-tags',
      ])

      expect(cli(['plugins', 'unlink', 'interop-plugin-norrvik'], { env }).status).toBe(0)
      const gone = check(dir, 'interop-plugin-norrvik', env)
      expect(gone.status).toBe(2)
    })
  })

  it('a package that is missing, has no rulesets, or not the one named is bad input: exit 2', async () => {
    const dir = tempFiles({
      'openapi.yaml': OPENAPI,
      'node_modules/plain-package/package.json': '{ "name": "plain-package", "version": "2.0.0" }\n',
      'extends-missing.yaml':
        'id: x\nversion: 1.0.0\ntitle: X\nextends: [interop-plugin-not-installed]\nrules: {}\n',
    })
    const cases: [string, RegExp][] = [
      [
        'interop-plugin-not-installed',
        /Unknown ruleset 'interop-plugin-not-installed'.*installed ruleset package/,
      ],
      ['plain-package', /The package 'plain-package' has no rulesets/],
      [
        '@acme/rules/strict',
        /Unknown ruleset '@acme\/rules\/strict'.*Install the package \(npm install @acme\/rules/,
      ],
      ['./extends-missing.yaml', /Unknown ruleset 'interop-plugin-not-installed'/],
    ]
    const runs = await Promise.all(
      cases.map(async ([ref, message]) => ({
        ref,
        message,
        r: await cliAsync(['check', 'openapi.yaml', '--ruleset', ref, '--no-config'], { cwd: dir }),
      })),
    )
    for (const { ref, message, r } of runs) {
      expect(r.status, ref).toBe(2)
      expect(r.stderr, ref).toMatch(message)
      expect(r.stderr, ref).not.toMatch(/\n\s+at /)
    }
  })
})
