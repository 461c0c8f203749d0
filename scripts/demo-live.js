// Probes the well-fitting example service live: the good library's description is served over HTTPS
// on 127.0.0.1 by the example service (dist/testing/example-service.js), with a certificate made for
// the demo, and `interop check --live` is run against it as a user would.
// `node scripts/demo-live.js --misbehave` serves it with every fault the live rules look for.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FAULTS, startExampleService } from '../dist/testing/example-service.js'
import { libraryOnThisMachine, localhostCertificate } from '../dist/testing/local.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const misbehave = process.argv.includes('--misbehave')

const pems = await localhostCertificate(misbehave ? 10 : 365)
// Demo credentials, handed to interop through the environment variables the manifest names.
const env = {
  INTEROP_LIBRARY_TOKEN: 'demo-token-7c1e0b5a',
  INTEROP_LIBRARY_CLIENT_ID: 'demo-client',
  INTEROP_LIBRARY_CLIENT_SECRET: 'demo-secret-42f9d1c3',
}
const dir = mkdtempSync(path.join(tmpdir(), 'interop-demo-'))
const service = await startExampleService({
  openapi: path.join(dir, 'good-library', 'openapi.yaml'),
  basePath: '/library/v1',
  cert: pems.cert,
  key: pems.key,
  token: env.INTEROP_LIBRARY_TOKEN,
  clients: [{ id: env.INTEROP_LIBRARY_CLIENT_ID, secret: env.INTEROP_LIBRARY_CLIENT_SECRET }],
  faults: misbehave ? FAULTS : [],
})
let status = 2
try {
  // A copy of the fixture whose production and sandbox (and identity provider) are this machine.
  libraryOnThisMachine(path.join(dir, 'good-library'), service.port)
  writeFileSync(path.join(dir, 'demo-ca.pem'), pems.cert)
  // The demo's base URLs are this machine, which public-hostnames rightly rejects for a real service.
  writeFileSync(
    path.join(dir, 'on-this-machine.yaml'),
    [
      'id: on-this-machine',
      'version: 1.0.0',
      'title: Municipal baseline, for a service running on this machine',
      'extends: [municipal-baseline]',
      'rules:',
      '  public-hostnames: off',
      '',
    ].join('\n'),
  )
  const args = [
    'check',
    'good-library/interop.yaml',
    '-r',
    'on-this-machine.yaml',
    '--live',
    '--allow-private',
    '--ca',
    'demo-ca.pem',
  ]
  if (!misbehave) args.push('--save-inputs', 'recorded')
  /** Runs interop in the demo folder, its output on this terminal; resolves to its exit code. */
  const interop = (argv, extraEnv = {}) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(root, 'bin/run.js'), ...argv], {
        cwd: dir,
        stdio: 'inherit',
        env: { ...process.env, ...extraEnv },
      })
      child.on('close', (code) => resolve(code ?? 2))
    })
  process.stdout.write(`$ interop ${args.join(' ')}\n`)
  status = await interop(args, env)
  if (!misbehave && status === 0) {
    // The recording replays without the service.
    await service.close()
    const replay = [
      'check',
      'good-library/interop.yaml',
      '-r',
      'on-this-machine.yaml',
      '--from-inputs',
      'recorded',
      '--quiet',
    ]
    process.stdout.write(`\n$ interop ${replay.join(' ')}\n`)
    status = await interop(replay)
    // The same replay as reports with the live evidence in them, for people and for paper.
    const out = path.join(root, 'reports', 'good-library-live')
    mkdirSync(out, { recursive: true })
    for (const format of ['html', 'pdf']) {
      const code = await interop([...replay, '-f', format, '-o', path.join(out, `report.${format}`)])
      if (code !== 0) status = code
    }
    process.stdout.write(`\nWrote reports/good-library-live/report.html and report.pdf\n`)
  }
} finally {
  await service.close().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
}
process.exitCode = status === (misbehave ? 1 : 0) ? 0 : 1
