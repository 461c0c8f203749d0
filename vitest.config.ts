import os from 'node:os'
import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.mjs'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // What a check keeps in the user's cache folder (the validators of a ruleset's schema rules) goes
    // to a folder of the tests' own, never to the home folder of whoever runs them.
    env: { XDG_CACHE_HOME: path.join(os.tmpdir(), 'interop-test-cache') },
    // @oclif/test captures output itself.
    disableConsoleIntercept: true,
    // The JSON report is what .ci/run reads to print "N passed, N failed".
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
})
