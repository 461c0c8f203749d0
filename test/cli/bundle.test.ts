import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { V8_FLAGS } from '../../src/core/runner.js'
import { ROOT, cli } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

// @oclif/core and the check command are one bundle (dist/bundle/cli.cjs) that its loader
// (dist/bundle/cli.js) compiles with the V8 code cache the build made (scripts/bundle.js,
// scripts/code-cache.js).

interface Report {
  rulesets: { rules: { ruleId: string; status: string }[] }[]
  findings: { ruleId: string; message: string }[]
}

const statusOf = (report: Report, ruleId: string) =>
  report.rulesets.flatMap((r) => r.rules).find((r) => r.ruleId === ruleId)?.status

/**
 * Whether V8 rejects a code cache for a CommonJS file compiled as the loaders compile it, in a process
 * of its own (V8 compares the flags it runs with, and the runner sets some).
 */
function rejects(file: string, cache: string, nodeFlags: string[] = []): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      '-e',
      `const v8 = require('node:v8'), vm = require('node:vm'), fs = require('node:fs'), { Module } = require('node:module')
for (const flag of ${JSON.stringify(V8_FLAGS)}) v8.setFlagsFromString(flag)
const s = new vm.Script(Module.wrap(fs.readFileSync(process.argv[1], 'utf8')), { filename: process.argv[1], cachedData: fs.readFileSync(process.argv[2]) })
console.log(JSON.stringify({ rejected: s.cachedDataRejected }))`,
      file,
      cache,
    ],
    { encoding: 'utf8' },
  )
  expect(probe.stderr).toBe('')
  return (JSON.parse(probe.stdout) as { rejected: boolean }).rejected
}

