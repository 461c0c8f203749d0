// Makes the CLI's hot path one file, dist/bundle/cli.cjs (esbuild): @oclif/core and the check
// command, with every module of ours and every package it imports.
//
// Why: Node loads a module graph file by file, each read, resolved and compiled on its own. The ~200
// modules a check imports (65 rules with their helpers, ajv, yaml, …) took 0.1–0.2 s of every run,
// and @oclif/core's ~90 files (with ejs, semver, minimatch, …) another 50–60 ms before any command
// ran. As one file, compiled from a V8 code cache, they take a few tens of milliseconds. Only `check`
// is bundled: it is the command pipelines run on every commit; the other commands stay as tsc wrote
// them, and their `import '@oclif/core'` finds the bundled oclif (see the loader below), so that
// every command, and the @oclif/plugin-plugins commands, run under the one oclif that runs the CLI.
//
// What stays outside the bundle, loaded from node_modules as before:
// - packages that read their own files at run time (pdfkit's font metrics) or load code
//   themselves (jiti, swagger-parser via its resolver, fhirpath via createRequire);
// - large packages only some checks need: undici (live probes, remote $refs; a megabyte of code
//   to compile) and handlebars (HTML and Markdown reports);
// - TypeScript and ts-node, which oclif loads only to run a CLI from its sources.
// An import of a package left outside is hoisted to the top of the bundle by esbuild, so such
// packages are imported where they are used (`await import(...)`) to stay lazy.
//
// The bundle is CommonJS, and dist/bundle/cli.js, the module bin/run.js imports, loads it through
// vm.Script so that V8 can be handed a code cache: the compiled code of the functions a check runs,
// made at the end of the build (scripts/code-cache.js). Without it, V8 parses the file and compiles
// each function on its first call in every run (~50 ms of a check). V8 rejects a cache made by
// another V8 version or under other flags, and the bundle then compiles as usual. The cache's name
// carries a hash of the bundle, so a cache always belongs to the bundle next to it (V8 itself only
// compares the length of the source). The check command's module (dist/commands/check.js, where
// oclif's manifest says it is) becomes a line that takes the command from the bundle; the bundle
// evaluates the check command's modules only then, so other commands do not pay for them.
//
// import() in code from a V8 code cache finds no module loader in Node 20: the packages our modules
// import where they are used are required instead (all are CommonJS), and a user's module is
// imported through the loader's own import() (src/core/import-file.ts), as are the command modules
// oclif imports (its module-loader's import() calls are pointed at it here).
//
// Paths our modules compute from import.meta.url ('../../schemas', '../../generated', …) stay right:
// the bundle sits at the same depth under the package root as every module it holds.
import { tokenizer, tokTypes } from 'acorn'
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const command = 'dist/commands/check.js'
const bundle = 'dist/bundle/cli.cjs'
const loader = 'dist/bundle/cli.js'
const MARK = '// Bundled by scripts/bundle.js'
if (readFileSync(path.join(root, command), 'utf8').startsWith(MARK)) {
  console.log(`${command}: bundled already`)
  process.exit(0)
}

// oclif imports a command's module with import(), which code from a V8 code cache cannot call in
// Node 20: its module loader's import() calls go to the loader's own import() instead.
const OCLIF_MODULE_LOADER = /[\\/]@oclif[\\/]core[\\/]lib[\\/]module-loader\.js$/
// oclif sorts each plugin's commands with localeCompare when it loads them, in every run: the first
// localeCompare of a process loads ICU's collation data (some 6 ms here). Command ids are ASCII
// words and colons, which the code units order as the collation does.
const OCLIF_PLUGIN = /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/
const OCLIF_COMMAND_SORT = '.sort((a, b) => a.id.localeCompare(b.id))'
const BY_CODE_UNITS = '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'
const oclifPatches = {
  name: 'oclif-patches',
  setup(b) {
    b.onLoad({ filter: OCLIF_PLUGIN }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (text.split(OCLIF_COMMAND_SORT).length !== 2)
        throw new Error(
          `${args.path}: expected oclif's sort of a plugin's commands by localeCompare; update scripts/bundle.js`,
        )
      return { contents: text.replace(OCLIF_COMMAND_SORT, BY_CODE_UNITS), loader: 'js' }
    })
    b.onLoad({ filter: OCLIF_MODULE_LOADER }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      const calls = text.split('await import(').length - 1
      // An oclif that loads modules some other way would fail at run time: stop the build instead.
      if (calls !== 3)
        throw new Error(
          `${args.path}: expected 3 import() calls to redirect, found ${calls}; update scripts/bundle.js`,
        )
      return { contents: text.replaceAll('await import(', 'await __hostImport('), loader: 'js' }
    })
  },
}

