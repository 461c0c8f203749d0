import { Args, Flags } from '@oclif/core'
import { loadRuleset } from '../../core/ruleset.js'
import { BaseCommand } from '../../base-command.js'
import { ruleDetails } from '../../services/catalog.js'

export default class RulesShow extends BaseCommand {
  static override summary =
    'Show a rule: why it matters, how to fix a finding, its public sources, options and messages.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> problem-details',
    '<%= config.bin %> <%= command.id %> semver --json',
    '<%= config.bin %> <%= command.id %> nlgov:semver --ruleset ./nl-adr.yaml',
  ]
  static override enableJsonFlag = true
  static override flags = {
    ruleset: Flags.string({
      char: 'r',
      description:
        "Also look among this ruleset's rules (its declarative, module and Spectral rules): a shipped id, a file or a ruleset package. Repeatable.",
      multiple: true,
    }),
  }
  static override args = {
    id: Args.string({ description: 'The rule id, e.g. problem-details.', required: true }),
  }

  async run(): Promise<object> {
    const { args, flags } = await this.parse(RulesShow)
    const rulesets = flags.ruleset?.length
      ? await Promise.all(flags.ruleset.map((r) => loadRuleset(r)))
      : undefined
    const { meta, usedBy } = await ruleDetails(args.id, rulesets)
    const data = { ...meta, usedBy }
    if (!this.jsonEnabled()) {
      this.log(`${meta.id}: ${meta.title}`)
      this.log(`When it fails: ${meta.failureTitle}`)
      this.log(`\n${meta.description}`)
      this.log(`\nHow to fix: ${meta.fix}`)
      this.log(`\nNeeds: ${meta.requires.join(', ')}`)
      this.log('\nSources:')
      for (const s of meta.sources) this.log(`  ${s.title} <${s.url}>`)
      const props = (meta.options?.properties ?? {}) as Record<
        string,
        { description?: string; default?: unknown; enum?: unknown[] }
      >
      if (Object.keys(props).length) {
        this.log('\nOptions:')
        for (const [name, p] of Object.entries(props)) {
          const allowed = p.enum ? ` (one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')})` : ''
          this.log(`  ${name}: ${p.description ?? ''}${allowed} default ${JSON.stringify(p.default)}`)
        }
      }
      this.log('\nMessages:')
      for (const [id, text] of Object.entries(meta.messages)) this.log(`  ${id}: ${text}`)
      this.log('\nUsed by:')
      if (!usedBy.length) this.log('  no ruleset')
      for (const u of usedBy) {
        const opts = Object.keys(u.options).length ? `, options ${JSON.stringify(u.options)}` : ''
        this.log(`  ${u.rulesetId}: ${u.severity}, weight ${u.weight}${opts}`)
      }
    }
    return data
  }
}
