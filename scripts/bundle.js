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
// The bundle is CommonJS (dist/commands/check.cjs) and dist/commands/check.js, the module oclif
// imports, loads it through vm.Script so that V8 can be handed a code cache: the compiled code of
// the functions a check runs, made at the end of the build (scripts/code-cache.js). Without it, V8
// parses the 1.5 MB file and compiles each function on its first call in every run (~50 ms of a
// check). V8 rejects a cache made by another V8 version or under other flags, and the bundle then
// compiles as usual. The cache's name carries a hash of the bundle, so a cache always belongs to
// the bundle next to it (V8 itself only compares the length of the source).
//
// Paths our modules compute from import.meta.url ('../../schemas', '../../generated', …) stay right:
// the bundle sits at the same depth under the package root as every module it holds.
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const entry = 'dist/commands/check.js'
const bundle = 'dist/commands/check.cjs'
const MARK = '// Bundled by scripts/bundle.js'
if (readFileSync(path.join(root, entry), 'utf8').startsWith(MARK)) {
  console.log(`${entry}: bundled already`)
  process.exit(0)
}

const result = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
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
  // import() in code from a V8 code cache finds no module loader in Node 20: the packages imported
  // where they are used are required instead (all are CommonJS), and a user's module is imported
  // through the loader's own import() (src/core/import-file.ts).
  supported: { 'dynamic-import': false },
  // Our modules are ES modules: import.meta.url becomes the bundle's own URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
})

const out = result.metafile.outputs[bundle]
console.log(
  `${bundle}: ${Object.keys(out.inputs).length} modules in one file (${(out.bytes / 1024).toFixed(0)} KB)`,
)
// A package outside the bundle imported at the top of a module would load with every check.
const allowedAtTop = new Set(['@oclif/core', ...builtinModules])
const eager = new Set(
  Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports
      .filter((i) => i.external && i.kind === 'import-statement' && !/^(node:|<)/.test(i.path))
      .map((i) => i.path)
      .filter((p) => !allowedAtTop.has(p)),
  ),
)
if (eager.size) {
  console.error(`${entry}: import these where they are used, not at the top: ${[...eager].join(', ')}`)
  process.exit(1)
}

// The module oclif imports. It sets the flag the rule runner sets (V8 accepts a code cache only under
// the flags it was made with, and the runner sets it after the bundle is compiled).
const { REGEXP_FLAG } = await import(new URL('../dist/core/runner.js', import.meta.url).href)
const id = createHash('sha256')
  .update(readFileSync(path.join(root, bundle)))
  .digest('hex')
  .slice(0, 16)
// tsc's source map of the module this replaces, and caches of earlier bundles, go.
for (const f of readdirSync(path.join(root, 'dist/commands')))
  if (f === 'check.js.map' || /^check-[0-9a-f]+\.cache$/.test(f)) rmSync(path.join(root, 'dist/commands', f))
writeFileSync(
  path.join(root, entry),
  `${MARK}: loads ./check.cjs with the V8 code cache made for it at build (scripts/code-cache.js).
import { readFileSync, writeFileSync } from 'node:fs'
import { Module, createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import vm from 'node:vm'

const BUILD = '${id}'
const file = fileURLToPath(new URL('./check.cjs', import.meta.url))
const cacheFile = path.join(path.dirname(file), \`check-\${BUILD}.cache\`)
v8.setFlagsFromString('${REGEXP_FLAG}')
let cachedData
try {
  cachedData = readFileSync(cacheFile)
} catch {
  // no cache: compiled as usual
}
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
})
globalThis[Symbol.for('interop.import')] = (url) => import(url)
const module = { exports: {} }
script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file))
if (process.env.INTEROP_WRITE_CODE_CACHE === BUILD)
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()))
export default module.exports.default
`,
)