mkdirSync(path.join(root, 'dist/bundle'), { recursive: true })
const result = await build({
  absWorkingDir: root,
  // The bundle's exports: oclif, and the check command, whose modules run when it is first asked for.
  stdin: {
    contents: [
      "exports.oclif = require('@oclif/core')",
      "Object.defineProperty(exports, 'Check', { get: () => require('../commands/check.js').default })",
    ].join('\n'),
    resolveDir: path.join(root, 'dist/bundle'),
    sourcefile: 'dist/bundle/cli-entry.cjs',
    loader: 'js',
  },
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ESM builds first: a UMD main (jsonc-parser's) hides its requires from the bundler.
  mainFields: ['module', 'main'],
  external: [
    'pdfkit',
    'jiti',
    '@apidevtools/swagger-parser',
    'fhirpath',
    'undici',
    'handlebars',
    // What oclif loads to run a CLI from its TypeScript sources, never in a built one.
    'typescript',
    'ts-node',
  ],
  plugins: [oclifPatches],
  // import() in code from a V8 code cache finds no module loader in Node 20: the packages imported
  // where they are used are required instead (all are CommonJS), and a user's module is imported
  // through the loader's own import() (src/core/import-file.ts).
  supported: { 'dynamic-import': false },
  // Our modules are ES modules: import.meta.url becomes the bundle's own URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: {
    js: [
      "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
      "var __hostImport = (url) => globalThis[Symbol.for('interop.import')](url);",
    ].join('\n'),
  },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
})

