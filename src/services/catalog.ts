import type { Rule, RuleMeta } from '../core/define-rule.js'
import { InputError } from '../core/errors.js'
import { loadRuleset, shippedRulesetIds, type Ruleset } from '../core/ruleset.js'
import { pluginPackages, projectPackages } from '../core/plugins.js'
import type { Severity } from '../core/types.js'
import { shippedRules } from '../rules/index.js'

export interface RulesetSummary {
  /** What to pass to `--ruleset` or `extends`. */
  ref: string
  id: string
  version: string
  title: string
  description: string
  origin: Ruleset['origin']
  ruleCount: number
}

export interface RuleUse {
  rulesetId: string
  severity: Severity
  weight: number
  options: Record<string, unknown>
}

export interface RuleDetails {
  meta: RuleMeta
  usedBy: RuleUse[]
  rule: Rule
}

export async function shippedRulesets(): Promise<Ruleset[]> {
  return Promise.all(shippedRulesetIds().map((id) => loadRuleset(id)))
}

/**
 * The rulesets interop can run by name: the shipped ones, and those of the ruleset packages it can
 * see (its plugins, and the project's dependencies in `cwd` that declare `interop.rulesets`).
 */
export async function listRulesets(cwd = process.cwd()): Promise<RulesetSummary[]> {
  const summary = (ref: string, r: Ruleset): RulesetSummary => ({
    ref,
    id: r.id,
    version: r.version,
    title: r.title,
    description: r.description,
    origin: r.origin,
    ruleCount: r.rules.length,
  })
  const out = (await shippedRulesets()).map((r) => summary(r.id, r))
  const seen = new Set<string>()
  for (const pkg of [...pluginPackages(), ...projectPackages(cwd)]) {
    if (seen.has(pkg.name)) continue
    seen.add(pkg.name)
    for (const name of Object.keys(pkg.rulesets).sort()) {
      const ref = name === 'default' ? pkg.name : `${pkg.name}/${name}`
      out.push(summary(ref, await loadRuleset(ref, cwd)))
    }
  }
  return out
}

export async function listRules(): Promise<RuleDetails[]> {
  const rulesets = await shippedRulesets()
  const out: RuleDetails[] = []
  for (const id of Object.keys(shippedRules).sort()) out.push(await ruleDetails(id, rulesets))
  return out
}

/**
 * A rule's meta and where it is used: a shipped rule, or a rule of the given rulesets (declarative,
 * from a rule module or a Spectral ruleset).
 */
export async function ruleDetails(id: string, rulesets?: Ruleset[]): Promise<RuleDetails> {
  const sets = rulesets ?? (await shippedRulesets())
  const loader = shippedRules[id]
  const own = sets.flatMap((rs) => rs.rules).find((e) => e.ruleId === id)?.rule
  if (!loader && !own) {
    const ids = new Set([
      ...Object.keys(shippedRules),
      ...sets.flatMap((rs) => rs.rules.map((e) => e.ruleId)),
    ])
    const near = [...ids].filter((r) => r.includes(id) || id.includes(r))
    throw new InputError(
      `Unknown rule '${id}'.${near.length ? ` Did you mean ${near.join(', ')}?` : ''} \`interop rules list\` shows them all.`,
    )
  }
  const rule = loader ? (await loader()).default : own!
  const usedBy: RuleUse[] = []
  for (const rs of sets)
    for (const e of rs.rules)
      if (e.ruleId === id)
        usedBy.push({ rulesetId: rs.id, severity: e.severity, weight: e.weight, options: e.options })
  return { meta: rule.meta, usedBy, rule }
}
