import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadManifest } from '../src/loaders/manifest.js'
import { cli, ROOT } from './helpers/cli.js'
import { tempFiles } from './helpers/tmp.js'

/** The README's examples are real: its ruleset runs, and the output it quotes is what the tool prints. */
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }))

describe('README', () => {
  it('shows the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toMatch(/^npm test\b/m)
  })

  it('quotes the real output for the well-fitting service', () => {
    const block = blocks.find((b) =>
      b.body.startsWith('$ npx interop check fixtures/services/good-library/interop.yaml'),
    )!
    const r = cli(['check', 'fixtures/services/good-library/interop.yaml'])
    expect(r.stderr + r.stdout).toBe(block.body.split('\n').slice(1).join('\n'))
  })

  it('quotes real lines and the real summary for the closed service', () => {
    const block = blocks.find((b) =>
      b.body.startsWith('$ npx interop check fixtures/services/poor-records/interop.yaml'),
    )!
    const r = cli(['check', 'fixtures/services/poor-records/interop.yaml'])
    const lines = (r.stderr + r.stdout).split('\n')
    for (const line of block.body.split('\n').slice(1))
      if (line && line !== '…') expect(lines).toContain(line)
  })

  it('has a ruleset example that loads, and quotes the error a mistake in it gives', () => {
    const yaml = blocks.find((b) => b.lang === 'yaml' && b.body.includes('id: norrvik'))!.body
    const dir = tempFiles({ 'norrvik.yaml': yaml })
    const ok = cli(['rulesets', 'show', './norrvik.yaml'], { cwd: dir })
    expect(ok.stderr).toBe('')
    expect(ok.status).toBe(0)
    writeFileSync(
      path.join(dir, 'norrvik.yaml'),
      yaml.replace('convention: snake_case', 'convention: snake-case'),
    )
    const bad = cli(['rulesets', 'show', './norrvik.yaml'], { cwd: dir })
    const quoted = blocks.find((b) => b.body.startsWith('$ npx interop rulesets show ./norrvik.yaml'))!
    expect(bad.stderr.trim()).toBe(quoted.body.split('\n')[1])
    expect(bad.status).toBe(2)
  })

  it('quotes the real rulesets list', () => {
    const quoted = blocks.find((b) => b.body.startsWith('$ npx interop rulesets list'))!
    const r = cli(['rulesets', 'list'])
    expect(r.stdout.trimEnd()).toBe(quoted.body.split('\n').slice(1).join('\n').trimEnd())
  })

  it('has a manifest example that is valid', async () => {
    const yaml = blocks.find((b) => b.lang === 'yaml' && b.body.includes('declarations:'))!.body
    const dir = tempFiles({
      'interop.yaml': yaml,
      'openapi.yaml': 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n',
      'data/loan-export.schema.json': '{}',
      'data/samples/loans-2026-03-01.json': '{}',
    })
    const m = await loadManifest(path.join(dir, 'interop.yaml'))
    expect(m.declarations?.value.hosting?.storageCountries).toEqual(['SE', 'FI'])
  })

  it('quotes the real answer to a broken manifest', () => {
    const quoted = blocks.find((b) => b.body.startsWith('$ npx interop check broken-manifest/interop.yaml'))!
    const manifest = [
      'service: { name: Permits }',
      'apis:',
      '  - openapi: openapi.yaml',
      '    environments:',
      '      prod: https://api.example.org/v1',
      'declarations:',
      '  hosting:',
      '    storageCountries: [Sweden]',
      '',
    ].join('\n')
    const dir = tempFiles({
      'broken-manifest/interop.yaml': manifest,
      'broken-manifest/openapi.yaml': 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n',
    })
    const r = cli(['check', 'broken-manifest/interop.yaml'], { cwd: dir })
    expect(r.status).toBe(2)
    expect(r.stderr.trimEnd()).toBe(quoted.body.split('\n').slice(1).join('\n').trimEnd())
  })
})
