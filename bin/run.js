#!/usr/bin/env node
// Before anything else oclif checks that Node satisfies @oclif/core's own `engines` range, loading the
// semver package for it (some 10-15 ms of every start). interop's own range is narrower, and npm
// checks it at install.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'

// The build bundles @oclif/core with the check command into one file that starts from V8's compiled
// code (scripts/bundle.js); a tree where only tsc has run uses @oclif/core from node_modules.
let oclif
try {
  ;({ oclif } = await import('../dist/bundle/cli.js'))
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !/dist[\\/]bundle[\\/]cli\.js/.test(String(e.message))) throw e
  oclif = await import('@oclif/core')
}

await oclif.execute({ dir: import.meta.url })
