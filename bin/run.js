#!/usr/bin/env node
// Before anything else oclif checks that Node satisfies @oclif/core's own `engines` range, loading the
// semver package for it (some 10-15 ms of every start). interop's own range is narrower, and npm
// checks it at install.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
const { execute } = await import('@oclif/core')

await execute({ dir: import.meta.url })
