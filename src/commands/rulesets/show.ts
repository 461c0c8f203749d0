import { Args } from '@oclif/core'
import { BaseCommand } from '../../base-command.js'
import { loadRuleset, type Ruleset } from '../../core/ruleset.js'

export default class RulesetsShow extends BaseCommand {
  static override summary =
    'Show a ruleset: what it is for, its sources, and each rule with severity, weight and options.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> open-standards',
    '<%= config.bin %> <%= command.id %> ./my-municipality.yaml --json',
  ]
  static override enableJsonFlag = true
  static override args = {
    id: Args.string({ description: 'A shipped ruleset id or the path of a ruleset file.', required: true }),
  }

  async run(): Promise<object> {
    const { args } = await this.parse(RulesetsShow)
    const rs: Ruleset = await loadRuleset(args.id)
    const data = {
      id: rs.id,
      version: rs.version,
      title: rs.title,
      description: rs.description,
      sources: rs.sources,
      origin: rs.origin,
      sha256: rs.sha256,
      rules: rs.rules.map((e) => ({
        id: e.ruleId,
        title: e.rule.meta.title,
        severity: e.severity,
        weight: e.weight,
        options: e.options,
      })),
    }
    if (!this.jsonEnabled()) {
      this.log(`${rs.title} (${rs.id} ${rs.version}, ${rs.origin.kind}: ${rs.origin.path})`)
      if (rs.description) this.log(`\n${rs.description}`)
      if (rs.sources.length) {
        this.log('\nSources:')
        for (const s of rs.sources) this.log(`  ${s.title} <${s.url}>`)
      }
      this.log('\nRules:')
      const w = Math.max(...data.rules.map((r) => r.id.length))
      for (const r of data.rules) {
        const opts = Object.keys(r.options).length ? `  ${JSON.stringify(r.options)}` : ''
        this.log(`  ${r.id.padEnd(w)}  ${r.severity.padEnd(5)}  weight ${r.weight}  ${r.title}${opts}`)
      }
    }
    return data
  }
}
