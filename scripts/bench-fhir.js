// Benchmark of the FHIR R4 validator (dist/fhir/validate.js), for `npm run bench:fhir`.
// Targets (from the issue): start-up (import + schema/definitions load) < 1.5 s, and 10,000 resources
// validated in < 3 s on one core once started. Always exits 0: it measures, it does not gate.
//   node scripts/bench-fhir.js            start-up + three workloads
//   node scripts/bench-fhir.js --profile  also profiles the mixed workload (node --cpu-prof, in a child)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const VALIDATE = pathToFileURL(path.join(ROOT, 'dist', 'fhir', 'validate.js')).href
const REFERENCES = pathToFileURL(path.join(ROOT, 'dist', 'fhir', 'references.js')).href

/** What `interop fhir validate` checks of a resource without profiles: the validation and its references. */
async function loadValidator() {
  const { validateResource } = await import(VALIDATE)
  const { validateReferences } = await import(REFERENCES)
  return (r) => [...validateResource(r), ...validateReferences(r)]
}
const EXAMPLES = path.join(ROOT, 'node_modules', 'hl7.fhir.r4.examples')
const N = 10_000
const RUNS = 5
const STARTUP_TARGET = 1.5 // seconds
const THROUGHPUT_TARGET = 3 // seconds for N resources

// Conformance (definitional) resources: not what the validator meets in practice, so left out.
const CONFORMANCE = new Set([
  'StructureDefinition', 'ValueSet', 'CodeSystem', 'SearchParameter', 'ConceptMap', 'OperationDefinition',
  'CapabilityStatement', 'ImplementationGuide', 'CompartmentDefinition', 'NamingSystem', 'StructureMap',
  'GraphDefinition', 'MessageDefinition', 'TerminologyCapabilities', 'ExampleScenario',
]) // prettier-ignore

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const readJson = (file) => JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8'))

/** The clinical/administrative examples, parsed once, in file-name order. */
function clinicalExamples() {
  const out = []
  for (const file of readdirSync(EXAMPLES).sort()) {
    if (!file.endsWith('.json') || file === 'package.json') continue
    const r = readJson(file)
    if (typeof r?.resourceType !== 'string' || CONFORMANCE.has(r.resourceType)) continue
    if (r.resourceType === 'Bundle') {
      const types = (r.entry ?? []).map((e) => e.resource?.resourceType).filter(Boolean)
      if (types.length > 0 && types.every((t) => CONFORMANCE.has(t))) continue
    }
    out.push(r)
  }
  return out
}

/** N resources cycling over `pool`; each is its own parsed object (a deep copy), as a real batch would be. */
const workload = (pool) => Array.from({ length: N }, (_, i) => structuredClone(pool[i % pool.length]))

/** Validates every resource once; returns [seconds, resources with at least one issue]. */
function runOnce(validateResource, resources) {
  let withIssues = 0
  const t0 = performance.now()
  for (const r of resources) if (validateResource(r).length > 0) withIssues++
  return [(performance.now() - t0) / 1000, withIssues]
}

/** Start-up in fresh processes: from process start (performance.now() counts from it) to the first call's return. */
function measureStartup() {
  const patient = path.join(EXAMPLES, 'Patient-example.json')
  const code = `
    import { readFileSync } from 'node:fs'
    const { validateResource } = await import(${JSON.stringify(VALIDATE)})
    validateResource(JSON.parse(readFileSync(${JSON.stringify(patient)}, 'utf8')))
    process.stdout.write(String(performance.now()))`
  const inProcess = []
  const wall = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })
    wall.push((performance.now() - t0) / 1000)
    if (child.status !== 0) throw new Error(`start-up child failed:\n${child.stderr}`)
    inProcess.push(Number(child.stdout) / 1000)
  }
  return { inProcess: median(inProcess), wall: median(wall) }
}

/**
 * Top self-time functions of a .cpuprofile, counting only samples in [from, to] (µs on V8's monotonic clock,
 * the one process.hrtime reads): each sample's time delta is charged to the function it hit.
 */
