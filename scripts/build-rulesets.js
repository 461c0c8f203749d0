// Writes generated/rulesets.json: each shipped ruleset as data (its YAML parsed), with the SHA-256
// of its text, once the ruleset has been loaded and checked in full by interop's own loader. A
// check then takes a shipped ruleset from there when the file still has that hash, instead of
// parsing and validating it again (src/core/ruleset.ts, preparedRuleset).
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = (module) => import(new URL(`../dist/${module}`, import.meta.url).href)
const { loadRuleset, shippedRulesetIds, PREPARED_RULESETS, SHIPPED_RULESETS_DIR } =
  await dist('core/ruleset.js')
const { readLocalText } = await dist('loaders/reader.js')
const { parseSource } = await dist('loaders/source.js')

// Loaded from their files, so that each is checked as it is now.
rmSync(PREPARED_RULESETS, { force: true })
const prepared = {}
for (const id of shippedRulesetIds()) {
  await loadRuleset(id)
  const file = `${id}.yaml`
  const full = path.join(SHIPPED_RULESETS_DIR, file)
  // Read and parsed as the loader reads and parses it.
  const text = await readLocalText(full, file)
  const { value } = parseSource(text, pathToFileURL(full).href, file)
  prepared[file] = { sha256: createHash('sha256').update(text).digest('hex'), value }
}
mkdirSync(path.dirname(PREPARED_RULESETS), { recursive: true })
writeFileSync(PREPARED_RULESETS, JSON.stringify(prepared) + '\n')
console.log(`generated/rulesets.json: ${Object.keys(prepared).length} shipped rulesets, checked`)
