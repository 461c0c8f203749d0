import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOpenApi } from '../../src/loaders/openapi.js'
import { cli, cliAsync } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * Hostile `$ref`s: cycles, chains and bombs are bounded (a finding, or structural validation said
 * not checked, with why), refs are followed only under the description's folder and to allowed
 * hosts, and a ref that leads nowhere is named with the place it is written.
 */

const STACK = /\n\s+at .*:\d+|internal error|RangeError|TypeError|call stack/

type Doc = Record<string, unknown>
const openapi = (schemas: Doc, version = '3.1.0'): Doc => ({
  openapi: version,
  info: { title: 'Lending', version: '1.0.0' },
  paths: {
    '/loans': {
      get: {
        summary: 'Lists loans',
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } },
          },
        },
      },
    },
  },
  components: { schemas },
})
const swagger = (definitions: Doc): Doc => ({
  swagger: '2.0',
  info: { title: 'Lending', version: '1.0.0' },
  paths: {
    '/loans': {
      get: {
        summary: 'Lists loans',
        responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/S0' } } },
      },
    },
  },
  definitions,
})
const json = (d: Doc) => JSON.stringify(d, null, 1)

/** `n` schemas, each only a `$ref` to the next (`base` is where they are), the last a string. */
function aliasChain(n: number, base: string): Doc {
  const s: Doc = {}
  for (let i = 0; i < n; i++) s[`S${i}`] = i === n - 1 ? { type: 'string' } : { $ref: `${base}S${i + 1}` }
  return s
}
/** `n` object schemas, each with a property that is the next. */
function nestedChain(n: number, base: string): Doc {
  const s: Doc = {}
  for (let i = 0; i < n; i++)
    s[`S${i}`] =
      i === n - 1
        ? { type: 'string' }
        : { type: 'object', properties: { next: { $ref: `${base}S${i + 1}` } } }
  return s
}
/** `n` object schemas, each with two properties that are the next: 2^n places once followed. */
function bomb(n: number, base: string): Doc {
  const s: Doc = {}
  for (let i = 0; i < n; i++)
    s[`S${i}`] =
      i === n - 1
        ? { type: 'string' }
        : { type: 'object', properties: { a: { $ref: `${base}S${i + 1}` }, b: { $ref: `${base}S${i + 1}` } } }
  return s
}

const N = 10_000
const C = '#/components/schemas/'
const D = '#/definitions/'

const root = tempFiles({ 'outside.yaml': 'Secret:\n  description: outside-the-folder-marker\n' })
const dir = path.join(root, 'service')
mkdirSync(dir)
const write = (files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
}
const HEAD = 'openapi: 3.1.0\ninfo: {title: Lending, version: 1.0.0}\npaths: {}\n'
write({
  'self.yaml': `${HEAD}components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/A'\n`,
  'two.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n`,
  'multi/root.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'b.yaml#/B'}\n`,
  'multi/b.yaml': "B: {$ref: 'c.yaml#/C'}\n",
  'multi/c.yaml': "C: {$ref: 'root.yaml#/components/schemas/A'}\n",
  // Recursive schemas (a tree of loans, across files) are no cycle of $refs: they describe values.
  'tree/root.yaml': `${HEAD}components:\n  schemas:\n    Loan: {$ref: 'loan.yaml#/Loan'}\n`,
  'tree/loan.yaml':
    "Loan:\n  type: object\n  properties:\n    parts: {type: array, items: {$ref: '#/Loan'}}\n    book: {$ref: 'book.yaml#/Book'}\n",
  'tree/book.yaml':
    "Book:\n  type: object\n  properties:\n    loans: {type: array, items: {$ref: 'loan.yaml#/Loan'}}\n",
  'alias-chain.json': json(openapi(aliasChain(N, C))),
  'alias-chain-swagger.json': json(swagger(aliasChain(N, D))),
  'nested-chain.json': json(openapi(nestedChain(N, C))),
  'nested-chain-swagger.json': json(swagger(nestedChain(N, D))),
  'chain/root.json': json(openapi({ S0: { $ref: 'schemas.json#/S0' } })),
  'chain/schemas.json': json(nestedChain(N, '#/')),
  'bomb.json': json(openapi(bomb(60, C))),
  'bomb-swagger.json': json(swagger(bomb(60, D))),
  'bomb/root.json': json(openapi({ S0: { $ref: 'schemas.json#/S0' } })),
  'bomb/schemas.json': json(bomb(60, '#/')),
  'passwd.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: '/etc/passwd'}\n    B: {$ref: 'file:///etc/passwd#/x'}\n`,
  'parent.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: '../outside.yaml#/Secret'}\n`,
  'link.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'linked.yaml#/Secret'}\n`,
  'metadata.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'}\n    B: {$ref: 'https://attacker.example/x.yaml#/X'}\n`,
  'anchors.yaml': `${HEAD}components:
  schemas:
    A: {$ref: '#/components/schemas/Nope'}
    B: {$ref: 'other.yaml#/Nope'}
    C: {$ref: '#Nope'}
`,
  'other.yaml': 'Yes: {type: string}\n',
  'missing/root.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'a.yaml#/A'}\n`,
  'missing/a.yaml': "A:\n  type: object\n  properties:\n    b: {$ref: './gone.yaml#/B'}\n",
  'outside/interop.yaml':
    'service: {name: Lending, vendor: Bokslut AB}\napis:\n  - openapi: ../../outside.yaml\n',
  'passwd/interop.yaml':
    'service: {name: Lending, vendor: Bokslut AB}\ndataFormats:\n  schemas:\n    - schema: /etc/passwd\n',
})
symlinkSync(path.join(root, 'outside.yaml'), path.join(dir, 'linked.yaml'))