// The bundle is made ASCII, so that its loader reads it as latin1: a copy of the bytes into a string
// of one byte a character, instead of decoding UTF-8 into one of two bytes a character (2.4 MB: 3
// against 11 ms, and V8 hashes and scans the shorter string). esbuild escapes what is not ASCII in
// strings, templates and names; what it leaves is in comments and regular expression literals
// (acorn's tokenizer finds them), where a \uXXXX escape means the same character, unless it
// follows a backslash. Anywhere else the build stops rather than change what the code means.
{
  const file = path.join(root, bundle)
  const text = readFileSync(file, 'utf8')
  const escapable = []
  const tokens = tokenizer(text, {
    ecmaVersion: 'latest',
    allowHashBang: true,
    allowReturnOutsideFunction: true,
    onComment: (block, _text, start, end) => escapable.push([start, end]),
  })
  for (const t of tokens) if (t.type === tokTypes.regexp) escapable.push([t.start, t.end])
  escapable.sort((a, b) => a[0] - b[0])
  let next = 0
  const ascii = text.replace(/[\u0080-\uffff]/g, (c, at) => {
    while (next < escapable.length && escapable[next][1] <= at) next++
    const range = escapable[next]
    if (!range || at < range[0] || text[at - 1] === '\\') {
      const line = text.slice(0, at).split('\n').length
      console.error(
        `${bundle}:${line}: ${JSON.stringify(c)} outside a comment or regular expression; update scripts/bundle.js`,
      )
      process.exit(1)
    }
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
  writeFileSync(file, ascii)
}
const out = result.metafile.outputs[bundle]
console.log(
  `${bundle}: ${Object.keys(out.inputs).length} modules in one file (${(out.bytes / 1024).toFixed(0)} KB)`,
)
// A package outside the bundle imported at the top of one of our modules would load with every check.
const allowedAtTop = new Set(builtinModules)
const eager = new Set(
  Object.entries(result.metafile.inputs)
    .filter(([file]) => file.startsWith('dist/'))
    .flatMap(([, input]) =>
      input.imports
        .filter((i) => i.external && i.kind === 'import-statement' && !/^(node:|<)/.test(i.path))
        .map((i) => i.path)
        .filter((p) => !allowedAtTop.has(p)),
    ),
)
if (eager.size) {
  console.error(`${command}: import these where they are used, not at the top: ${[...eager].join(', ')}`)
  process.exit(1)
}

// The module bin/run.js imports. It sets the V8 flags the rule runner sets (V8 accepts a code cache
// only under the flags it was made with, and the runner sets them after the bundle is compiled).
const { V8_FLAGS } = await import(new URL('../dist/core/runner.js', import.meta.url).href)
const id = createHash('sha256')
  .update(readFileSync(path.join(root, bundle)))
  .digest('hex')
  .slice(0, 16)
// tsc's source map of the module the command's line replaces, caches of earlier bundles, and the
// files of the build before the bundle moved to dist/bundle, go.
const stale = [
  ['dist/commands', /^(check\.js\.map|check\.cjs(\.map)?|check-[0-9a-f]+\.cache)$/],
  ['dist/bundle', /^cli-[0-9a-f]+\.cache$/],
]
for (const [dir, re] of stale)
  for (const f of readdirSync(path.join(root, dir))) if (re.test(f)) rmSync(path.join(root, dir, f))
// Node's own modules that @oclif/core loads as it starts, loaded by the loader before it sets the V8
// flags: Node compiles its modules with a code cache made under no flags, which V8 refuses once a
// flag is set, and each module loaded after that is compiled from its source (these: 8 against 2 ms
// on every run). test/cli/bundle.test.ts checks that a check loads none after the flags.
// The loader takes Node's modules with process.getBuiltinModule, not `import`: an imported one is
// wrapped in an ES module of all its exports (node:process and node:crypto enumerate dozens), some
// 4 ms of every start for these.
const EARLY_BUILTINS = ['child_process', 'fs/promises', 'net', 'perf_hooks', 'process', 'readline', 'tty']
writeFileSync(
  path.join(root, loader),
  `${MARK}: loads ./cli.cjs, @oclif/core and the check command, with the V8 code cache made for it
// at build (scripts/code-cache.js).
const { readFileSync, writeFileSync } = process.getBuiltinModule('node:fs')
const { Module, createRequire } = process.getBuiltinModule('node:module')
const path = process.getBuiltinModule('node:path')
const { fileURLToPath } = process.getBuiltinModule('node:url')
const v8 = process.getBuiltinModule('node:v8')
const vm = process.getBuiltinModule('node:vm')
for (const m of ${JSON.stringify(EARLY_BUILTINS)}) process.getBuiltinModule('node:' + m)
import { ownCacheFile, readCache, writeOwnCache } from '../core/own-code-cache.js'

const BUILD = '${id}'
const file = fileURLToPath(new URL('./cli.cjs', import.meta.url))
const buildCache = path.join(path.dirname(file), \`cli-\${BUILD}.cache\`)
for (const flag of ${JSON.stringify(V8_FLAGS)}) v8.setFlagsFromString(flag)
// V8 takes a code cache only under the flags it was made with. Node run with flags of its own
// (NODE_OPTIONS=--max-old-space-size=4096 in a CI job, say) has a cache of its own for them, in the
// user's cache folder (src/core/own-code-cache.ts), made by the first check run under them (a check
// compiles what checks run).
const ownCache = ownCacheFile(\`cli-\${BUILD}\`)
const cachedData = readCache(ownCache, buildCache)
const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
})
globalThis[Symbol.for('interop.import')] = (url) => import(url)
const require = createRequire(file)
const module = { exports: {} }
script.runInThisContext().call(module.exports, module.exports, require, module, file, path.dirname(file))
if (process.env.INTEROP_WRITE_CODE_CACHE === BUILD)
  process.once('exit', () => writeFileSync(buildCache, script.createCachedData()))
else if (ownCache && process.argv[2] === 'check' && (!cachedData || script.cachedDataRejected))
  process.once('exit', () => writeOwnCache(ownCache, () => script.createCachedData()))

// The other commands' modules, and oclif plugins', import '@oclif/core' from node_modules: they find
// the bundled one in require's cache (which import() of a CommonJS module reads too), so that one
// oclif runs every command.
const core = require.resolve('@oclif/core')
if (!Module._cache[core]) {
  const m = new Module(core)
  m.filename = core
  m.paths = Module._nodeModulePaths(path.dirname(core))
  m.exports = module.exports.oclif
  m.loaded = true
  Module._cache[core] = m
}

export const oclif = module.exports.oclif
/** The check command, its modules evaluated on first use. */
export const checkCommand = () => module.exports.Check
`,
)
writeFileSync(
  path.join(root, command),
  `${MARK}: the check command is in ../bundle/cli.cjs.
import { checkCommand } from '../bundle/cli.js'

export default checkCommand()
`,
)
