import { closeSync, existsSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyOverrides, loadConfig } from '../../src/config/config.js'
import { InputError } from '../../src/core/errors.js'
import { loadRuleset } from '../../src/core/ruleset.js'
import { loadManifest } from '../../src/loaders/manifest.js'
import { loadOpenApi } from '../../src/loaders/openapi.js'
import { MAX_DEPTH, MAX_YAML_CHARS, parseSource } from '../../src/loaders/source.js'
import { MAX_DOCUMENT_BYTES } from '../../src/loaders/reader.js'
import { cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * Broken and hostile documents: each is refused with a message naming the file (and line), exit 2,
 * no stack trace and no report written; or read as the data it is. Nothing crashes, hangs, runs
 * code from a document or changes how objects behave.
 */

const HEAD = 'openapi: 3.1.0\ninfo: {title: Lending, version: 1.0.0}\npaths: {}\n'
const HEAD_JSON = '{"openapi": "3.1.0", "info": {"title": "Lending", "version": "1.0.0"}, "paths": {}'

/** YAML `billion laughs`: each anchor a list of ten aliases of the one before. */
function laughs(levels: number): string {
  const lines = ['  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  for (let i = 1; i < levels; i++)
    lines.push(
      `  l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    )
  return HEAD + 'x-laughs:\n' + lines.join('\n') + '\n'
}

/** The same through merge keys: each mapping merges the one before under ten keys. */
function mergeLaughs(levels: number): string {
  const lines = ['  m0: &m0 {a: lol, b: lol, c: lol}']
  for (let i = 1; i < levels; i++)
    lines.push(
      `  m${i}: &m${i} {${Array.from({ length: 10 }, (_, k) => `k${k}: {<<: *m${i - 1}}`).join(', ')}}`,
    )
  return HEAD + 'x-laughs:\n' + lines.join('\n') + '\n'
}

const N = 10_000

const dir = tempFiles({
  'trunc.json': HEAD_JSON.slice(0, HEAD_JSON.indexOf('Lending') + 4),
  'trunc.yaml': 'openapi: 3.1.0\ninfo:\n  title: "Lend\n  version: 1.0',
  'bom.json': '\ufeff' + HEAD_JSON + '}',
  'nobom.json': HEAD_JSON + '}',
  'bom.yaml': '\ufeff' + HEAD,
  'nobom.yaml': HEAD,
  'dup.json':
    '{\n  "openapi": "3.1.0",\n  "info": {"title": "t", "version": "1.0.0"},\n  "openapi": "3.0.3",\n  "paths": {}\n}\n',
  'dup.yaml': 'openapi: 3.1.0\ninfo:\n  title: Lending\n  title: Loans\n  version: 1.0.0\npaths: {}\n',
  'dup-deep.json': `${HEAD_JSON}, "components": {"schemas": {"A": {"type": "object",\n "properties": {"id": {"type": "string"},\n "id": {"type": "integer"}}}}}}`,
  'tabs.yaml': 'openapi: 3.1.0\ninfo:\n\ttitle: Lending\n\tversion: 1.0.0\npaths: {}\n',
  'laughs.yaml': laughs(12),
  'merge-laughs.yaml': mergeLaughs(10),
  'deep.json': `${HEAD_JSON}, "x-deep": ${'['.repeat(N)}${']'.repeat(N)}}`,
  'deep-objects.json': `${HEAD_JSON}, "x-deep": ${'{"a": '.repeat(N)}1${'}'.repeat(N)}}`,
  'deep-truncated.json': `${HEAD_JSON}, "x-deep": ${'['.repeat(N)}`,
  'deep-flow.yaml': `${HEAD}x-deep: ${'['.repeat(N)}${']'.repeat(N)}\n`,
  'deep-block.yaml':
    HEAD + 'x-deep:\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i + 1) + 'a:').join('\n'),
  'deep-block-300.yaml':
    HEAD + 'x-deep:\n' + Array.from({ length: 300 }, (_, i) => ' '.repeat(i + 1) + 'a:').join('\n'),
  'deep-schema.yaml': `${HEAD}components:\n  schemas:\n    Deep: ${'{items: '.repeat(N)}{}${'}'.repeat(N)}\n`,
  // Nested as deep as is read: a schema 250 levels deep is checked like any other.
  'deep-ok-30.json': `{"openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"}, "paths": {}, "components": {"schemas": {"D": ${'{"type": "array", "items": '.repeat(MAX_DEPTH - 6)}{}${'}'.repeat(MAX_DEPTH - 6)}}}}`,
  'deep-ok-31.json': `${HEAD_JSON}, "components": {"schemas": {"D": ${'{"type": "object", "properties": {"a": '.repeat((MAX_DEPTH - 6) / 2)}{}${'}}'.repeat((MAX_DEPTH - 6) / 2)}}}}`,
  'tags.yaml': `${HEAD}x-function: !!js/function "function () { globalThis.interopPwned = true }"
