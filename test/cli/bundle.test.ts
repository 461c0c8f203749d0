import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REGEXP_FLAG } from '../../src/core/runner.js'
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

describe('the bundled CLI', () => {
  it('starts from the compiled code the build saved, which V8 accepts', () => {
    const loader = readFileSync(path.join(ROOT, 'dist/bundle/cli.js'), 'utf8')
    const build = loader.match(/^const BUILD = '([0-9a-f]+)'$/m)?.[1]
    expect(build).toBeDefined()
    const cache = path.join(ROOT, `dist/bundle/cli-${build}.cache`)
    expect(existsSync(cache)).toBe(true)
    // Compiled as the loader compiles it, in a process of its own (V8 compares the flags it runs with).
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `const v8 = require('node:v8'), vm = require('node:vm'), fs = require('node:fs'), { Module } = require('node:module')
v8.setFlagsFromString('${REGEXP_FLAG}')
const s = new vm.Script(Module.wrap(fs.readFileSync(process.argv[1], 'utf8')), { filename: process.argv[1], cachedData: fs.readFileSync(process.argv[2]) })
console.log(JSON.stringify({ rejected: s.cachedDataRejected }))`,
        path.join(ROOT, 'dist/bundle/cli.cjs'),
        cache,
      ],
      { encoding: 'utf8' },
    )
    expect(probe.stderr).toBe('')
    expect(JSON.parse(probe.stdout)).toEqual({ rejected: false })
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
})
