import { BaseCommand } from '../../base-command.js'
import { listRulesets, type RulesetSummary } from '../../services/catalog.js'

export default class RulesetsList extends BaseCommand {
  static override summary = 'List the rulesets interop can run by name.'
  static override description =
    'The shipped rulesets, and those of installed ruleset packages (interop plugins, and packages the project in the working folder depends on). ' +
    'Each line has the name to pass to `interop check --ruleset` or `extends`, the version, the number of rules and where it comes from.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run(): Promise<RulesetSummary[]> {
    await this.parse(RulesetsList)
    const list = await listRulesets()
    if (!this.jsonEnabled()) {
      const w = Math.max(...list.map((r) => r.ref.length))
      const v = Math.max(...list.map((r) => r.version.length))
      for (const r of list) {
        const origin =
          r.origin.kind === 'package'
            ? `package ${/^(@?[^@]+@[^/]+)\//.exec(r.origin.path)?.[1] ?? r.origin.path}`
            : r.origin.kind
        this.log(
          `${r.ref.padEnd(w)}  ${r.version.padEnd(v)}  ${String(r.ruleCount).padStart(3)} rules  ${r.title}  (${origin})`,
        )
      }
    }
    return list
  }
}
