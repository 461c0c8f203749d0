import { BaseCommand } from '../../base-command.js'
import { listRules } from '../../services/catalog.js'

export default class RulesList extends BaseCommand {
  static override summary = 'List every rule interop has, with the rulesets that use it.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run(): Promise<object[]> {
    await this.parse(RulesList)
    const rules = await listRules()
    const data = rules.map((r) => ({
      id: r.meta.id,
      title: r.meta.title,
      requires: r.meta.requires,
      usedBy: r.usedBy.map((u) => ({ ruleset: u.rulesetId, severity: u.severity })),
    }))
    if (!this.jsonEnabled()) {
      const w = Math.max(...data.map((r) => r.id.length))
      for (const r of data) {
        const uses = r.usedBy.map((u) => `${u.ruleset}:${u.severity}`).join(', ') || 'in no shipped ruleset'
        this.log(`${r.id.padEnd(w)}  ${r.title}  [${uses}]`)
      }
    }
    return data
  }
}