x-regexp: !!js/regexp /a+$/
x-python: !!python/object/apply:os.system ["touch pwned-by-python"]
x-undefined: !!js/undefined ''
x-local: !vendor {a: 1}
`,
  'merge.yaml': `openapi: 3.1.0
info: {title: Lending, version: 1.0.0}
paths: {}
components:
  schemas:
    Base: &base
      type: object
      properties:
        id: {type: string}
    Audit: &audit
      properties:
        createdAt: {type: string, format: date-time}
    Loan:
      <<: *base
      <<: *audit
      description: A loan
    Book:
      <<: [*audit, *base]
`,
  'merge-scalar.yaml': `${HEAD}x-a: &a 5\nx-b:\n  <<: *a\n`,
})
const at = (name: string) => path.join(dir, name)

const STACK = /\n\s+at .*:\d+|internal error|RangeError|TypeError/

let reports = 0
/**
 * `interop check FILE` (from the folder, so that paths are shown relative to it) with a JSON report
 * asked for: it must refuse with exit 2 and the message, print no stack trace, leave no report (nor
 * its temporary file) behind, and be quick about it.
 */
function refuses(file: string, message: RegExp, env?: Record<string, string>): string {
  const out = `report-${++reports}.json`
  const started = Date.now()
  const r = cli(['check', file, '--no-config', '--format', 'json', '--output', out], { cwd: dir, env })
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(STACK)
  expect(r.stdout).toBe('')
  expect(r.status).toBe(2)
  expect(existsSync(at(out))).toBe(false)
  expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  expect(Date.now() - started).toBeLessThan(20_000)
  return r.stderr
}

interface Report {
  findings: {
    ruleId: string
    message: string
    location: { source: string; line?: number; pointer: string }
  }[]
  rulesets: { rules: { ruleId: string; status: string; reason?: string }[] }[]
}

/** `interop check FILE` that must give a report: exit 0 or 1, no stack trace, no rule that failed to run. */
function reads(file: string, args: string[] = [], env?: Record<string, string>): Report {
  const started = Date.now()
  const r = cli(['check', file, '--no-config', '--format', 'json', ...args], { cwd: dir, env })
  expect(r.stderr).not.toMatch(STACK)
  expect([0, 1]).toContain(r.status)
  expect(Date.now() - started).toBeLessThan(20_000)
  const report = JSON.parse(r.stdout) as Report
  expect(report.rulesets.flatMap((rs) => rs.rules).filter((x) => x.status === 'error')).toEqual([])
  return report
}

/** What a loader throws, which must be an InputError. */
async function inputError(load: () => unknown): Promise<InputError> {
  try {
    await load()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  return expect.unreachable('no error') as never
}

/** Writes `size` bytes: `head`, then `fill` repeated, then `tail`, without building them in memory. */
function writeBig(file: string, head: string, fill: string, size: number, tail = ''): void {
  const fd = openSync(file, 'w')
  try {
    writeSync(fd, head)
    const chunk = Buffer.from(fill.repeat(Math.ceil((1 << 20) / fill.length)).slice(0, 1 << 20))
    for (let written = head.length; written < size - tail.length; written += chunk.length)
      writeSync(fd, chunk)
    writeSync(fd, tail)
  } finally {
    closeSync(fd)
  }
}

describe('syntax', () => {
  it('truncated JSON and YAML: the line and column where it broke', () => {
    refuses('trunc.json', /^interop: trunc\.json:1:\d+: JSON syntax error: unterminated string\.$/m)
    refuses('trunc.yaml', /^interop: trunc\.yaml:\d+:\d+: YAML syntax error: /m)
  })

  it('invalid UTF-8: the line with the bad bytes; UTF-16: said as such', () => {
    writeFileSync(
      at('latin1.yaml'),
      Buffer.concat([
        Buffer.from(HEAD + 'x-city: '),
        Buffer.from([0x4d, 0xe4, 0x6c, 0x6d, 0xf6]),
        Buffer.from('\n'),
      ]),
    )
    refuses('latin1.yaml', /^interop: latin1\.yaml:4: The file is not valid UTF-8 text: save it as UTF-8\.$/m)
    writeFileSync(at('utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, 'utf16le')]))
    refuses('utf16.yaml', /^interop: utf16\.yaml: The file is UTF-16 text; interop reads UTF-8/m)
    // Named by a manifest, it is there but unreadable: said so, not "does not exist".
    writeFileSync(
      at('service.yaml'),
      'service: {name: Lending, vendor: Bokslut AB}\napis:\n  - openapi: latin1.yaml\n',
    )
    refuses(
      'service.yaml',
      /^ {2}service\.yaml:3:\d+: 'latin1\.yaml' cannot be read: latin1\.yaml:4: The file is not valid UTF-8 text: save it as UTF-8\.$/m,
    )
  })

  it('a UTF-8 byte order mark just works, with the same positions as without', () => {
    for (const ext of ['json', 'yaml']) {
      const withBom = reads(`bom.${ext}`).findings
      const without = reads(`nobom.${ext}`).findings
      expect(withBom.length).toBeGreaterThan(0)
      expect(withBom.map((f) => [f.ruleId, f.location.line, f.location.pointer])).toEqual(
        without.map((f) => [f.ruleId, f.location.line, f.location.pointer]),
      )
    }
  })

  it('duplicate keys: refused, naming both lines (tools differ in which one they read)', () => {
    refuses(
      'dup.json',
      /^interop: dup\.json:4:3: The key 'openapi' is written twice in one object \(first at line 2\); tools differ in which of the two they read\.$/m,
    )
    refuses(
      'dup-deep.json',
      /^interop: dup-deep\.json:3:2: The key 'id' is written twice in one object \(first at line 2\)/m,
    )
    refuses(
      'dup.yaml',
      /^interop: dup\.yaml:4:3: YAML syntax error: the key 'title' is written twice in one mapping \(first at line 3\)\.$/m,
    )
  })

  it('duplicate keys are found in one pass, however many keys a mapping has', () => {
    // The yaml package's own check compares each key with all before it: minutes for this mapping.
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: ${i}`)
    const started = Date.now()
    const doc = parseSource(
      HEAD + 'x-many:\n  ' + keys.join('\n  ') + '\n',
      'file:///x/many.yaml',
      'many.yaml',
    )
    expect(Object.keys((doc.value as { 'x-many': object })['x-many'])).toHaveLength(100_000)
    const dup = () =>
      parseSource(
        HEAD + 'x-many:\n  ' + [...keys, 'k5: again'].join('\n  ') + '\n',
        'file:///x/many.yaml',
        'many.yaml',
      )
    expect(dup).toThrow(/the key 'k5' is written twice in one mapping \(first at line 10\)/)
    expect(Date.now() - started).toBeLessThan(15_000)
    // Keys that become the same object key are the same key; merge keys may repeat.
    expect(() => parseSource('a:\n  1: x\n  "1": y\n', 'file:///x/a.yaml', 'a.yaml')).toThrow(/the key '1'/)
  })

  it('tabs in YAML indentation: the line', () => {
    refuses(
      'tabs.yaml',
      /^interop: tabs\.yaml:3:1: YAML syntax error: Tabs are not allowed as indentation\.$/m,
    )
  })

  it(`a 100 MB file is refused before it is read (${MAX_DOCUMENT_BYTES / 1024 / 1024} MB at most), in little memory`, () => {
    const file = at('huge.json')
    try {
      writeBig(file, HEAD_JSON + ', "x-padding": "', 'padding ', MAX_DOCUMENT_BYTES + 1024, '"}')
      // A heap far smaller than the file: it is not read.
      refuses('huge.json', /^interop: huge\.json: The file is larger than 100 MB\.$/m, {
        NODE_OPTIONS: '--max-old-space-size=64',
      })
    } finally {
      rmSync(file, { force: true })
    }
  })

  it(`YAML over ${MAX_YAML_CHARS / 1024 / 1024} MB is refused: reading it would take gigabytes`, () => {
    const file = at('huge.yaml')
    try {
      writeBig(file, HEAD + 'x-padding: ', 'padding ', MAX_YAML_CHARS + 1024, '\n')
      refuses(
        'huge.yaml',
        /^interop: huge\.yaml: The YAML document is larger than 32 MB.*convert it to JSON/m,
        {
          NODE_OPTIONS: '--max-old-space-size=256',
        },
      )
    } finally {
      rmSync(file, { force: true })
    }
  })

  it('a single 10 MB line: read (JSON in bounded memory), and no finding quotes it whole', () => {
    const long = 'A description that never ends. '.repeat(340_000)
    writeFileSync(
      at('long.json'),
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 't', version: '1.0.0', description: long },
        paths: {},
      }),
    )
    writeFileSync(
      at('long.yaml'),
      `openapi: 3.1.0\ninfo: {title: t, version: 1.0.0, description: "${long}"}\npaths: {}\n`,
    )
    writeFileSync(
      at('long-broken.yaml'),
      `openapi: 3.1.0\ninfo: {title: t, version: 1.0.0, description: "${long}}\npaths: {}\n`,
    )
    const cap = { NODE_OPTIONS: '--max-old-space-size=256' }
    for (const file of ['long.json', 'long.yaml']) {
      const r = cli(['check', file, '--no-config', '--format', 'json'], {
        cwd: dir,
        env: file.endsWith('json') ? cap : {},
      })
      expect(r.stderr).not.toMatch(STACK)
      expect([0, 1]).toContain(r.status)
      expect(r.stdout.length).toBeLessThan(1_000_000)
      expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0)
    }
    const err = refuses('long-broken.yaml', /^interop: long-broken\.yaml:\d+:\d+: YAML syntax error/m)
    expect(err.length).toBeLessThan(1000)
  })
})

