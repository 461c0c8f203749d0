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

// The command has done its work and written its output: the process ends now, once standard output
// and error have taken what was written to them (at once where writes to them are synchronous, as to
// files, terminals and, on Linux, pipes), instead of when nothing is left on the event loop. That
// wait finished a garbage collection V8 had begun and tore down the heap, some 5% of a check of
// Docker Engine's description (~15 ms), and would wait for any keep-alive socket a live check left.
// 'exit' listeners run as before, and the exit code is the one the command set.
const drained = (stream) =>
  stream.writableLength === 0 || stream.destroyed
    ? undefined
    : new Promise((resolve) => {
        stream.once('drain', resolve)
        stream.once('close', resolve)
        stream.once('error', resolve)
      })
await Promise.all([drained(process.stdout), drained(process.stderr)])
process.exit()
