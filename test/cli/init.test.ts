import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadManifest } from '../../src/loaders/manifest.js'
import { cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

describe('interop init', () => {
  it('writes a valid, commented starter manifest naming the OpenAPI descriptions it finds', async () => {
    const dir = tempFiles({
      'api/openapi.yaml': 'openapi: 3.1.0\ninfo:\n  title: Permit API\n  version: 1.0.0\npaths: {}\n',
      'api/paths/permits.yaml': 'get:\n  responses: {}\n',
      'legacy/swagger.json':
        '{\n  "swagger": "2.0",\n  "info": {\n    "title": "Old API",\n    "version": "1"\n  },\n  "paths": {}\n}',
      'node_modules/dep/openapi.yaml':
        'openapi: 3.0.0\ninfo:\n  title: Not yours\n  version: 1.0.0\npaths: {}\n',
    })
    const r = cli(['init', dir])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/Wrote .*interop\.yaml/)
    expect(r.stdout).toContain('API: api/openapi.yaml (Permit API)')
    expect(r.stdout).toContain('API: legacy/swagger.json (Old API)')
    expect(r.stdout).not.toContain('node_modules')
    const text = readFileSync(path.join(dir, 'interop.yaml'), 'utf8')
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*schemas\/manifest\.schema\.json$/m)
    expect(text).toMatch(/^# declarations:$/m)
    const m = await loadManifest(path.join(dir, 'interop.yaml'))
    expect(m.manifest.value.service.name).toBe('Permit API')
    expect(m.manifest.apis.map((a) => a.name)).toEqual(['Permit API', 'Old API'])

    const again = cli(['init', dir])
    expect(again.status).toBe(2)
    expect(again.stderr).toMatch(/interop\.yaml already exists; use --force/)
    expect(cli(['init', dir, '--force']).status).toBe(0)
  })

  it('writes a valid manifest for a folder without OpenAPI descriptions', async () => {
    const dir = tempFiles({ 'README.md': '# nothing here\n' })
    const r = cli(['init', dir])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('No OpenAPI description found')
    const m = await loadManifest(path.join(dir, 'interop.yaml'))
    expect(m.manifest.apis).toEqual([])
  })
})