function topSelfTime(profile, from, to, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  const byPart = new Map() // by file (fhirpath as one), GC and regexps on their own
  let total = 0
  let t = profile.startTime
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    t += dt
    if (t < from || t > to) return
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const file = url.replace(pathToFileURL(ROOT).href + '/', '').replace(/^.*node_modules\//, '')
    const key = `${functionName || '(anonymous)'}  ${file ? `${file}:${lineNumber + 1}` : ''}`
    const part = file.startsWith('fhirpath/')
      ? 'fhirpath'
      : /^RegExp:/.test(functionName)
        ? '(regexps)'
        : file || functionName
    self.set(key, (self.get(key) ?? 0) + dt)
    byPart.set(part, (byPart.get(part) ?? 0) + dt)
    total += dt
  })
  const row = ([key, us]) =>
    console.log(
      `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`,
    )
  console.log(`\nSelf time by code (the timed mixed run, after warm-up; ${fmt(total / 1e6)} s sampled):`)
  ;[...byPart].sort((a, b) => b[1] - a[1]).forEach(row)
  console.log(`\nTop ${top} self-time functions:`)
  ;[...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(row)
}

/** Profiles the mixed workload in a child under `node --cpu-prof`, writing the profile to a temp dir. */
function profileMixed() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-fhir-'))
  const self = fileURLToPath(import.meta.url)
  const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, self, '--child-mixed'], {
    encoding: 'utf8',
  })
  if (child.status !== 0) throw new Error(`profiling child failed:\n${child.stderr}`)
  const { from, to, seconds } = JSON.parse(child.stdout)
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  console.log(`\nProfile: ${path.join(dir, file)} (timed run: ${fmt(seconds)} s under the profiler)`)
  topSelfTime(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), from, to)
}

const fmt = (x) => x.toFixed(3)
const verdict = (ok) => (ok ? 'PASS' : 'MISS')

async function main() {
  // The child of --profile: warm up on the mixed workload, then validate it once more and print that run's
  // window on the profiler's clock, so the parent leaves out loading, building the workload and warm-up.
  if (process.argv.includes('--child-mixed')) {
    const validateResource = await loadValidator()
    const resources = workload(clinicalExamples())
    runOnce(validateResource, resources)
    const from = Number(process.hrtime.bigint() / 1000n)
    const [seconds] = runOnce(validateResource, resources)
    console.log(JSON.stringify({ from, to: Number(process.hrtime.bigint() / 1000n), seconds }))
    return
  }

  const cpu = os.cpus()
  console.log(`Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}`)

  const startup = measureStartup()
  console.log(
    `\nStart-up (import + first validateResource, median of ${RUNS} fresh processes): ` +
      `${fmt(startup.inProcess)} s since process start (${fmt(startup.wall)} s spawn to exit)`,
  )

  const validateResource = await loadValidator()
  const clinical = clinicalExamples()
  const workloads = [
    [`mixed (${clinical.length} clinical/administrative examples, cycled)`, workload(clinical)],
    ['Patient-example.json x 10,000', workload([readJson('Patient-example.json')])],
    ['Observation-example.json x 10,000', workload([readJson('Observation-example.json')])],
  ]
  console.log(`\nThroughput (${N} resources per run, warm-up + median of ${RUNS} runs, single thread):`)
  let slowest = 0
  for (const [name, resources] of workloads) {
    runOnce(validateResource, resources) // warm-up: lazy FHIRPath compilation, JIT
    const runs = Array.from({ length: RUNS }, () => runOnce(validateResource, resources))
    const s = median(runs.map(([t]) => t))
    slowest = Math.max(slowest, s)
    console.log(
      `  ${name}: ${fmt(s)} s, ${Math.round(N / s).toLocaleString('en')} resources/s ` +
        `(${runs[0][1]} with issues) ${verdict(s < THROUGHPUT_TARGET)}`,
    )
  }

  console.log(
    `\n${verdict(startup.inProcess < STARTUP_TARGET)} start-up < ${STARTUP_TARGET} s: ${fmt(startup.inProcess)} s`,
  )
  console.log(
    `${verdict(slowest < THROUGHPUT_TARGET)} ${N} resources < ${THROUGHPUT_TARGET} s (slowest workload): ${fmt(slowest)} s`,
  )

  if (process.argv.includes('--profile')) profileMixed()
}

await main()