interface Report {
  findings: {
    ruleId: string
    message: string
    location: { source: string; line?: number; pointer: string }
  }[]
  rulesets: { rules: { ruleId: string; status: string; reason?: string }[] }[]
  inputs: { files: { source: string }[] }[]
}

/** `interop check FILE` run in the description's folder: a report, no stack trace, quickly. */
function check(file: string): Report {
  const started = Date.now()
  const r = cli(['check', file, '--no-config', '--ruleset', 'open-standards', '--format', 'json'], {
    cwd: dir,
  })
  expect(r.stderr).not.toMatch(STACK)
  expect([0, 1]).toContain(r.status)
  expect(Date.now() - started).toBeLessThan(20_000)
  const report = JSON.parse(r.stdout) as Report
  expect(report.rulesets.flatMap((rs) => rs.rules).filter((x) => x.status === 'error')).toEqual([])
  return report
}
const valid = (r: Report) => r.findings.filter((f) => f.ruleId === 'openapi-valid')
const validRule = (r: Report) => r.rulesets[0]!.rules.find((x) => x.ruleId === 'openapi-valid')!

/** `interop check FILE` that must refuse: exit 2, the message, no stack trace, no report written. */
function refuses(file: string, message: RegExp): void {
  const out = path.join(root, 'report.json')
  const r = cli(['check', file, '--no-config', '--format', 'json', '--output', out], { cwd: dir })
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(STACK)
  expect(r.status).toBe(2)
  expect(existsSync(out)).toBe(false)
  expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([])
}

describe('$ref cycles', () => {
  it('a $ref to the object that holds it, or round a cycle of them: one finding, where the cycle starts', () => {
    expect(valid(check('self.yaml')).map((f) => [f.location.line, f.message])).toEqual([
      [
        7,
        "Not valid OpenAPI 3.1.0: $ref '#/components/schemas/A' refers to the object that holds it, so it reaches no value.",
      ],
    ])
    expect(valid(check('two.yaml')).map((f) => [f.location.line, f.message])).toEqual([
      [
        6,
        "Not valid OpenAPI 3.1.0: $ref '#/components/schemas/B' is one of 2 $refs that refer to each other in a cycle, so none reaches a value.",
      ],
    ])
  })

  it('through several files: one finding, and swagger-parser is not sent round it', () => {
    const findings = valid(check('multi/root.yaml'))
    expect(findings.map((f) => [f.location.source, f.location.line, f.message])).toEqual([
      [
        'multi/root.yaml',
        6,
        "Not valid OpenAPI 3.1.0: $ref 'b.yaml#/B' is one of 3 $refs that refer to each other in a cycle, so none reaches a value.",
      ],
    ])
  })

  it('recursive schemas across files are no cycle: valid, and walked once', () => {
    const report = check('tree/root.yaml')
    expect(valid(report)).toEqual([])
    expect(validRule(report).status).toBe('pass')
  })
})

