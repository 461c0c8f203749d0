import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { ErrorObject } from 'ajv'
import { PACKAGE_ROOT } from '../core/ruleset.js'

/**
 * The FHIR R4 definitions the checks use, built from the HL7 packages by scripts/build-fhir.js
 * (`npm run build`) into generated/fhir-r4 and loaded once, on first use.
 */

export interface ElementDef {
  name: string
  /** `value[x]`: the JSON key is the name followed by the type, e.g. valueQuantity. */
  choice?: boolean
  min: number
  max: string
  types: string[]
  /** `#Questionnaire.item`: the element repeats the children of another. */
  contentReference?: string
  /** For a Reference element, the resource types it may point to (its targetProfiles); absent: any. */
  targets?: string[]
  binding?: { strength: 'required' | 'extensible'; valueSet: string }
  constraints?: Constraint[]
}

export interface Constraint {
  key: string
  expression: string
  human: string
}

export interface TypeDef {
  kind: 'resource' | 'complex-type' | 'primitive-type'
  abstract: boolean
  base?: string
  /** Invariants on the type itself, e.g. obs-6 on Observation. */
  root?: { constraints?: Constraint[] }
  /** The children of each element path of the type, e.g. `Patient.contact` → relationship, name … */
  children: Record<string, ElementDef[]>
}

export interface R4 {
  validateSchema: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }
  types: Record<string, TypeDef>
  valueSets: Record<string, Record<string, string[]>>
  /** Value sets that bindings name but whose codes are not enumerable (e.g. all MIME types). */
  unexpanded: Set<string>
  /** Every code of the code systems the specification defines completely, by system URL. */
  codeSystems: Record<string, Set<string>>
}

const DIR = path.join(PACKAGE_ROOT, 'generated', 'fhir-r4')
let loaded: R4 | undefined

export function r4(): R4 {
  if (loaded) return loaded
  if (!existsSync(path.join(DIR, 'model.json')))
    throw new Error('The FHIR R4 definitions are not built: run `npm run build` first.')
  const require = createRequire(import.meta.url)
  const validate = require(path.join(DIR, 'schema.cjs')) as R4['validateSchema'] & {
    default?: R4['validateSchema']
  }
  const sets = JSON.parse(readFileSync(path.join(DIR, 'valuesets.json'), 'utf8')) as {
    valueSets: R4['valueSets']
    unexpanded: string[]
    codeSystems: Record<string, string[]>
  }
  loaded = {
    validateSchema: validate.default ?? validate,
    types: JSON.parse(readFileSync(path.join(DIR, 'model.json'), 'utf8')) as R4['types'],
    valueSets: sets.valueSets,
    unexpanded: new Set(sets.unexpanded),
    codeSystems: Object.fromEntries(Object.entries(sets.codeSystems).map(([k, v]) => [k, new Set(v)])),
  }
  return loaded
}
