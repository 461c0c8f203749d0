import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { joinPointer, positionOf, type SourceDocument } from '../loaders/source.js'
import { precompiled } from './precompiled.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void
const compiled = new Map<string, ValidateFunction>()

/** A validator for one of the JSON Schemas the tool publishes in schemas/, compiled once. */
export function shippedSchema(
  name: 'ruleset' | 'manifest' | 'report' | 'recording' | 'config',
): ValidateFunction {
  let validate = compiled.get(name)
  if (!validate) {
    const file = new URL(`../../schemas/${name}.schema.json`, import.meta.url)
    const schema: unknown = JSON.parse(readFileSync(file, 'utf8'))
    // Compiled at build time (scripts/build-validators.js) unless the schema changed since.
    validate = precompiled('shipped', name, schema)
    if (!validate) {
      const ajv = new Ajv2020({ allErrors: true, strict: false })
      addFormats(ajv)
      validate = ajv.compile(schema as object)
    }
    compiled.set(name, validate)
  }
  return validate
}

/** An ajv error in words for the person who wrote the document, after the property's name. */
export function describeSchemaError(e: ErrorObject): string {
  const list = (values: unknown) => (values as unknown[]).map((v) => JSON.stringify(v)).join(', ')
  switch (e.keyword) {
    case 'additionalProperties':
      return 'is not a known field'
    case 'required':
      return `must have the field '${String(e.params.missingProperty)}'`
    case 'enum':
      return e.propertyName !== undefined
        ? `is not a known key; use one of ${list(e.params.allowedValues)}`
        : `must be one of ${list(e.params.allowedValues)}`
    case 'pattern':
      return `must match ${String(e.params.pattern)}`
    case 'oneOf':
    case 'anyOf':
      return 'does not match any of the allowed forms'
    case 'propertyNames':
      return 'has a key that is not allowed'
    default:
      return e.message ?? 'is invalid'
  }
}

/**
 * One schema problem of a document as `file:line:col: property message`, at the offending key for
 * an unknown or misnamed property, at the value otherwise.
 */
export function schemaProblemLine(doc: SourceDocument, e: ErrorObject): string {
  const key = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.propertyName
  const pointer = key !== undefined ? joinPointer(e.instancePath, key) : e.instancePath
  const pos = positionOf(doc, pointer, key !== undefined)
  const property = pointer.replace(/^\//, '').replace(/\//g, '.') || '(root)'
  return `${doc.displayPath}${pos ? `:${pos.line}:${pos.column}` : ''}: ${property} ${describeSchemaError(e)}`
}