describe('long $ref chains and $ref bombs', () => {
  it(`${N} schemas each only a $ref to the next: one finding where the chain starts`, () => {
    for (const [file, spec] of [
      ['alias-chain.json', 'OpenAPI 3.1.0'],
      ['alias-chain-swagger.json', 'Swagger 2.0'],
    ] as const) {
      const findings = valid(check(file))
      expect(findings.map((f) => [f.location.pointer, f.message])).toEqual([
        [
          expect.stringMatching(
            /^\/paths\/~1loans\/get\/responses\/200\/(content\/application~1json\/)?schema\/\$ref$/,
          ),
          `Not valid ${spec}: $ref '${file.includes('swagger') ? D : C}S0' starts a chain of ${N} $refs, each only to the next, before a value; interop follows at most 64.`,
        ],
      ])
    }
  })

  it(`${N} schemas each a property of the one before: walked without overflowing the stack`, () => {
    // Validated where it is written: valid.
    const single = check('nested-chain.json')
    expect(valid(single)).toEqual([])
    // swagger-parser would recurse through every level: not asked to, and the report says why.
    for (const file of ['nested-chain-swagger.json', 'chain/root.json']) {
      const rule = validRule(check(file))
      expect(rule.status).toBe('not-checked')
      expect(rule.reason).toBe(
        'its $refs, followed, nest values more than 256 levels deep, deeper than swagger-parser can validate',
      )
    }
  })

  it('a $ref bomb (each schema twice the next, 2^60 places) is bounded', async () => {
    // Validated where it is written, each object once.
    expect(validRule(check('bomb.json')).status).toBe('pass')
    for (const file of ['bomb-swagger.json', 'bomb/root.json']) {
      const rule = validRule(check(file))
      expect(rule.status).toBe('not-checked')
      expect(rule.reason).toBe(
        'its $refs, followed, make more than 5,000,000 values, more than swagger-parser validates in reasonable time',
      )
    }
    const started = Date.now()
    const api = await loadOpenApi(path.join(dir, 'bomb-swagger.json'))
    expect(api.structuralSkipped).toMatch(/more than 5,000,000 values/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('$refs only under the folder of the description', () => {
  it('/etc/passwd, ../outside.yaml and a symbolic link out: refused, each at its line, nothing read', () => {
    const passwd = valid(check('passwd.yaml'))
    expect(passwd.map((f) => [f.location.line, f.message])).toEqual([
      [
        6,
        '$ref "/etc/passwd" points outside the folder of the description; only files in that folder or below it are read.',
      ],
      [
        7,
        '$ref "file:///etc/passwd#/x" points outside the folder of the description; only files in that folder or below it are read.',
      ],
    ])
    for (const file of ['parent.yaml', 'link.yaml']) {
      const report = check(file)
      expect(valid(report).map((f) => [f.location.line, f.message])).toEqual([
        [6, expect.stringMatching(/^\$ref ".*" points outside the folder of the description/)],
      ])
      expect(report.inputs[0]!.files).toEqual([])
      expect(JSON.stringify(report)).not.toContain('outside-the-folder-marker')
    }
  })

  it('a manifest naming files outside its folder: refused, naming the line', () => {
    refuses(
      'outside/interop.yaml',
      /^interop: The manifest names a file that cannot be used:\n {2}outside\/interop\.yaml:3:\d+: '\.\.\/\.\.\/outside\.yaml' is outside the manifest's folder/m,
    )
    refuses(
      'passwd/interop.yaml',
      /passwd\/interop\.yaml:4:\d+: '\/etc\/passwd' is outside the manifest's folder/,
    )
  })
})

describe('remote $refs', () => {
  let server: Server
  let port = 0
  const requests: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '')
      if (req.url === '/redirect') {
        // An allowed host that sends the fetch on to the cloud metadata service.
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' })
        res.end()
      } else if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'application/yaml' })
        const chunk = Buffer.alloc(1 << 20, 'a')
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more)
        }
        more()
      } else {
        res.writeHead(200, { 'content-type': 'application/yaml' })
        res.end('Problem: {type: object}\n')
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
    write({
      'local-remote.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'http://127.0.0.1:${port}/problem.yaml#/Problem'}\n`,
      'redirect.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'http://127.0.0.1:${port}/redirect#/Problem'}\n`,
      'endless.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'http://127.0.0.1:${port}/endless#/Problem'}\n`,
    })
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('the cloud metadata address or any other host: refused unless allowed, without a request', async () => {
    const started = Date.now()
    const report = check('metadata.yaml')
    expect(valid(report).map((f) => [f.location.line, f.message])).toEqual([
      [
        6,
        '$ref "http://169.254.169.254/latest/meta-data/iam/security-credentials/" is a remote reference; remote references are only followed for hosts allowed with `--allow-remote-ref HOST`.',
      ],
      [7, expect.stringMatching(/^\$ref "https:\/\/attacker\.example\/x\.yaml#\/X" is a remote reference/)],
    ])
    // No connection was tried: it would have taken seconds to time out.
    expect(Date.now() - started).toBeLessThan(10_000)

    const before = requests.length
    const r = await cliAsync(['check', 'local-remote.yaml', '--no-config', '--format', 'json'], { cwd: dir })
    expect(r.stderr).not.toMatch(STACK)
    expect(requests.length).toBe(before)
    expect(JSON.parse(r.stdout).findings.map((f: { message: string }) => f.message)).toContainEqual(
      expect.stringMatching(/is a remote reference; remote references are only followed for hosts allowed/),
    )
  })

  it('an allowed host that redirects elsewhere: the redirect is not followed', async () => {
    const before = requests.length
    const r = await cliAsync(['check', 'redirect.yaml', '--no-config', '--allow-remote-ref', '127.0.0.1'], {
      cwd: dir,
    })
    expect(r.stderr).toMatch(
      new RegExp(
        `^interop: redirect\\.yaml:6:\\d+: \\$ref 'http://127\\.0\\.0\\.1:${port}/redirect#/Problem' cannot be read: Fetching http://127\\.0\\.0\\.1:${port}/redirect answered HTTP 302\\.$`,
        'm',
      ),
    )
    expect(r.stderr).not.toMatch(STACK)
    expect(r.status).toBe(2)
    expect(requests.slice(before)).toEqual(['/redirect'])
  })

  it('an allowed host that sends without end: cut off at 100 MB', async () => {
    const started = Date.now()
    const r = await cliAsync(['check', 'endless.yaml', '--no-config', '--allow-remote-ref', '127.0.0.1'], {
      cwd: dir,
      env: { NODE_OPTIONS: '--max-old-space-size=192' },
    })
    expect(r.stderr).toMatch(
      /endless\.yaml:6:\d+: .* cannot be read: http:\/\/127\.0\.0\.1:\d+\/endless is larger than 100 MB\.$/m,
    )
    expect(r.stderr).not.toMatch(STACK)
    expect(r.status).toBe(2)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})

describe('$refs that lead nowhere', () => {
  it('a missing anchor or pointer: a finding naming the $ref, at the line it is written', () => {
    const findings = valid(check('anchors.yaml'))
    expect(findings.map((f) => [f.location.source, f.location.line, f.message])).toEqual([
      [
        'anchors.yaml',
        6,
        '$ref "#/components/schemas/Nope" does not resolve: nothing exists at "#/components/schemas/Nope".',
      ],
      ['anchors.yaml', 7, '$ref "other.yaml#/Nope" does not resolve: nothing exists at "#/Nope".'],
      [
        'anchors.yaml',
        8,
        '$ref "#Nope" does not resolve: "#Nope" is neither a JSON Pointer (starting with "#/") nor an $anchor of the target document.',
      ],
    ])
  })

  it('a $ref whose percent-encoding names no file: refused, naming the line of the $ref', () => {
    write({ 'percent.yaml': `${HEAD}components:\n  schemas:\n    A: {$ref: 'schemas/100%.yaml'}\n` })
    refuses(
      'percent.yaml',
      /^interop: percent\.yaml:6:\d+: \$ref 'schemas\/100%\.yaml' cannot be read: .*is not the URL of a file/m,
    )
  })

  it('a missing file, referred to from another file: refused, naming the file and line of the $ref', () => {
    refuses(
      'missing/root.yaml',
      /^interop: missing\/a\.yaml:4:\d+: \$ref '\.\/gone\.yaml#\/B' cannot be read: missing\/gone\.yaml: File not found\.$/m,
    )
  })
})
