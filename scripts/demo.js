// Runs interop on the bundled example vendor services, as a user would from the command line.
// The poor service fails its check on purpose; the demo itself succeeds when both ran as expected.
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const services = [
  ['A service that fits well', 'fixtures/services/good-library/interop.yaml', 0],
  ['A service in between', 'fixtures/services/mixed-permits/interop.yaml', 1],
  ['A closed, proprietary-feeling service', 'fixtures/services/poor-records/interop.yaml', 1],
  // The R4 vital signs profiles its Observation claims come from the HL7 package on npm.
  [
    'A care journal that speaks FHIR R4',
    'fixtures/services/care-journal/interop.yaml --fhir-package hl7.fhir.r4.examples',
    0,
  ],
]

let ok = true
for (const [title, file, expected] of services) {
  process.stdout.write(`\n=== ${title}: interop check ${file}\n\n`)
  const run = spawnSync(process.execPath, ['bin/run.js', 'check', ...file.split(' ')], {
    cwd: root,
    stdio: 'inherit',
  })
  process.stdout.write(
    `\n(exit code ${run.status}: ${['passed', 'findings over the threshold', 'bad input'][run.status] ?? 'unexpected'})\n`,
  )
  if (run.status !== expected) ok = false
}

// The reports a person files or reads: JSON once, then HTML, Markdown and PDF rendered from it, in
// English and Swedish, into reports/<service>/ (a fixed SOURCE_DATE_EPOCH makes them reproducible).
process.stdout.write(`\n=== The compliance reports, for people and for paper\n\n`)
const env = { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '1767225600' }
const written = []
for (const [, file] of services) {
  const [manifest, ...extra] = file.split(' ')
  const name = manifest.split('/').at(-2)
  const dir = `reports/${name}`
  mkdirSync(path.join(root, dir), { recursive: true })
  const run = (args, expected = [0]) => {
    const r = spawnSync(process.execPath, ['bin/run.js', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    if (!expected.includes(r.status)) {
      process.stderr.write(r.stderr)
      ok = false
    }
  }
  // The default threshold (fail on error), so that each report's verdict says whether the service passes.
  run(
    ['check', manifest, ...extra, '-f', 'json', '-o', `${dir}/report.json`, '--quiet', '--checksums'],
    [0, 1],
  )
  written.push(`${dir}/report.json`)
  for (const lang of ['en', 'sv'])
    for (const [format, ext] of [
      ['html', 'html'],
      ['markdown', 'md'],
      ['pdf', 'pdf'],
    ]) {
      const out = `${dir}/report${lang === 'en' ? '' : `.${lang}`}.${ext}`
      run(['report', 'render', `${dir}/report.json`, '-f', format, '--lang', lang, '-o', out, '--checksums'])
      written.push(out)
    }
}
process.stdout.write(
  `$ interop check <manifest> -f json -o reports/<service>/report.json\n$ interop report render reports/<service>/report.json -f html|markdown|pdf --lang en|sv -o …\n\n` +
    written.map((f) => `  ${f}`).join('\n') +
    '\n  reports/<service>/SHA256SUMS (sha256sum -c SHA256SUMS checks them)' +
    '\n',
)

// The well-fitting service again, now running: served over HTTPS on this machine and probed live.
process.stdout.write(`\n=== The same well-fitting service, running on this machine and probed live\n\n`)
const live = spawnSync(process.execPath, ['scripts/demo-live.js'], { cwd: root, stdio: 'inherit' })
if (live.status !== 0) ok = false

if (!ok) {
  process.stderr.write('\nThe demo did not end as expected: see above.\n')
  process.exit(1)
}
