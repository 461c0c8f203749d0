/**
 * JSON Schema keywords whose values are schemas (draft-04 to 2020-12, as OpenAPI uses them):
 * one schema (draft-04 `items` may also be a list), a list of schemas, or a map of named schemas.
 * Every other keyword holds plain values.
 */
export const SUBSCHEMA_ONE: ReadonlySet<string> = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
])
export const SUBSCHEMA_LIST: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
export const SUBSCHEMA_MAP: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
])
