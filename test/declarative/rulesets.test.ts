import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, cliAsync, ROOT } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/** `interop check` of the openapi.json in a folder with its r.yaml ruleset, as a JSON report. */
const checkWithRuleset = (dir: string) =>
  cliAsync([
    'check',
    path.join(dir, 'openapi.json'),
    '--ruleset',
    path.join(dir, 'r.yaml'),
    '--format',
    'json',
    '--fail-on',
    'none',
    '--no-config',
  ])

interface Report {
  findings: {
    ruleId: string
    severity: string
    message: string
    location: { source: string; pointer: string; line?: number; column?: number }
  }[]
  rulesets: {
    id: string
    rules: { ruleId: string; status: string; reason?: string; title: string; severity: string }[]
  }[]
}

const OPENAPI = `openapi: 3.0.3
info:
  title: Permits
  version: "1.2"
servers:
  - url: http://permits.example.org/v1
paths:
  /permitApplications:
    get:
      operationId: list
      parameters:
        - name: page_size
          in: query
          schema: { type: integer }
      responses:
        "200":
          description: OK
  /permits/{id}:
    get:
      operationId: list
      responses:
        "200":
          description: OK
components:
  schemas:
    permit:
      type: object
      properties:
        status: { type: string, enum: [open, closed, 3] }
`

function check(
  dir: string,
  ruleset: string,
  file = 'openapi.yaml',
): { status: number | null; report?: Report; stderr: string } {
  const r = cli([
    'check',
    path.join(dir, file),
    '--ruleset',
    path.join(dir, ruleset),
    '--format',
    'json',
    '--fail-on',
    'none',
    '--no-config',
  ])
  return {
    status: r.status,
    stderr: r.stderr,
    ...(r.status === 0 ? { report: JSON.parse(r.stdout) as Report } : {}),
  }
}

