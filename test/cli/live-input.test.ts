import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/** Bad input to the live checks is an answer: exit 2, the file and line, nothing probed or written. */
const manifest = (credentials = '') => `service: { name: Open Loans, vendor: Bokslut AB }
apis:
  - name: loans
    openapi: openapi.yaml
    environments:
      sandbox: https://sandbox.bokslut.example/v1
${credentials}`
const openapi = 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n'

const recording = (baseUrl: string) =>
  JSON.stringify({
    recordingVersion: '1',
    observedAt: '2026-11-24T10:00:00.000Z',
    settings: { allowUnsafe: false, notes: [] },
    targets: [{ api: 'loans', environment: 'sandbox', baseUrl }],
    tls: [],
    exchanges: [
      {
        target: 0,
        purpose: 'unknown-path',
        request: { method: 'GET', url: `${baseUrl}/x`, headers: {}, authenticated: false },
        response: { status: 404, headers: { 'content-type': 'application/problem+json' } },
      },
    ],
  })

describe('interop check --live with bad input', () => {
  it('names the line and property of credentials that do not fit, and never echoes a secret', () => {
    const dir = tempFiles({
      'interop.yaml': manifest(
        '    credentials:\n      sandbox: { type: bearer, token: "tok-a1b2c3d4e5" }\n      production: { type: apiKey, valueEnv: "1BAD" }\n',
      ),
      'openapi.yaml': openapi,
    })
    const r = cli(['check', 'interop.yaml', '--live'], { cwd: dir })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("interop.yaml:8:16: apis.0.credentials.sandbox must have the field 'tokenEnv'")
    expect(r.stderr).toContain('interop.yaml:8:32: apis.0.credentials.sandbox.token is not a known field')
    expect(r.stderr).toContain("apis.0.credentials.production must have the field 'header'")
    expect(r.stderr).toContain('apis.0.credentials.production.valueEnv must match')
    expect(r.stderr + r.stdout).not.toContain('tok-a1b2c3d4e5')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses a folder without a recording, and a recording that is not one', () => {
    const dir = tempFiles({
      'interop.yaml': manifest(),
      'openapi.yaml': openapi,
      'broken/live.json': '{"recordingVersion": "1", "targets": [',
      'wrong/live.json': '{"recordingVersion": "7"}',
    })
    const none = cli(['check', 'interop.yaml', '--from-inputs', 'nowhere'], { cwd: dir })
    expect(none.status).toBe(2)
    expect(none.stderr).toMatch(
      /interop: nowhere\/live\.json: No recording here: give a folder written by --save-inputs\./,
    )
    const broken = cli(['check', 'interop.yaml', '--from-inputs', 'broken'], { cwd: dir })
    expect(broken.status).toBe(2)
    expect(broken.stderr).toMatch(/broken\/live\.json: The recording is not valid JSON/)
    const wrong = cli(['check', 'interop.yaml', '--from-inputs', 'wrong'], { cwd: dir })
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toMatch(
      /wrong\/live\.json: The recording does not match schemas\/recording\.schema\.json/,
    )
    expect(none.stdout + broken.stdout + wrong.stdout).toBe('')
  })

  it('refuses a recording of other base URLs than the manifest names', () => {
    const dir = tempFiles({ 'interop.yaml': manifest(), 'openapi.yaml': openapi })
    mkdirSync(path.join(dir, 'rec'))
    writeFileSync(path.join(dir, 'rec/live.json'), recording('https://elsewhere.example/v1'))
    const r = cli(['check', 'interop.yaml', '--from-inputs', 'rec'], { cwd: dir })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(
      'The recording was made of loans (sandbox) at https://elsewhere.example/v1, which the manifest does not name.',
    )
  })

  it('replays a hand-made recording offline: the live rule is judged, the rest is not checked', () => {
    const dir = tempFiles({ 'interop.yaml': manifest(), 'openapi.yaml': openapi })
    mkdirSync(path.join(dir, 'rec'))
    writeFileSync(path.join(dir, 'rec/live.json'), recording('https://sandbox.bokslut.example/v1'))
    const r = cli(['check', 'interop.yaml', '--from-inputs', 'rec', '-r', 'open-standards', '-f', 'json'], {
      cwd: dir,
    })
    const report = JSON.parse(r.stdout)
    const rule = (id: string) =>
      report.rulesets[0].rules.find((x: { ruleId: string }) => x.ruleId === id) as { status: string }
    expect(rule('problem-details-live').status).toBe('pass')
    expect(rule('response-drift-live').status).toBe('not-checked')
    expect(report.live).toEqual({
      observedAt: '2026-11-24T10:00:00.000Z',
      targets: [{ api: 'loans', environment: 'sandbox', baseUrl: 'https://sandbox.bokslut.example/v1' }],
      requests: 1,
      allowUnsafe: false,
      notes: [],
    })
  })

  it('says when --environment names none the manifest has', () => {
    const dir = tempFiles({ 'interop.yaml': manifest(), 'openapi.yaml': openapi })
    const r = cli(['check', 'interop.yaml', '--live', '--environment', 'production'], { cwd: dir })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--environment production: the manifest names no base URL for it.')
  })
})
