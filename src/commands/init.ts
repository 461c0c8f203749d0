import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../base-command.js'
import { initManifest } from '../services/init.js'

export default class Init extends BaseCommand {
  static override summary = 'Write a commented starter service manifest (interop.yaml) for a folder.'
  static override description =
    'Looks for OpenAPI descriptions in the folder (and below it, skipping dependencies and build output) and writes interop.yaml naming them, with every other section of the manifest explained in comments. Edit it, then run `interop check`.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> path/to/repo --force',
  ]
  static override args = {
    dir: Args.string({ description: 'The folder to describe (the root of your repository).', default: '.' }),
  }
  static override flags = {
    force: Flags.boolean({ description: 'Overwrite an existing interop.yaml.' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init)
    const result = await initManifest({ dir: args.dir, force: flags.force })
    this.log(`Wrote ${result.file}`)
    if (result.apis.length)
      for (const a of result.apis) this.log(`  API: ${a.path}${a.title ? ` (${a.title})` : ''}`)
    else this.log('  No OpenAPI description found: name yours under apis.')
    this.log('Next: fill in the vendor and the declarations, then run `interop check`.')
  }
}
