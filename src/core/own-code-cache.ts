// The bundle's loader imports this module before anything else, as an ES module: Node's modules are
// taken with process.getBuiltinModule rather than imported, which would wrap each in an ES module of
// all its exports (node:crypto's dozens) on every start.
const { createHash } = process.getBuiltinModule('node:crypto')
const { mkdirSync, readFileSync, renameSync, writeFileSync } = process.getBuiltinModule('node:fs')
const os = process.getBuiltinModule('node:os')
const path = process.getBuiltinModule('node:path')

/**
 * V8 takes a code cache only under the flags it was made with, and the caches the build saves
 * (dist/bundle, generated/validators) are made without any. Node run with flags of its own
 * (`NODE_OPTIONS=--max-old-space-size=4096` in a CI job, say) keeps caches for them in the user's
 * cache folder instead: this module says where, and writes them. Used by the bundle's loader
 * (scripts/bundle.js writes it) and by the validators' loader (precompiled.ts); the validators of a
 * ruleset's schema rules are kept in the same folder (declarative/schema-cache.ts).
 */

/** What this process was started with beyond its script: Node's own options. */
function nodeOptions(): string {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').trim()
}

/**
 * Where the code cache named `name` (a build's or a module's hash in it) is kept for the flags this
 * process runs with, or undefined when it runs with none (the build's own cache is the one then).
 */
export function ownCacheFile(name: string): string | undefined {
  const options = nodeOptions()
  if (!options) return undefined
  return path.join(
    cacheFolder(),
    `${name}-${createHash('sha256').update(options).digest('hex').slice(0, 16)}.cache`,
  )
}

/** The user's cache folder for interop: `$XDG_CACHE_HOME/interop`, or `~/.cache/interop`. */
export function cacheFolder(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'interop')
}

/** The first of these code caches there is (none: the code is compiled as usual). */
export function readCache(...files: (string | undefined)[]): Buffer | undefined {
  for (const file of files) {
    if (!file) continue
    try {
      return readFileSync(file)
    } catch {
      // not there: the next one
    }
  }
  return undefined
}

/**
 * Writes a code cache where ownCacheFile says: whole under another name, then renamed, so that a run
 * at the same time reads all of it or none. A folder that cannot be written to is no error: such
 * runs compile as usual.
 */
export function writeOwnCache(file: string, data: () => Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    const part = `${file}.${process.pid}`
    writeFileSync(part, data(), { mode: 0o600 })
    renameSync(part, file)
  } catch {
    // not written: later runs compile as this one did
  }
}