describe('YAML', () => {
  it('alias bombs ("billion laughs") are stopped by the alias budget, also through merge keys', () => {
    refuses(
      'laughs.yaml',
      /^interop: laughs\.yaml: YAML could not be read: Excessive alias count indicates a resource exhaustion attack\.$/m,
    )
    refuses(
      'merge-laughs.yaml',
      /^interop: merge-laughs\.yaml: YAML could not be read: Excessive alias count/m,
    )
  })

  it(`nesting ${N} levels deep, in JSON or YAML, is refused at the place it gets too deep, not with a stack overflow`, () => {
    const message = (file: string) =>
      new RegExp(
        `^interop: ${file.replace('.', '\\.')}:\\d+:\\d+: The document nests values more than ${MAX_DEPTH} levels deep, deeper than interop reads\\.$`,
        'm',
      )
    // The place: where the 257th level opens.
    refuses(
      'deep.json',
      new RegExp(`^interop: deep\\.json:1:${HEAD_JSON.length + 12 + MAX_DEPTH}: The document nests`, 'm'),
    )
    refuses('deep-block-300.yaml', /^interop: deep-block-300\.yaml:260:\d+: The document nests/m)
    for (const file of [
      'deep-objects.json',
      'deep-truncated.json',
      'deep-flow.yaml',
      'deep-block.yaml',
      'deep-schema.yaml',
    ])
      refuses(file, message(file))
  })

  it(`nesting up to ${MAX_DEPTH} levels is read and checked as usual`, () => {
    for (const file of ['deep-ok-30.json', 'deep-ok-31.json']) {
      const report = reads(file)
      expect(report.findings.filter((f) => f.ruleId === 'openapi-valid')).toEqual([])
    }
    const deepest = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`
    expect(() => parseSource(deepest, 'file:///x/a.json', 'a.json')).not.toThrow()
    expect(() => parseSource(`x: ${deepest}`, 'file:///x/a.yaml', 'a.yaml')).toThrow(/more than 256 levels/)
    expect(() => parseSource(`${deepest.slice(1, -1)}`, 'file:///x/a.yaml', 'a.yaml')).not.toThrow()
  })

  it('custom tags never run anything: they are plain data', async () => {
    const api = await loadOpenApi(at('tags.yaml'))
    const root = api.root.value as Record<string, unknown>
    expect(root['x-function']).toBe('function () { globalThis.interopPwned = true }')
    expect(root['x-regexp']).toBe('/a+$/')
    expect(root['x-python']).toEqual(['touch pwned-by-python'])
    expect(root['x-local']).toEqual({ a: 1 })
    expect((globalThis as Record<string, unknown>).interopPwned).toBeUndefined()
    reads('tags.yaml')
    expect(existsSync(at('pwned-by-python'))).toBe(false)
    expect(existsSync(path.join(process.cwd(), 'pwned-by-python'))).toBe(false)
  })

  it('merge keys are YAML 1.1 merges: merged values are read, and placed where the merge is written', async () => {
    const api = await loadOpenApi(at('merge.yaml'))
    const schemas = (api.root.value as { components: { schemas: Record<string, unknown> } }).components
      .schemas
    // Keys written in the mapping win; earlier merges win over later ones.
    expect(schemas.Loan).toEqual({
      type: 'object',
      properties: { id: { type: 'string' } },
      description: 'A loan',
    })
    expect(schemas.Book).toEqual({
      properties: { createdAt: { type: 'string', format: 'date-time' } },
      type: 'object',
    })
    expect(api.location({ uri: api.root.uri, pointer: '/components/schemas/Loan/type' }).line).toBe(14)
    reads('merge.yaml')
    refuses(
      'merge-scalar.yaml',
      /^interop: merge-scalar\.yaml: YAML could not be read: Merge sources must be maps or map aliases\.$/m,
    )
  })
})

describe('__proto__, constructor and prototype keys are data, never the prototype', () => {
  const keys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']
  const bag = () => Object.fromEntries(keys.map((k) => [k, { polluted: true }]))
  const named = <T>(value: () => T) => Object.fromEntries(keys.map((k) => [k, value()]))
  // Object.fromEntries and JSON.stringify keep `__proto__` as an own key, as a vendor's file would have it.
  const description = {
    openapi: '3.1.0',
    info: { title: 'Lending', version: '1.0.0', 'x-bag': bag() },
    paths: {
      '/loans': {
        get: {
          operationId: 'listLoans',
          summary: 'Lists loans',
          ...bag(),
          // A $ref under such a key: where it is, is worked out from the keys on its way.
          constructor: { deep: { $ref: '#/components/schemas/Loan' } },
          parameters: [{ name: 'constructor', in: 'query', schema: { type: 'string' } }],
          responses: {
            200: {
              description: 'ok',
              ...bag(),
              constructor: { deep: { $ref: '#/components/schemas/Loan' } },
              headers: named(() => ({ schema: { type: 'string' } })),
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Loan' },
                  examples: named(() => ({ value: bag() })),
                },
              },
            },
          },
        },
      },
      ...Object.fromEntries(
        keys.map((k) => [`/${k}`, { get: { summary: k, responses: { 200: { description: 'ok' } } } }]),
      ),
    },
    components: {
      schemas: {
        Loan: { type: 'object', properties: named(() => ({ type: 'string' })), example: bag() },
        ...named(() => ({ type: 'string' })),
      },
      responses: named(() => ({ description: 'd' })),
      securitySchemes: named(() => ({ type: 'http', scheme: 'bearer' })),
      ...bag(),
    },
    security: [named(() => [])],
    'x-bag': bag(),
  }
  const yaml = `openapi: 3.1.0
info: {title: Lending, version: 1.0.0}
paths: {}
x-bag: &bag
  __proto__: {polluted: true}
  constructor: {prototype: {polluted: true}}
  prototype: {polluted: true}
x-merged:
  <<: *bag
x-merged-inline:
  <<: {__proto__: {polluted: true}}
x-alias: *bag
components:
  schemas:
    __proto__: {type: object, properties: {__proto__: {type: string}}}
    constructor: {type: string}
`
  const files = tempFiles({
    'proto.json': JSON.stringify(description, null, 2),
    'proto.yaml': yaml,
    'service/interop.yaml': `service: {name: Lending, vendor: Bokslut AB}
apis:
  - openapi: openapi.json
    examples:
      __proto__: {polluted: true}
      constructor: {prototype: {polluted: true}}
      listLoans: {__proto__: {polluted: true}}
`,
    'service/openapi.json': JSON.stringify(description),
    'service/interop-top.json': '{"service": {"name": "L", "vendor": "B"}, "__proto__": {"polluted": true}}',
    'rulesets/proto.yaml': 'id: mine\nversion: 1.0.0\ntitle: Mine\nrules:\n  __proto__: error\n',
    'rulesets/constructor.json': JSON.stringify({
      id: 'mine',
      version: '1.0.0',
      title: 'Mine',
      rules: { constructor: 'error' },
    }),
    'rulesets/prototype.yaml': 'id: mine\nversion: 1.0.0\ntitle: Mine\nrules:\n  prototype: warn\n',
    'rulesets/options.json': `{"id": "mine", "version": "1.0.0", "title": "Mine", "rules": {"problem-schema": {"options": {"__proto__": {"polluted": true}}}}}`,
    'config/.interop.json': `{"rulesets": ["open-standards"], "minScores": {"__proto__": 10, "constructor": 20, "prototype": 30}}`,
    'config-top/.interop.json': '{"rulesets": ["open-standards"], "__proto__": {"polluted": true}}',
    'config-rules/.interop.yaml': 'rules:\n  constructor: off\n',
  })
  const unpolluted = () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted')
    expect(({} as Record<string, unknown>).prototype).toBeUndefined()
  }

  it('in OpenAPI descriptions, JSON and YAML (also merged and aliased): own data, and a normal report', async () => {
    const json = await loadOpenApi(path.join(files, 'proto.json'))
    unpolluted()
    const bagValue = (json.root.value as { 'x-bag': object })['x-bag']
    expect(Object.hasOwn(bagValue, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(bagValue)).toBe(Object.prototype)
    expect(
      json.location({ uri: json.root.uri, pointer: '/components/schemas/__proto__' }).line,
    ).toBeGreaterThan(1)

    const yamlApi = await loadOpenApi(path.join(files, 'proto.yaml'))
    unpolluted()
    const root = yamlApi.root.value as Record<string, Record<string, unknown>>
    for (const k of ['x-bag', 'x-merged', 'x-merged-inline', 'x-alias']) {
      expect(Object.hasOwn(root[k]!, '__proto__'), k).toBe(true)
      expect(Object.getPrototypeOf(root[k]), k).toBe(Object.prototype)
    }

    for (const file of ['proto.json', 'proto.yaml']) {
      const r = cli(['check', path.join(files, file), '--no-config', '--format', 'json'])
      expect(r.stderr).not.toMatch(STACK)
      expect([0, 1]).toContain(r.status)
      const report = JSON.parse(r.stdout) as Report
      expect(report.rulesets.flatMap((rs) => rs.rules).filter((x) => x.status === 'error')).toEqual([])
    }
  })

  it('in a service manifest: own data, and a normal report; at its top, a property the schema refuses', async () => {
    const loaded = await loadManifest(path.join(files, 'service/interop.yaml'))
    unpolluted()
    expect(Object.hasOwn(loaded.manifest.apis[0]!.examples, '__proto__')).toBe(true)
    const r = cli(['check', 'service/interop.yaml', '--no-config', '--format', 'json'], { cwd: files })
    expect(r.stderr).not.toMatch(STACK)
    expect([0, 1]).toContain(r.status)
    expect(JSON.parse(r.stdout).service).toEqual({ name: 'Lending', vendor: 'Bokslut AB' })

    const err = await inputError(() => loadManifest(path.join(files, 'service/interop-top.json')))
    unpolluted()
    expect(err.message).toMatch(/interop-top\.json:1:\d+: .*__proto__/)
  })

  it('in rulesets: no rule of that name (not an internal error), at its line', async () => {
    for (const [file, id, line] of [
      ['proto.yaml', '__proto__', 5],
      ['constructor.json', 'constructor', 1],
      ['prototype.yaml', 'prototype', 5],
    ] as const) {
      const err = await inputError(() => loadRuleset(path.join(files, 'rulesets', file)))
      unpolluted()
      expect(err.message).toBe(`Unknown rule '${id}'. \`interop rules list\` shows the rules there are.`)
      expect(err.line).toBe(line)
      const r = cli(['check', 'proto.json', '--no-config', '-r', `./rulesets/${file}`], { cwd: files })
      expect(r.stderr).toMatch(
        new RegExp(`^interop: rulesets/${file.replace('.', '\\.')}:${line}:\\d+: Unknown rule '${id}'`, 'm'),
      )
      expect(r.stderr).not.toMatch(STACK)
      expect(r.status).toBe(2)
    }
    await inputError(() => loadRuleset(path.join(files, 'rulesets/options.json')))
    unpolluted()
  })

  it('in configurations: data where a map is allowed (a normal report), refused where it is not', async () => {
    const config = await loadConfig(path.join(files, 'config'))
    unpolluted()
    expect(Object.keys(config!.minScores!)).toEqual(['__proto__', 'constructor', 'prototype'])
    const r = cli(['check', '../proto.json', '--format', 'json'], { cwd: path.join(files, 'config') })
    expect(r.stderr).not.toMatch(STACK)
    expect([0, 1]).toContain(r.status)
    expect(JSON.parse(r.stdout).options.minScores).toEqual(
      JSON.parse('{"__proto__": 10, "constructor": 20, "prototype": 30}'),
    )

    const top = await inputError(() => loadConfig(path.join(files, 'config-top')))
    unpolluted()
    expect(top.message).toMatch(/\.interop\.json:1:\d+: __proto__ is not a known field/)
    const rules = await inputError(async () => {
      const c = await loadConfig(path.join(files, 'config-rules'))
      await applyOverrides([await loadRuleset('open-standards')], c!, () => {})
    })
    unpolluted()
    expect(rules.message).toMatch(/^Unknown rule 'constructor'/)
  })
})
