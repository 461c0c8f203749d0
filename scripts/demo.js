// Runs interop on the bundled example vendor services, as a user would from the command line.
// The poor service fails its check on purpose; the demo itself succeeds when both ran as expected.
import { spawnSync } from 'node:child_process'
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

// The well-fitting service again, now running: served over HTTPS on this machine and probed live.
process.stdout.write(`\n=== The same well-fitting service, running on this machine and probed live\n\n`)
const live = spawnSync(process.execPath, ['scripts/demo-live.js'], { cwd: root, stdio: 'inherit' })
if (live.status !== 0) ok = false

if (!ok) {
  process.stderr.write('\nThe demo did not end as expected: see above.\n')
  process.exit(1)
}