describe('declarative rules in an interop ruleset', () => {
  const dir = tempFiles({
    'openapi.yaml': OPENAPI,
    'municipality.yaml': `id: my-municipality
version: 1.0.0
title: My municipality
rules:
  semver: error
  paths-kebab:
    title: Paths are kebab-case
    fix: Write each path segment in lower case with hyphens.
    severity: error
    given: $.paths
    then: { field: '@key', function: pattern, functionOptions: { match: '^(/([a-z0-9-]+|\\{[^}]+\\}))+$' } }
    message: '{{property}} is not kebab-case'
  schema-names:
    given: $.components.schemas[*]~
    then: { function: casing, functionOptions: { type: pascal } }
    message: 'Schema {{property}} {{error}}'
  https-servers:
    severity: error
    given: $.servers[*]
    then: { field: url, function: pattern, functionOptions: { notMatch: '^http:' } }
  operation-ids-unique:
    severity: error
    given: $.paths
    then: { function: oasOpIdUnique }
  contact:
    severity: info
    given: $
    then: { field: info.contact, function: truthy }
  server-values:
    severity: info
    given: $.servers[*].url
    then: { function: pattern, functionOptions: { match: '^https:' } }
    message: 'Server {{value}} at {{path}}: #{{print("property")}}is written #{{print("value")}}'
`,
  })

  it('run beside shipped rules, with titles, severities, messages and positions', () => {
    const { report, stderr } = check(dir, 'municipality.yaml')
    expect(stderr).not.toMatch(/interop:/)
    const found = report!.findings.map(
      (f) => `${f.ruleId} ${f.severity} ${f.location.line}:${f.location.column} ${f.message}`,
    )
    expect(found).toEqual(
      expect.arrayContaining([
        'paths-kebab error 9:5 /permitApplications is not kebab-case',
        'schema-names warn 27:7 Schema permit must be pascal case',
        'https-servers error 6:10 "http://permits.example.org/v1" must not match the pattern "^http:"',
        'operation-ids-unique error 20:20 operationId must be unique.',
        'contact info 3:3 "info.contact" property must be truthy',
        'server-values info 6:10 Server http://permits.example.org/v1 at #/servers/0/url: "url" property is written "http://permits.example.org/v1"',
      ]),
    )
    expect(report!.findings.some((f) => f.ruleId === 'semver')).toBe(true)
    const rules = report!.rulesets[0]!.rules
    expect(rules.find((r) => r.ruleId === 'paths-kebab')?.title).toBe('Paths are kebab-case')
  })

  it('refuse a shipped rule id, a bad JSONPath and an unknown function, naming file, line and rule', () => {
    const bad = tempFiles({
      'openapi.yaml': OPENAPI,
      'shipped.yaml': `id: a\nversion: 1.0.0\ntitle: A\nrules:\n  semver:\n    given: $\n    then: { function: truthy }\n`,
      'path.yaml': `id: b\nversion: 1.0.0\ntitle: B\nrules:\n  x:\n    given: $.paths[?(@.get &&]\n    then: { function: truthy }\n`,
      'fn.yaml': `id: c\nversion: 1.0.0\ntitle: C\nrules:\n  x:\n    given: $\n    then: { function: isGood }\n`,
    })
    const shipped = check(bad, 'shipped.yaml')
    expect(shipped.status).toBe(2)
    expect(shipped.stderr).toMatch(/shipped\.yaml:5:3: Rule 'semver' is a shipped rule/)
    const p = check(bad, 'path.yaml')
    expect(p.status).toBe(2)
    expect(p.stderr).toMatch(/path\.yaml:6:12: Invalid JSONPath "\$\.paths\[\?\(@\.get &&\]"/)
    const f = check(bad, 'fn.yaml')
    expect(f.status).toBe(2)
    expect(f.stderr).toMatch(/fn\.yaml:7:23: Rule 'x' uses the function 'isGood'/)
    expect(f.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('Spectral rulesets', () => {
  // The positions are the ones Spectral 6.16 reports for this document and ruleset.
  it('extend spectral:oas (recommended rules at their severities), with Spectral severity names', () => {
    const dir = tempFiles({
      'openapi.yaml': OPENAPI,
      '.spectral.yaml': `extends: spectral:oas
rules:
  info-contact: hint
  operation-description: off
  operation-tags: false
  my-version:
    description: The version is major.minor.patch.
    severity: 0
    given: $.info.version
    then: { function: pattern, functionOptions: { match: '^\\d+\\.\\d+\\.\\d+$' } }
`,
    })
    const { report, stderr } = check(dir, '.spectral.yaml')
    expect(stderr).not.toMatch(/interop:/)
    const rules = new Map(report!.rulesets[0]!.rules.map((r) => [r.ruleId, r]))
    expect(rules.get('info-contact')?.severity).toBe('info')
    expect(rules.has('operation-description')).toBe(false)
    expect(rules.has('operation-tags')).toBe(false)
    // Recommended rules are on; the others (contact-properties, info-license) are not.
    expect(rules.get('operation-operationId-unique')?.severity).toBe('error')
    expect(rules.has('info-license')).toBe(false)
    const found = report!.findings.map(
      (f) => `${f.ruleId} ${f.severity} ${f.location.line}:${f.location.column}`,
    )
    expect(found).toEqual(
      expect.arrayContaining([
        'operation-operationId-unique error 20:20',
        'info-contact info 2:6',
        'my-version error 4:12',
        'typed-enum warn 29:54',
        'path-params error 19:9',
      ]),
    )
  })

  it('report custom JavaScript functions as not run, and run the rest', () => {
    const dir = tempFiles({
      'openapi.yaml': OPENAPI,
      'custom.yaml': `extends: [[spectral:oas, off]]
functions: [myCheck]
rules:
  path-keys-no-trailing-slash: error
  custom-one:
    given: $.paths
    then: { function: myCheck }
`,
    })
    const { report } = check(dir, 'custom.yaml')
    const rules = new Map(report!.rulesets[0]!.rules.map((r) => [r.ruleId, r]))
    expect(rules.get('custom-one')).toMatchObject({ status: 'not-checked' })
    expect(rules.get('custom-one')?.reason).toMatch(/custom JavaScript function 'myCheck'.*does not run/)
    expect(rules.get('path-keys-no-trailing-slash')?.status).toBe('pass')
  })

  it('apply overrides to the files they name', () => {
    const dir = tempFiles({
      'openapi.yaml': OPENAPI,
      'legacy/openapi.yaml': OPENAPI,
      'over.yaml': `rules:
  no-http:
    severity: error
    given: $.servers[*].url
    then: { function: pattern, functionOptions: { notMatch: '^http:' } }
overrides:
  - files: ['legacy/**']
    rules: { no-http: warn }
`,
    })
    expect(check(dir, 'over.yaml').report!.findings[0]?.severity).toBe('error')
    expect(check(dir, 'over.yaml', 'legacy/openapi.yaml').report!.findings[0]?.severity).toBe('warn')
  })

  it('judge alphabetical order by the same collation on every machine, whatever its locale', () => {
    // Under a Swedish locale, localeCompare puts Å, Ä and Ö after Z; the report must not depend on
    // the machine it was made on.
    const dir = tempFiles({
      'openapi.yaml': OPENAPI.replace(
        'paths:\n',
        'tags:\n  - name: Ärenden\n  - name: Avgifter\n  - name: Beslut\nx-order: [Beslut, Avgifter]\npaths:\n',
      ),
      'r.yaml': `rules:
  tags-sorted:
    given: $.tags
    then: { function: alphabetical, functionOptions: { keyedBy: name } }
  order-sorted:
    given: $.x-order
    then: { function: alphabetical }
`,
    })
    const args = ['check', path.join(dir, 'openapi.yaml'), '--ruleset', path.join(dir, 'r.yaml')]
    const findings = (locale: string) => {
      const r = cli([...args, '--format', 'json', '--fail-on', 'none', '--no-config'], {
        env: { LANG: locale, LC_ALL: locale },
      })
      expect(r.status).toBe(0)
      return (JSON.parse(r.stdout) as Report).findings.map((f) => [f.ruleId, f.message])
    }
    const expected = [['order-sorted', '"Beslut" must be placed after "Avgifter"']]
    expect(findings('sv_SE.UTF-8')).toEqual(expected)
    expect(findings('C')).toEqual(expected)
    expect(findings('da_DK.UTF-8')).toEqual(expected)
  })

  it('warn once when the document is in none of the formats the ruleset is for', () => {
    const dir = tempFiles({
      'openapi.yaml': OPENAPI.replace('openapi: 3.0.3\n', ''),
      'r.yaml': `extends: [[spectral:oas, all]]\n`,
    })
    const { report } = check(dir, 'r.yaml')
    expect(report!.findings.map((f) => f.ruleId)).toEqual(['unrecognized-format'])
  })

  it('refuse bad rulesets with the file, line and rule named', async () => {
    const dir = tempFiles({
      'openapi.yaml': OPENAPI,
      'unknown-fn.yaml': `rules:\n  a:\n    given: $\n    then:\n      function: nope\n`,
      'bad-path.yaml': `rules:\n  a:\n    given: "$.paths[?(@property.match(/x/)"\n    then: { function: truthy }\n`,
      'bad-alias.yaml': `rules:\n  a:\n    given: "#Nowhere.x"\n    then: { function: truthy }\n`,
      'bad-extends.yaml': `extends: spectral:asyncapi\n`,
      'bad-options.yaml': `rules:\n  a:\n    given: $\n    then: { function: pattern, functionOptions: { match: '([a-z' } }\n`,
      'bad-rule.yaml': `extends: spectral:oas\nrules:\n  not-there: error\n`,
    })
    const expectations: Record<string, RegExp> = {
      'unknown-fn.yaml':
        /unknown-fn\.yaml:5:17: Rule 'a' uses the function 'nope', which is neither one of Spectral's core functions/,
      'bad-path.yaml': /bad-path\.yaml:3:12: Invalid JSONPath .*`\(` is not closed/,
      'bad-alias.yaml': /bad-alias\.yaml:3:12: Rule 'a' uses the alias '#Nowhere', which is not defined/,
      'bad-extends.yaml': /bad-extends\.yaml:1:10: 'spectral:asyncapi' is not a ruleset interop can run/,
      'bad-options.yaml': /bad-options\.yaml:4:\d+: Rule 'a': the regular expression "\(\[a-z" is invalid/,
      'bad-rule.yaml':
        /bad-rule\.yaml:3:3: Rule 'not-there' is not defined in this ruleset or the ones it extends/,
    }
    const runs = await Promise.all(
      Object.entries(expectations).map(async ([file, message]) => ({
        file,
        message,
        r: await cliAsync([
          'check',
          path.join(dir, 'openapi.yaml'),
          '--ruleset',
          path.join(dir, file),
          '--no-config',
        ]),
      })),
    )
    for (const { file, message, r } of runs) {
      expect(r.status, file).toBe(2)
      expect(r.stderr, file).toMatch(message)
      expect(r.stderr, file).not.toMatch(/\n\s+at /)
    }
  })

  it('can be extended by an interop ruleset, and their rules waived in .interop.yaml', () => {
    const adr = path.join(ROOT, 'fixtures/peers/nl-adr')
    const dir = tempFiles({
      'mine.yaml': `id: mine\nversion: 1.0.0\ntitle: Mine\nextends:\n  - ${JSON.stringify(path.join(adr, 'ruleset.yaml'))}\nrules:\n  nlgov:semver: off\n  info-contact: warn\n`,
      '.interop.yaml': `waivers:\n  - rule: "nlgov:info-contact-fields-exist"\n    justification: The contact URL follows with the next release.\n    approvedBy: Architecture board\n    expires: 2999-01-01\n`,
    })
    const semver = path.join(adr, 'testcases/semver-incorrect/openapi.json')
    const contact = path.join(adr, 'testcases/contact-no-url/openapi.json')
    const a = cli([
      'check',
      semver,
      '--ruleset',
      path.join(dir, 'mine.yaml'),
      '--format',
      'json',
      '--fail-on',
      'none',
      '--no-config',
    ])
    const ra = JSON.parse(a.stdout) as Report
    expect(ra.findings.map((f) => f.ruleId)).not.toContain('nlgov:semver')
    expect(ra.rulesets[0]!.rules.find((r) => r.ruleId === 'info-contact')?.severity).toBe('warn')
    const b = cli(
      [
        'check',
        contact,
        '--ruleset',
        path.join(adr, 'ruleset.yaml'),
        '--format',
        'json',
        '--fail-on',
        'none',
      ],
      { cwd: dir },
    )
    expect(b.stderr).not.toMatch(/interop:/)
    const rb = JSON.parse(b.stdout) as Report & { deviations?: unknown[] }
    expect(rb.findings).toEqual([])
    expect(rb.deviations?.length).toBe(1)
  })

  it('walk each object of a description whose $refs expand to millions of values once; rules that read @path there are not checked', async () => {
    // Each schema refers twice to the next, and the last back to the first: about 10^9 places with
    // the refs resolved, in a small file.
    const schemas: Record<string, unknown> = {
      S25: { type: 'object', properties: { back: { $ref: '#/components/schemas/S0' } } },
    }
    for (let i = 0; i < 25; i++)
      schemas[`S${i}`] = {
        type: 'object',
        properties: {
          a: { $ref: `#/components/schemas/S${i + 1}` },
          b: { $ref: `#/components/schemas/S${i + 1}` },
        },
      }
    const doc = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1.0.0' },
      paths: {
        '/x': {
          get: {
            responses: {
              200: {
                description: 'OK',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } },
              },
            },
          },
        },
      },
      components: { schemas },
    }
    const dir = tempFiles({
      'openapi.json': JSON.stringify(doc),
      'r.yaml': `rules:
  deep:
    given: $..properties[*]
    then: { function: truthy }
  also-deep:
    given: $.paths.[?(@.get)]
    then: { function: truthy }
  typed:
    given: $..[?(@ && @.type)]
    then: { field: type, function: enumeration, functionOptions: { values: [string] } }
  by-path:
    given: $..[?(@path && @.type)]
    then: { function: truthy }
  shallow:
    given: $.info
    then: { field: contact, function: truthy }
`,
    })
    const r = await checkWithRuleset(dir)
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout) as Report
    const rules = new Map(report.rulesets[0]!.rules.map((x) => [x.ruleId, x]))
    expect(rules.get('deep')?.status).toBe('pass')
    expect(rules.get('also-deep')?.status).toBe('pass')
    // Each of the 26 schemas is an object: one finding each, where it is written.
    expect(rules.get('typed')?.status).toBe('fail')
    const typed = report.findings.filter((f) => f.ruleId === 'typed')
    expect(new Set(typed.map((f) => f.location.pointer)).size).toBe(26)
    expect(rules.get('by-path')).toMatchObject({ status: 'not-checked' })
    expect(rules.get('by-path')?.reason).toMatch(/recursive JSONPath \(\.\.\) would walk 1\.1e\+9 values/)
    expect(rules.get('shallow')?.status).toBe('fail')
  })

  it('report a schema failing an anyOf at the matched value itself and deeper, as Spectral does', async () => {
    // Spectral's better-ajv-errors keeps the root's errors beside deeper ones (AWS EC2 has 33 such).
    const dir = tempFiles({
      'openapi.json': JSON.stringify({
        openapi: '3.0.0',
        info: { title: 't', version: '1.0.0' },
        paths: {},
        components: {
          schemas: {
            Result: {
              type: 'object',
              properties: {
                EndDate: { allOf: [{ type: 'string', format: 'date-time' }, { description: 'end' }] },
              },
            },
          },
        },
      }),
      'r.yaml': `rules:
  fmt:
    given: $..properties[?(@property && @property.match(/Date$/))]
    message: Any date field must set 'format'
    then:
      function: schema
      functionOptions:
        schema:
          anyOf:
            - required: [format]
            - properties: { allOf: { type: array, items: { required: [format] } } }
              required: [allOf]
`,
    })
    const r = await checkWithRuleset(dir)
    const findings = (JSON.parse(r.stdout) as Report).findings.map((f) => f.location.pointer)
    expect(findings).toEqual([
      '/components/schemas/Result/properties/EndDate',
      '/components/schemas/Result/properties/EndDate/allOf/1',
    ])
  })
})
