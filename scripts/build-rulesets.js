// Writes generated/rulesets.json: each shipped ruleset file as data (its YAML parsed), with the
// SHA-256 of its text, once the ruleset has been loaded and checked in full by interop's own
// loader. A check then takes a shipped ruleset, or spectral:oas that Spectral rulesets extend, from
// there when the file still has that hash, instead of parsing and validating it again
// (src/core/prepared.ts, used by src/core/ruleset.ts and src/declarative/spectral.ts).
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = (module) => import(new URL(`../dist/${module}`, import.meta.url).href)
const { loadRuleset, shippedRulesetIds, SHIPPED_RULESETS_DIR } = await dist('core/ruleset.js')
const { preparedName, PREPARED_RULESETS } = await dist('core/prepared.js')
const { readLocalText } = await dist('loaders/reader.js')
const { parseSource } = await dist('loaders/source.js')

// Loaded from their files, so that each is checked as it is now.
rmSync(PREPARED_RULESETS, { force: true })
const prepared = {}
const prepare = async (full) => {
  const file = preparedName(full)
  // Read and parsed as the loader reads and parses it.
  const text = await readLocalText(full, file)
  const { value } = parseSource(text, pathToFileURL(full).href, file)
  prepared[file] = { sha256: createHash('sha256').update(text).digest('hex'), value }
}
for (const id of shippedRulesetIds()) {
  await loadRuleset(id)
  await prepare(path.join(SHIPPED_RULESETS_DIR, `${id}.yaml`))
}
// spectral:oas, which Spectral rulesets extend: checked with all its rules on, as a ruleset that
// extends it with `all` loads it.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'interop-rulesets-'))
try {
  const all = path.join(tmp, '.spectral.json')
  writeFileSync(all, JSON.stringify({ extends: [['spectral:oas', 'all']] }))
  await loadRuleset(all)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
await prepare(path.join(SHIPPED_RULESETS_DIR, 'spectral', 'oas.yaml'))
mkdirSync(path.dirname(PREPARED_RULESETS), { recursive: true })
writeFileSync(PREPARED_RULESETS, JSON.stringify(prepared) + '\n')
console.log(`generated/rulesets.json: ${Object.keys(prepared).length} shipped ruleset files, checked`)
