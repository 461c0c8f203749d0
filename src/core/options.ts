import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { Rule } from './define-rule.js'
import { precompiled } from './precompiled.js'

// For option schemas the build did not compile (rules not shipped, or a stale build).
let ajv: Ajv2020 | undefined
const compiled = new WeakMap<object, ValidateFunction>()

export interface OptionProblem {
  /** Path of the offending option, e.g. `required` or `style`. */
  path: string
  message: string
}

/**
 * Validates a rule's options against its option schema and fills in defaults.
 * Returns the options, or the problems naming each offending option path.
 */
export function resolveRuleOptions(
  rule: Rule,
  given: Record<string, unknown> | undefined,
): { options: Record<string, unknown>; problems: OptionProblem[] } {
  const key = rule.meta.options ?? rule
  let validate = compiled.get(key)
  if (!validate) {
    const schema = optionsSchemaOf(rule)
    // Shipped rules' option schemas are compiled at build time (scripts/build-validators.js).
    validate =
      precompiled('options', rule.meta.id, schema) ??
      (ajv ??= new Ajv2020({ allErrors: true, useDefaults: true, strict: false })).compile(schema)
    compiled.set(key, validate)
  }
  const options = structuredClone(given ?? {})
  if (validate(options)) return { options, problems: [] }
  return { options, problems: (validate.errors ?? []).map(describeOptionError) }
}

/** The JSON Schema a rule's options are validated against (an object of the declared options). */
export function optionsSchemaOf(rule: Rule): Record<string, unknown> {
  return { type: 'object', ...(rule.meta.options ?? { additionalProperties: false, properties: {} }) }
}

export function describeOptionError(e: ErrorObject): OptionProblem {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
  if (e.keyword === 'additionalProperties') {
    const extra = String(e.params.additionalProperty)
    return { path: base ? `${base}.${extra}` : extra, message: 'is not a known option' }
  }
  if (e.keyword === 'enum')
    return {
      path: base,
      message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
    }
  return { path: base, message: e.message ?? 'is invalid' }
}
