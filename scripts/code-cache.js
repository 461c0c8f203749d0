// The last step of the build: runs `interop check` on the bundled example services so that the
// bundle's loader (dist/bundle/cli.js, written by scripts/bundle.js) saves V8's compiled code of the
// functions a check runs, next to the bundle, and the modules of validators a check loads
// (generated/validators/*.cjs, src/core/precompiled.ts) theirs, next to each. Later runs start from
// that code instead of compiling again. Each run starts from the cache the one before wrote and adds
// what it compiled: a service with a manifest and YAML documents, then the same service's
// description as JSON (written to a copy of the service in a temporary folder), so both kinds of
// parsing are in the cache, then that description with a Spectral ruleset.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const loader = readFileSync(path.join(root, 'dist/bundle/cli.js'), 'utf8')
const id = loader.match(/^const BUILD = '([0-9a-f]+)'$/m)?.[1]
if (!id) {
  console.error('dist/bundle/cli.js is not the loader scripts/bundle.js writes: run the build')
  process.exit(1)
}

const service = path.join(root, 'fixtures/services/mixed-permits')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'interop-code-cache-'))
try {
  cpSync(service, tmp, { recursive: true })
  writeFileSync(
    path.join(tmp, 'openapi.json'),
    JSON.stringify(parse(readFileSync(path.join(service, 'openapi.yaml'), 'utf8')), null, 2),
  )
  // A Spectral ruleset too (Spectral's own OpenAPI rules, as interop ships them): loading one
  // (JSONPath, core functions, the schemas of `schema` rules compiled by ajv) is code the other runs
  // do not reach, some 5 ms of every check with a Spectral ruleset.
  writeFileSync(path.join(tmp, 'spectral.yaml'), 'extends: spectral:oas\n')
  const runs = [
    [path.join(service, 'interop.yaml'), '--format', 'json'],
    [path.join(tmp, 'openapi.json'), '--ruleset', 'municipal-baseline', '--format', 'text'],
    [path.join(tmp, 'openapi.json'), '--ruleset', path.join(tmp, 'spectral.yaml'), '--format', 'json'],
  ]
  for (const args of runs) {
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'bin/run.js'), 'check', ...args, '--fail-on', 'none', '--no-config', '--quiet'],
      {
        cwd: tmp,
        // A cache folder of their own: the checks compile what a first check compiles (the
        // validators of a ruleset's schema rules, schema-cache.ts), not take it from the user's.
        env: { ...process.env, INTEROP_WRITE_CODE_CACHE: id, XDG_CACHE_HOME: path.join(tmp, '.cache') },
        encoding: 'utf8',
      },
    )
    if (run.status !== 0) {
      console.error(`code cache: interop check ${args.join(' ')} exited ${run.status}\n${run.stderr}`)
      process.exit(1)
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
const cache = readdirSync(path.join(root, 'dist/bundle')).find((f) => f === `cli-${id}.cache`)
if (!cache) {
  console.error('code cache: no cache was written')
  process.exit(1)
}
const kb = statSync(path.join(root, 'dist/bundle', cache)).size / 1024
console.log(`dist/bundle/${cache}: compiled code for oclif and the check command (${kb.toFixed(0)} KB)`)
// The modules of validators the checks loaded (src/core/precompiled.ts) saved theirs too.
const validators = readdirSync(path.join(root, 'generated/validators')).filter((f) => f.endsWith('.cache'))
console.log(
  `generated/validators: compiled code for ${validators.map((f) => f.replace(/-[0-9a-f]+\.cache$/, '')).join(', ')}`,
)
