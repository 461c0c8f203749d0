import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fhirpathR4 } from './fhirpath.js'
import { PACKAGE_ROOT } from '../core/ruleset.js'
import { isObj } from '../loaders/openapi-walker.js'

/**
 * Search values taken from a resource: to see whether a server's search by a parameter works, the
 * prober searches by the value a resource it already found has, and expects to find it again. What a
 * parameter searches is its SearchParameter's FHIRPath expression (R4, built into
 * generated/fhir-r4/searchparams.json by scripts/build-fhir.js).
 */

export interface SearchParamDef {
  type: 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special'
  expression: string
}

let params: Record<string, Record<string, SearchParamDef>> | undefined

/** The R4 search parameter `code` of `resourceType`, including the ones every resource has (`_id`). */
export function searchParam(resourceType: string, code: string): SearchParamDef | undefined {
  if (!params) {
    const file = path.join(PACKAGE_ROOT, 'generated', 'fhir-r4', 'searchparams.json')
    if (!existsSync(file))
      throw new Error('The FHIR R4 definitions are not built: run `npm run build` first.')
    params = JSON.parse(readFileSync(file, 'utf8')) as typeof params
  }
  const own = params![resourceType]?.[code]
  if (own) return own
  for (const base of ['DomainResource', 'Resource']) {
    const def = params![base]?.[code]
    if (def) return { ...def, expression: def.expression.replaceAll(`${base}.`, `${resourceType}.`) }
  }
  return undefined
}

type Obj = Record<string, unknown>
const CONTACT_SYSTEMS = new Set(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'])
const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

/** How a value of a FHIR data type is written as a search value of the parameter's type. */
function format(type: SearchParamDef['type'], v: unknown): string | undefined {
  if (typeof v === 'boolean' || typeof v === 'number')
    return type === 'token' || type === 'number' ? String(v) : undefined
  if (str(v))
    return type === 'token' || type === 'string' || type === 'uri' || type === 'date' ? v : undefined
  if (!isObj(v)) return undefined
  const o = v as Obj
  switch (type) {
    case 'token': {
      // Identifier, Coding, CodeableConcept, ContactPoint.
      const coding = Array.isArray(o.coding) ? (o.coding as unknown[]).find(isObj) : o
      if (!isObj(coding)) return undefined
      const c = coding as Obj
      const code = str(c.value) ? c.value : str(c.code) ? c.code : undefined
      if (!code) return undefined
      // A ContactPoint's system (phone, email …) is not a code system: its value is searched alone.
      if (str(c.system) && CONTACT_SYSTEMS.has(c.system)) return code
      return str(c.system) ? `${c.system}|${code}` : code
    }
    case 'reference':
      // Relative references are the ones a server can match; absolute ones are taken as they are.
      return str(o.reference) && !o.reference.startsWith('#') ? o.reference : undefined
    case 'string':
      // HumanName, Address.
      if (str(o.family)) return o.family
      if (Array.isArray(o.given) && str(o.given[0])) return o.given[0]
      if (str(o.city)) return o.city
      return str(o.text) ? o.text : undefined
    case 'date':
      // Period.
      return str(o.start) ? o.start : str(o.end) ? o.end : undefined
    default:
      return undefined
  }
}

/**
 * The value to search `resource`'s type by `code` so that `resource` is among the matches, or why
 * there is none (the parameter is unknown, of a type searched by ranges, or the resource has no value).
 */
export function searchValueOf(resource: Obj, code: string): { value: string } | { why: string } {
  const type = String(resource.resourceType)
  const def = searchParam(type, code)
  if (!def) return { why: `FHIR R4 defines no search parameter ${code} on ${type}` }
  let values: unknown[]
  try {
    const { fhirpath, r4 } = fhirpathR4()
    values = fhirpath.evaluate(resource, def.expression, undefined, r4) as unknown[]
  } catch (e) {
    return { why: `the expression of ${type}.${code} cannot be evaluated here (${(e as Error).message})` }
  }
  for (const v of values) {
    const value = format(def.type, v)
    if (value !== undefined) return { value }
  }
  return {
    why: ['number', 'quantity', 'composite', 'special'].includes(def.type)
      ? `${code} is a ${def.type} parameter, which the check does not search by`
      : `the ${type} found has no value for ${code}`,
  }
}
