import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

const api = (title: string) => `openapi: 3.1.0
info:
  title: ${title}
  version: 1.0.0
  contact: { name: a, email: a@example.org, url: "https://example.org" }
  license: { name: EUPL-1.2, identifier: EUPL-1.2 }
servers: [{ url: "https://api.example.org/v1" }]
paths: {}
`

const dir = tempFiles({
  'svc/interop.yaml': `service: { name: Permits, vendor: Kommunsystem AB, version: 2.0.0 }
apis:
  - name: permits
    openapi: apis/permits.yaml
  - name: registry
    openapi: apis/registry/openapi.yaml
declarations:
  exitPlan: https://kommunsystem.example/exit
`,
  'svc/apis/permits.yaml': api('Permits'),
  'svc/apis/registry/openapi.yaml': api('Registry').replace('version: 1.0.0', 'version: "1.0"'),
  'remote/interop.yaml': `service: { name: R, vendor: V }
apis:
  - openapi: https://api.vendor.example/openapi.json
`,
  'invalid/interop.yaml': 'service: { name: R }\napis:\n  - openapi: a.yaml\n    colour: blue\n',
  'empty/interop.yaml': 'service: { name: Nothing yet, vendor: V }\napis: []\n',
  'gone/interop.yaml': 'service: { name: R, vendor: V }\napis:\n  - openapi: missing.yaml\n',
})

describe('interop check with a service manifest', () => {
  it('checks every API the manifest names and records each input', () => {
    const r = cli([
      'check',
      path.join(dir, 'svc/interop.yaml'),
      '-r',
      'open-standards',
      '-f',
      'json',
      '--fail-on',
      'none',
    ])
    expect(r.stderr).not.toMatch(/interop:/)
    const report = JSON.parse(r.stdout)
    expect(report.service).toEqual({ name: 'Permits', vendor: 'Kommunsystem AB', version: '2.0.0' })
    expect(report.inputs.map((i: { kind: string; format: string }) => [i.kind, i.format])).toEqual([
      ['manifest', 'interop manifest'],
      ['openapi', 'openapi 3.1.0'],
      ['openapi', 'openapi 3.1.0'],
    ])
    // The second API's version is not SemVer: the rule fails for the service, pointing into that file.
    const semver = report.rulesets[0].rules.find((x: { ruleId: string }) => x.ruleId === 'semver')
    expect(semver.status).toBe('fail')
    const findings = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'semver')
    expect(findings.map((f: { location: { source: string } }) => f.location.source)).toEqual([
      expect.stringMatching(/apis\/registry\/openapi\.yaml$/),
    ])
  })

  it('takes a folder that holds interop.yaml', () => {
    const r = cli(['check', path.join(dir, 'svc'), '-r', 'open-standards', '--fail-on', 'none'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Permits 2\.0\.0 — Kommunsystem AB$/m)
  })

  it('does not fetch an API description from a host that was not allowed', () => {
    const r = cli(['check', path.join(dir, 'remote/interop.yaml')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(
      /interop\.yaml:3:\d+: The OpenAPI description https:\/\/api\.vendor\.example\/openapi\.json is on another host; allow it with --allow-remote-ref api\.vendor\.example/,
    )
  })

  it('answers an invalid manifest with every problem, exit 2', () => {
    const r = cli(['check', path.join(dir, 'invalid/interop.yaml')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(
      /The manifest is not valid against schemas\/manifest\.schema\.json \(2 problems\)/,
    )
    expect(r.stderr).toMatch(/interop\.yaml:1:10: service must have the field 'vendor'/)
    expect(r.stderr).toMatch(/interop\.yaml:4:5: apis\.0\.colour is not a known field/)
  })

  it('says which file a manifest names that does not exist, exit 2', () => {
    const r = cli(['check', path.join(dir, 'gone/interop.yaml')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/interop\.yaml:3:14: 'missing\.yaml' does not exist\./)
  })

  it('answers a folder without a manifest with exit 2', () => {
    const r = cli(['check', path.join(dir, 'svc/apis')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/This folder has no interop\.yaml/)
  })

  it('does not pass a service that nothing could be checked against', () => {
    const r = cli(['check', path.join(dir, 'empty/interop.yaml')])
    expect(r.stdout).toMatch(/coverage 9\/65 rules/)
    expect(r.stdout).toMatch(/FAILED: no rule could be checked/)
    expect(r.status).toBe(1)
  })
})
