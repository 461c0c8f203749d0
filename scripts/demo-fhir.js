// Checks the care journal fixture against a real FHIR R4 server on this machine: Medplum's FHIR
// router with its in-memory repository, served over HTTPS by dist/testing/fhir-server.js with a
// certificate made for the demo, static and live results together, as a user would run them.
// `node scripts/demo-fhir.js --non-conformant` uses a server that breaks the FHIR RESTful API.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFhirServer, startNonConformantFhirServer } from '../dist/testing/fhir-server.js'
import { careJournalOnThisMachine, localhostCertificate } from '../dist/testing/local.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const sloppy = process.argv.includes('--non-conformant')
const token = 'demo-fhir-token-5e7a9c1b'
const pems = await localhostCertificate(365)
const server = await (sloppy ? startNonConformantFhirServer : startFhirServer)({
  cert: pems.cert,
  key: pems.key,
  token,
})
const dir = mkdtempSync(path.join(tmpdir(), 'interop-fhir-demo-'))
let status = 2
try {
  careJournalOnThisMachine(path.join(dir, 'care-journal'), server.baseUrl, 'INTEROP_CARE_JOURNAL_TOKEN')
  writeFileSync(path.join(dir, 'demo-ca.pem'), pems.cert)
  const args = ['check', 'care-journal/interop.yaml', '-r', 'fhir', '--fhir-package', 'hl7.fhir.r4.examples']
  args.push('--live', '--allow-private', '--ca', 'demo-ca.pem')
  process.stdout.write(`$ interop ${args.join(' ')}\n`)
  status = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/run.js'), ...args], {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, INTEROP_CARE_JOURNAL_TOKEN: token },
    })
    child.on('close', (code) => resolve(code ?? 2))
  })
} finally {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
process.exitCode = status === (sloppy ? 1 : 0) ? 0 : 1
