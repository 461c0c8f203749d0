import { BaseCommand } from '../../base-command.js'
import { listRulesets, type RulesetSummary } from '../../services/catalog.js'

export default class RulesetsList extends BaseCommand {
  static override summary = 'List the rulesets shipped with interop.'
  static override description =
    'Each ruleset has an id to pass to `interop check --ruleset`, a version and its number of rules.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run(): Promise<RulesetSummary[]> {
    await this.parse(RulesetsList)
    const list = await listRulesets()
    if (!this.jsonEnabled()) {
      const w = Math.max(...list.map((r) => r.id.length))
      for (const r of list)
        this.log(`${r.id.padEnd(w)}  ${r.version}  ${String(r.ruleCount).padStart(3)} rules  ${r.title}`)
    }
    return list
  }
}
