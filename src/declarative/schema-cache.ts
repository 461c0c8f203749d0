import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Module, createRequire } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import type { Ajv, ValidateFunction } from 'ajv'
import standaloneModule from 'ajv/dist/standalone/index.js'
import { cacheFolder, writeOwnCache } from '../core/own-code-cache.js'
import { ajvVersion, runCommonJs, withQuickPointerEscapes } from '../core/precompiled.js'

const require = createRequire(import.meta.url)

// ajv's standalone code generator is CommonJS; under NodeNext its default import is typed as a module.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
  standaloneModule) as unknown as (ajv: Ajv, validate: ValidateFunction) => string

/**
 * The validator of a JSON Schema a ruleset's `schema` rule gives, compiled by ajv once per schema
 * and then kept, as the module ajv writes for it (its standalone code), in the user's cache folder
 * (`$XDG_CACHE_HOME/interop` or `~/.cache/interop`). ajv turning a schema into code costs a
 * millisecond or two a schema, in every run: NL ADR's six took 8–10 ms of every check with it,
 * where loading their modules takes half a millisecond. The module is named after the schema's
 * JSON, the ajv instance's options (`variant`) and ajv's version, so a module is only ever taken
 * for the schema it was made from; one that does not load is compiled again. The folder is the
 * user's own, as for the compiled code of Node run with flags (own-code-cache.ts); a folder that
 * cannot be written to only means the schemas are compiled in every run.
 */
export function cachedValidator(
  schema: object,
  variant: string,
  compile: () => { ajv: Ajv; validate: ValidateFunction },
): ValidateFunction {
  const hash = createHash('sha256')
    .update(`${ajvVersion()}\n${variant}\n${JSON.stringify(schema)}`)
    .digest('hex')
    .slice(0, 32)
  const file = path.join(cacheFolder(), `schema-${hash}.cjs`)
  const kept = load(file)
  if (kept) return kept
  const { ajv, validate } = compile()
  // Written as the process ends, all at once (one 'exit' listener for them).
  if (!pending.length) process.once('exit', writePending)
  pending.push({ file, ajv, validate })
  return validate
}

const pending: { file: string; ajv: Ajv; validate: ValidateFunction }[] = []

function writePending(): void {
  for (const { file, ajv, validate } of pending.splice(0))
    writeOwnCache(file, () => Buffer.from(withQuickPointerEscapes(standaloneCode(ajv, validate))))
}

/** A kept validator module, run as require runs a module (its requires are ajv's, from here). */
function load(file: string): ValidateFunction | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  try {
    const exports = runCommonJs(new vm.Script(Module.wrap(text), { filename: file }), file, require)
    return typeof exports === 'function' ? (exports as ValidateFunction) : undefined
  } catch {
    return undefined
  }
}