describe('the bundled CLI', () => {
  it('starts from the compiled code the build saved, which V8 accepts', () => {
    const loader = readFileSync(path.join(ROOT, 'dist/bundle/cli.js'), 'utf8')
    const build = loader.match(/^const BUILD = '([0-9a-f]+)'$/m)?.[1]
    expect(build).toBeDefined()
    const cache = path.join(ROOT, `dist/bundle/cli-${build}.cache`)
    expect(existsSync(cache)).toBe(true)
    expect(rejects(path.join(ROOT, 'dist/bundle/cli.cjs'), cache)).toBe(false)
  })

  it('keeps compiled code of its own for Node run with flags of its own, made by the first check', () => {
    const cacheHome = tempFiles({})
    const flags = ['--max-old-space-size=3072']
    const run = (args: string[]) =>
      spawnSync(process.execPath, [...flags, path.join(ROOT, 'bin/run.js'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_OPTIONS: '' },
      })
    const bundle = path.join(ROOT, 'dist/bundle/cli.cjs')
    const build = readFileSync(path.join(ROOT, 'dist/bundle/cli.js'), 'utf8').match(
      /^const BUILD = '([0-9a-f]+)'$/m,
    )![1]!
    // The build's cache is refused under the flag, which is why.
    expect(rejects(bundle, path.join(ROOT, `dist/bundle/cli-${build}.cache`), flags)).toBe(true)
    const own = () =>
      existsSync(path.join(cacheHome, 'interop')) ? readdirSync(path.join(cacheHome, 'interop')) : []
    // Another command does not make one; a check does, named after the build and the flags, and
    // one for each module of validators the check loaded, named after its text and the flags.
    expect(run(['--version']).status).toBe(0)
    expect(own()).toEqual([])
    const check = [
      'check',
      'fixtures/services/good-library/openapi.yaml',
      '--fail-on',
      'none',
      '--no-config',
      '-q',
    ]
    expect(run(check).status).toBe(0)
    const flagsHash = own()
      .find((f) => f.startsWith(`cli-${build}-`))
      ?.match(/-([0-9a-f]{16})\.cache$/)?.[1]
    expect(flagsHash).toBeDefined()
    const validators = own().filter((f) => !f.startsWith('cli-'))
    expect(validators.length).toBeGreaterThan(0)
    for (const f of own()) expect(f).toMatch(new RegExp(`^[a-z0-9]+-[0-9a-f]{16}-${flagsHash}\\.cache$`))
    const cache = path.join(cacheHome, 'interop', `cli-${build}-${flagsHash}.cache`)
    expect(rejects(bundle, cache, flags)).toBe(false)
    for (const f of validators) {
      const module = path.join(ROOT, 'generated/validators', `${f.split('-')[0]}.cjs`)
      expect([f, rejects(module, path.join(cacheHome, 'interop', f), flags)]).toEqual([f, false])
    }
    // Accepted, they are kept as they are.
    const written = own().map((f) => statSync(path.join(cacheHome, 'interop', f)).mtimeMs)
    expect(run(check).status).toBe(0)
    expect(own().map((f) => statSync(path.join(cacheHome, 'interop', f)).mtimeMs)).toEqual(written)
  })

  it('starts the validators of a check from the compiled code the build saved for their text', () => {
    const dir = path.join(ROOT, 'generated/validators')
    const caches = readdirSync(dir).filter((f) => f.endsWith('.cache'))
    expect(caches.map((f) => f.replace(/-[0-9a-f]{16}\.cache$/, ''))).toEqual(
      expect.arrayContaining(['oas30', 'options']),
    )
    for (const cache of caches) {
      const module = path.join(dir, cache.replace(/-[0-9a-f]{16}\.cache$/, '.cjs'))
      // Named after the module's text as it is now: a cache of an earlier text is never used.
      const hash = createHash('sha256').update(readFileSync(module, 'utf8')).digest('hex').slice(0, 16)
      expect(cache).toBe(`${path.basename(module, '.cjs')}-${hash}.cache`)
      expect([cache, rejects(module, path.join(dir, cache))]).toEqual([cache, false])
    }
  })

  it("loads Node's own modules that a check needs before it sets V8 flags, so that they start compiled", () => {
    // Node compiles its modules with a code cache V8 refuses once a flag is set: each one loaded after
    // the loader sets the runner's flags is compiled from its source (some 6 ms for those oclif loads).
    const dir = tempFiles({
      'after.cjs': `const v8 = require('node:v8')
const set = v8.setFlagsFromString
let at = -1
v8.setFlagsFromString = function (flag) {
  if (at === -1) at = process.moduleLoadList.length
  return set.call(this, flag)
}
process.on('exit', () => {
  const after = at === -1 ? ['(no flag set)'] : process.moduleLoadList.slice(at)
  const own = after.filter((m) => m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'))
  process.stderr.write('loaded after the flags: ' + JSON.stringify(own.map((m) => m.slice(13))) + '\\n')
})
`,
    })
    const run = cli(
      [
        'check',
        'fixtures/services/mixed-permits/interop.yaml',
        '--format',
        'json',
        '--fail-on',
        'none',
        '--no-config',
      ],
      { env: { NODE_OPTIONS: `--require ${path.join(dir, 'after.cjs')}` } },
    )
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0)
    expect(run.stderr).toContain('loaded after the flags: []\n')
  })

  // A command outside the bundle, or a plugin's, that loaded @oclif/core's own files would run under a
  // second oclif (and pay for loading it); each finds the bundled one where require keeps modules.
  it.each([
    '--version',
    'rules list',
    'plugins',
    'check fixtures/services/good-library/openapi.yaml --fail-on none --no-config -q',
    'check --no-such-flag',
  ])('runs `interop %s` under the one bundled oclif', (line) => {
    const args = line.split(' ')
    const dir = tempFiles({
      'count.cjs': `process.on('exit', () => {
  const files = Object.keys(require.cache).filter((f) => f.replaceAll('\\\\', '/').includes('/node_modules/@oclif/core/'))
  process.stderr.write('oclif files loaded: ' + files.length + '\\n')
})
`,
    })
    const run = cli(args, { env: { NODE_OPTIONS: `--require ${path.join(dir, 'count.cjs')}` } })
    expect(run.stderr).toContain('oclif files loaded: 1\n')
    expect(run.stderr).not.toMatch(/internal error|failed to load/i)
    expect(run.status).toBe(args.includes('--no-such-flag') ? 2 : 0)
  })

  it('imports a ruleset’s JavaScript rule module', () => {
    const run = cli([
      'check',
      'fixtures/services/good-library/openapi.yaml',
      '--ruleset',
      'examples/rule-module/norrvik.yaml',
      '-f',
      'json',
      '--fail-on',
      'none',
      '--no-config',
    ])
    expect(run.stderr).not.toMatch(/failed to load|dynamic import/i)
    expect(run.status).toBe(0)
    expect(statusOf(JSON.parse(run.stdout) as Report, 'operation-summary')).toMatch(/^(pass|fail)$/)
  })

  it('compiles and runs a TypeScript rule module', () => {
    const dir = tempFiles({
      'ruleset.yaml': [
        'id: typed',
        'version: 1.0.0',
        'title: A ruleset with a TypeScript rule',
        'modules:',
        '  - ./rules.ts',
        'rules:',
        '  operation-ids: error',
        '',
      ].join('\n'),
      'rules.ts': `interface Op { operationId?: string }
const rule = {
  meta: {
    id: 'operation-ids',
    title: 'Every operation has an operationId',
    failureTitle: 'Some operations have no operationId',
    description: 'Generated clients name their methods after it.',
    fix: 'Add an operationId.',
    sources: [{ title: 'Team policy', url: 'https://example.org/policy' }],
    requires: ['openapi'],
    messages: { missing: 'An operation has no operationId.' },
  },
  create(ctx: any) {
    return {
      Operation(op: { node: { value: Op } }) {
        if (!op.node.value.operationId) ctx.report({ messageId: 'missing', node: op.node })
      },
    }
  },
}
export default rule
`,
      'openapi.yaml': [
        'openapi: 3.0.3',
        'info: {title: T, version: "1"}',
        'paths:',
        '  /a:',
        '    get:',
        '      responses:',
        "        '200': {description: ok}",
        '',
      ].join('\n'),
    })
    const run = cli(['check', 'openapi.yaml', '--ruleset', 'ruleset.yaml', '-f', 'json', '--no-config'], {
      cwd: dir,
    })
    expect(run.stderr).not.toMatch(/failed to load/i)
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout) as Report
    expect(statusOf(report, 'operation-ids')).toBe('fail')
    expect(report.findings.filter((f) => f.ruleId === 'operation-ids').map((f) => f.message)).toEqual([
      'An operation has no operationId.',
    ])
  })
  // The loader reads the bundle as latin1, which is its text only if every byte is ASCII: the build
  // escapes the letters outside ASCII that esbuild leaves (in comments and regular expressions).
  it('is ASCII, and its regular expressions still match Nordic letters', () => {
    const bytes = readFileSync(path.join(ROOT, 'dist/bundle/cli.cjs'))
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1)
    const dir = tempFiles({
      'openapi.yaml': `openapi: 3.0.3
info: { title: Elevregister, version: 1.0.0 }
externalDocs: { description: Ändringslogg, url: 'https://example.org/andringar' }
paths:
  /elever:
    get:
      parameters:
        - { name: fødselsnummer, in: query, schema: { type: string } }
      responses: { '200': { description: OK } }
`,
    })
    const run = cli([
      'check',
      path.join(dir, 'openapi.yaml'),
      '--format',
      'json',
      '--fail-on',
      'none',
      '--no-config',
    ])
    const report = JSON.parse(run.stdout) as Report
    // /ändringslogg/ names the changelog; /[øö]/ folds the name to one the rule knows.
    expect(statusOf(report, 'changelog')).toBe('pass')
    expect(
      report.findings.filter((f) => f.ruleId === 'no-sensitive-data-in-url').map((f) => f.message),
    ).toEqual([expect.stringContaining('"fødselsnummer" puts a personal identity number in the URL')])
  })
})
