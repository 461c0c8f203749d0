import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { loadManifest, looksLikeManifest } from '../../src/loaders/manifest.js'
import { tempFiles } from '../helpers/tmp.js'

const dir = tempFiles({
  'ok/interop.yaml': `service:
  name: Open Loans
  vendor: Bokslut AB
apis:
  - name: loans
    openapi: api/openapi.yaml
    environments:
      production: https://api.bokslut.example/v1
      sandbox: https://sandbox.bokslut.example/v1
dataFormats:
  schemas:
    - schema: data/loan.schema.json
      samples: [data/loan-1.json]
declarations:
  exitPlan: https://bokslut.example/exit
`,
  'ok/api/openapi.yaml': 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n',
  'ok/data/loan.schema.json': '{"type": "object"}',
  'ok/data/loan-1.json': '{"loanId": "1"}',
  'bad/interop.yaml': `service:
  name: ""
apis:
  - openapi: api.yaml
    environments:
      prod: https://api.example.org
      sandbox: ftp://files.example.org
declarations:
  hosting:
    storageCountries: [Sweden]
  dataExport:
    cost: free
  exitplan: https://x.example/exit
`,
  'missing/interop.yaml': `service: { name: S, vendor: V }
apis:
  - openapi: nope/openapi.yaml
dataFormats:
  schemas:
    - schema: data/none.schema.json
      samples: [data/none.json]
    - schema: ../outside.json
`,
  'outside.json': '{}',
})
const f = (p: string) => path.join(dir, p)

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.catch((x: unknown) => x)
  expect(e).toBeInstanceOf(InputError)
  return e as InputError
}

describe('service manifest loader', () => {
  it('loads a manifest: APIs with environments, declarations, schemas with samples', async () => {
    const m = await loadManifest(f('ok/interop.yaml'))
    expect(m.manifest.apis).toMatchObject([
      {
        name: 'loans',
        environments: {
          production: 'https://api.bokslut.example/v1',
          sandbox: 'https://sandbox.bokslut.example/v1',
        },
      },
    ])
    expect(m.manifest.apis[0]!.uri.endsWith('/ok/api/openapi.yaml')).toBe(true)
    expect(m.declarations?.value.exitPlan).toBe('https://bokslut.example/exit')
    expect(m.schemas?.entries.map((e) => [e.name, e.samples.length])).toEqual([['loan.schema.json', 1]])
  })

  it('reports every schema problem at once, each with file, line and property path', async () => {
    const e = await inputError(loadManifest(f('bad/interop.yaml')))
    const lines = e.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
    expect(e.message).toMatch(
      /^The manifest is not valid against schemas\/manifest\.schema\.json \(\d+ problems\):/,
    )
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/interop\.yaml:2:3: service must have the field 'vendor'$/),
        expect.stringMatching(/interop\.yaml:2:9: service\.name must NOT have fewer than 1 characters$/),
        expect.stringMatching(
          /interop\.yaml:6:7: apis\.0\.environments\.prod is not a known key; use one of "production", "test", "sandbox", "staging", "acceptance"$/,
        ),
        expect.stringMatching(/interop\.yaml:7:16: apis\.0\.environments\.sandbox must match /),
        expect.stringMatching(
          /interop\.yaml:10:24: declarations\.hosting\.storageCountries\.0 must match \^\[A-Z\]\{2\}\$$/,
        ),
        expect.stringMatching(
          /interop\.yaml:12:11: declarations\.dataExport\.cost does not match any of the allowed forms$/,
        ),
        expect.stringMatching(/interop\.yaml:13:3: declarations\.exitplan is not a known field$/),
      ]),
    )
    expect(lines.length).toBe(7)
  })

  it('says which named files do not exist or are outside the folder', async () => {
    const e = await inputError(loadManifest(f('missing/interop.yaml')))
    expect(
      e.message
        .split('\n')
        .slice(1)
        .map((l) => l.trim()),
    ).toEqual([
      expect.stringMatching(/interop\.yaml:3:14: 'nope\/openapi\.yaml' does not exist\.$/),
      expect.stringMatching(/interop\.yaml:6:15: 'data\/none\.schema\.json' does not exist\.$/),
      expect.stringMatching(/interop\.yaml:7:17: 'data\/none\.json' does not exist\.$/),
      expect.stringMatching(/interop\.yaml:8:15: '\.\.\/outside\.json' is outside the manifest's folder/),
    ])
  })

  it('tells manifests from OpenAPI descriptions', () => {
    expect(looksLikeManifest('/x/interop.yaml', 'openapi: 3.1.0')).toBe(true)
    expect(looksLikeManifest('/x/service.yaml', 'service:\n  name: x\n')).toBe(true)
    expect(looksLikeManifest('/x/openapi.yaml', 'openapi: 3.1.0\n')).toBe(false)
    expect(looksLikeManifest('/x/api.json', '{\n  "swagger": "2.0"\n}')).toBe(false)
  })
})
