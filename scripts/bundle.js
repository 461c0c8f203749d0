// Makes the check command one file: dist/commands/check.js, as tsc wrote it, is bundled with every
// module of ours and every package it imports into that same file (esbuild).
//
// Why: Node loads an ES module graph file by file, each read, resolved and linked on its own; the
// ~200 modules a check imports (65 rules with their helpers, ajv, yaml, …) took 0.1–0.2 s of every
// run, most of it waiting between files. As one file they take a few tens of milliseconds. Only
// `check` is bundled: it is the command pipelines run on every commit; the others stay as tsc
// wrote them.
//
// What stays outside the bundle, loaded from node_modules as before:
// - @oclif/core: the command class must extend the Command of the oclif that runs it;
// - packages that read their own files at run time (pdfkit's font metrics) or load code
//   themselves (jiti, swagger-parser via its resolver, fhirpath via createRequire);
// - large packages only some checks need: undici (live probes, remote $refs; a megabyte of code
//   to compile) and handlebars (HTML and Markdown reports).
// An import of a package left outside is hoisted to the top of the bundle by esbuild, so such
// packages are imported where they are used (`await import(...)`) to stay lazy.
//
// Paths our modules compute from import.meta.url ('../../schemas', '../../generated', …) stay right:
// the bundle sits at the same depth under the package root as every module it holds.
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const entry = 'dist/commands/check.js'
const MARK = '// Bundled by scripts/bundle.js'
if (readFileSync(path.join(root, entry), 'utf8').startsWith(MARK)) {
  console.log(`${entry}: bundled already`)
  process.exit(0)
}

const result = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // ESM builds first: a UMD main (jsonc-parser's) hides its requires from the bundler.
  mainFields: ['module', 'main'],
  external: [
    '@oclif/core',
    'pdfkit',
    'jiti',
    '@apidevtools/swagger-parser',
    'fhirpath',
    'undici',
    'handlebars',
  ],
  // CommonJS packages in an ES module bundle call require() for Node's built-ins.
  banner: {
    js:
      MARK +
      "\nimport { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
})

const out = result.metafile.outputs[entry]
const external = new Set(
  out.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path),
)
const hoisted = [...external].filter(
  (p) => !out.imports.some((i) => i.path === p && i.kind === 'dynamic-import'),
)
console.log(
  `${entry}: ${Object.keys(out.inputs).length} modules in one file (${(out.bytes / 1024).toFixed(0)} KB)`,
)
// A package outside the bundle imported at the top of a module would load with every check.
const allowedAtTop = new Set(['@oclif/core', ...builtinModules])
const eager = hoisted.filter((p) => !allowedAtTop.has(p))
if (eager.length) {
  console.error(`${entry}: import these where they are used, not at the top: ${eager.join(', ')}`)
  process.exit(1)
}
