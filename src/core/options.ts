import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import type { Rule } from './define-rule.js'

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false })
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>()

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
  const schema = rule.meta.options ?? { type: 'object', additionalProperties: false, properties: {} }
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile({ type: 'object', ...schema })
    compiled.set(schema, validate)
  }
  const options = structuredClone(given ?? {})
  if (validate(options)) return { options, problems: [] }
  return { options, problems: (validate.errors ?? []).map(describeOptionError) }
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
