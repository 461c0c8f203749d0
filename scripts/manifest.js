// Writes oclif.manifest.json: the commands with their flags and help, so that the CLI finds a
// command without importing every command module (and the rules, loaders and validators they use)
// at start-up. The same manifest `oclif manifest` writes, from @oclif/core's own plugin loader.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Plugin } from '@oclif/core'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true })
await plugin.load()
writeFileSync(
  new URL('../oclif.manifest.json', import.meta.url),
  JSON.stringify(plugin.manifest, null, 2) + '\n',
)
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
