import path from 'node:path'
import { Flags } from '@oclif/core'
import { BaseCommand } from '../../base-command.js'
import { writeRuleDocs } from '../../services/rule-docs.js'

export default class RulesDocs extends BaseCommand {
  static override summary = 'Write a Markdown page per rule, from its metadata and its test cases.'
  static override description =
    "Each page says what the rule checks, why it matters, how to fix a finding, the rulesets that use it (severity, weight, options), its options and messages, examples that pass and fail (from the rule's test cases) and its public sources. " +
    'An index (README.md) lists them all. Without --ruleset, every shipped rule; with it, the rules of those rulesets, including their declarative, module and Spectral rules.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --output docs/rules',
    '<%= config.bin %> <%= command.id %> --output docs/norrvik-rules --ruleset ./norrvik.yaml',
  ]
  static override flags = {
    output: Flags.string({
      char: 'o',
      description: 'The folder to write the pages into (created if needed).',
      required: true,
    }),
    ruleset: Flags.string({
      char: 'r',
      description:
        'Document the rules of this ruleset: a shipped id, a file or a ruleset package. Repeatable.',
      multiple: true,
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(RulesDocs)
    const written = await writeRuleDocs(path.resolve(flags.output), flags.ruleset ?? [])
    this.log(`Wrote ${written} rule pages and README.md to ${flags.output}`)
  }
}
