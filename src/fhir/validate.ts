import type { ErrorObject } from 'ajv'
import fhirpath from 'fhirpath'
import r4Model from 'fhirpath/fhir-context/r4/index.js'
import { escapeSegment } from '../loaders/source.js'
import { r4, type Constraint, type ElementDef } from './r4.js'

/**
 * Validates FHIR R4 resources (JSON) in one pass each: structure, types and primitive formats against
 * the official FHIR JSON Schema (ajv, compiled at build time), then, walking the resource along the
 * R4 StructureDefinitions: calendar dates, cardinality (required primitives included), required
 * bindings, error-level invariants (FHIRPath) and the universal element rules ele-1 and ext-1.
 * Each issue can be written as an OperationOutcome issue.
 */

/** Which part of validation found an issue; each is its own rule in the fhir ruleset. */
export type FhirCheck = 'structure' | 'cardinality' | 'invariant' | 'binding' | 'reference' | 'profile'

export interface FhirIssue {
  check: FhirCheck
  severity: 'error' | 'warning' | 'information'
  /** The OperationOutcome issue type (http://hl7.org/fhir/ValueSet/issue-type). */
  code: 'structure' | 'required' | 'value' | 'invariant' | 'code-invalid' | 'not-found' | 'not-supported'
  /** JSON pointer into the document. */
  pointer: string
  /** FHIRPath of the element, as OperationOutcome.issue.expression carries it. */
  expression: string
  message: string
  /** The invariant's key, for invariant issues. */
  key?: string
}

/**
 * Invariants not evaluated, and why. The validator checks ele-1 and ext-1 natively (they hold for
 * every element). The others need what an offline validator does not have.
 */
export const SKIPPED_INVARIANTS: Record<string, string> = {
  'txt-1':
    'checks the XHTML of the narrative, which needs an XHTML parser FHIRPath does not offer (htmlChecks)',
  'txt-2': 'checks the XHTML of the narrative (htmlChecks)',
}
/** Expressions that call what fhirpath.js cannot evaluate offline. */
const UNSUPPORTED = /\b(resolve|memberOf|conformsTo|htmlChecks|subsumes|subsumedBy)\(/

const compiled = new Map<string, ((node: unknown, env: Record<string, unknown>) => unknown[]) | null>()
function invariant(base: string, c: Constraint) {
  const key = `${base}|${c.expression}`
  let fn = compiled.get(key)
  if (fn === undefined) {
    try {
      fn = fhirpath.compile({ base, expression: c.expression }, r4Model, {
        // trace() in an invariant would otherwise print to the console.
        traceFn: () => {},
      }) as unknown as (node: unknown, env: Record<string, unknown>) => unknown[]
    } catch {
      fn = null
    }
    compiled.set(key, fn)
  }
  return fn
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

export function validateResource(resource: unknown, pointer = ''): FhirIssue[] {
  const model = r4()
  const issues: FhirIssue[] = []
  if (!model.validateSchema(resource))
    issues.push(...schemaIssues(model.validateSchema.errors ?? [], resource, pointer))
  // The walk needs a known resource type; the schema has said what is wrong otherwise.
  if (isObj(resource) && typeof resource.resourceType === 'string' && model.types[resource.resourceType])
    new Walker(issues, resource).resource(resource, pointer, resource.resourceType)
  // A code the schema's enumeration already rejected is one problem, not two.
  const rejected = new Set(issues.filter((i) => i.check === 'structure').map((i) => i.pointer))
  return issues.filter((i) => i.check !== 'binding' || !rejected.has(i.pointer))
}

/** ajv's errors as issues: one per problem, at the element, in FHIR's words. */
function schemaIssues(errors: ErrorObject[], root: unknown, base: string): FhirIssue[] {
  const out: FhirIssue[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    // A discriminator or oneOf error only repeats what the branch said.
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue
    let pointer = e.instancePath
    let message: string
    let code: FhirIssue['code'] = 'structure'
    switch (e.keyword) {
      case 'additionalProperties':
        pointer += '/' + escapeSegment(String(e.params.additionalProperty))
        message = `Unknown element '${String(e.params.additionalProperty)}'`
        break
      case 'required':
        pointer += '/' + escapeSegment(String(e.params.missingProperty))
        message = `Missing required element '${String(e.params.missingProperty)}'`
        code = 'required'
        break
      case 'discriminator':
        message =
          e.params.error === 'mapping'
            ? `Unknown resource type '${String(e.params.tagValue)}'`
            : "Missing or invalid 'resourceType'"
        break
      case 'pattern':
        message = `Invalid value ${JSON.stringify(valueAt(root, pointer))}: not a valid FHIR ${primitiveName(e.schemaPath)}`
        code = 'value'
        break
      case 'type':
        message = `Wrong type: must be ${String(e.params.type)}${Array.isArray(valueAt(root, pointer)) ? ', not an array' : ''}`
        break
      case 'enum':
        message = `Invalid code ${JSON.stringify(valueAt(root, pointer))}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
        code = 'code-invalid'
        break
      case 'const':
        message = `Must be ${JSON.stringify(e.params.allowedValue)}`
        code = 'value'
        break
      default:
        message = e.message ?? 'Invalid'
    }
    // One problem per element: a wrong type also fails the type's pattern.
    const key = e.keyword === 'type' || e.keyword === 'pattern' ? `${pointer}|type` : `${pointer}|${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({
      check: 'structure',
      severity: 'error',
      code,
      pointer: base + pointer,
      expression: expressionOf(root, pointer),
      message,
    })
  }
  return out
}

function primitiveName(schemaPath: string): string {
  const m = /#\/definitions\/([a-zA-Z]+)\/pattern$/.exec(schemaPath)
  return m ? m[1]! : 'value'
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root
  for (const seg of pointer.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~')
    cur = Array.isArray(cur) ? cur[Number(key)] : isObj(cur) ? cur[key] : undefined
  }
  return cur
}

/** `/contact/0/gender` in a Patient → `Patient.contact[0].gender`. */
export function expressionOf(root: unknown, pointer: string): string {
  let expr = isObj(root) && typeof root.resourceType === 'string' ? root.resourceType : ''
  let cur = root
  for (const seg of pointer.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur)) {
      expr += `[${key}]`
      cur = cur[Number(key)]
    } else {
      cur = isObj(cur) ? cur[key] : undefined
      // A nested resource starts its own path, as FHIRPath writes it: Bundle.entry[0].resource.
      expr += `.${key}`
    }
  }
  return expr
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/
function realDate(value: string): boolean {
  const m = DATE.exec(value)
  if (!m || !m[3]) return true
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return d >= 1 && d <= last
}

class Walker {
  private readonly model = r4()
  /** %rootResource: the resource a contained one sits in; a Bundle entry's resource is its own root. */
  constructor(
    private readonly issues: FhirIssue[],
    private root: Obj,
  ) {}

  private add(issue: Omit<FhirIssue, 'severity'> & { severity?: FhirIssue['severity'] }) {
    this.issues.push({ severity: 'error', ...issue })
  }

  resource(res: Obj, pointer: string, type: string, expr: string = type): void {
    const def = this.model.types[type]
    if (!def) return
    this.invariants(def.root?.constraints, res, type, pointer, expr, res)
    this.complex(res, type, type, pointer, expr, type, res)
  }

  /**
   * An object whose children the model lists under `sdPath` of `typeName`. `rel` is its path from
   * its resource without indices, the base FHIRPath evaluates invariants at.
   */
  private complex(
    value: Obj,
    typeName: string,
    sdPath: string,
    pointer: string,
    expr: string,
    rel: string,
    res: Obj,
  ): void {
    const children = this.model.types[typeName]?.children[sdPath]
    if (!children) return
    // ele-1: every element has a value or children (a resource is not an element).
    if (sdPath !== typeName || this.model.types[typeName]?.kind !== 'resource')
      if (!Object.keys(value).some((k) => k !== 'id'))
        this.add({
          check: 'invariant',
          code: 'invariant',
          key: 'ele-1',
          pointer,
          expression: expr,
          message: 'ele-1: All FHIR elements must have a @value or children',
        })
    if (typeName === 'Extension' && sdPath === 'Extension') this.extension(value, pointer, expr)
    for (const child of children) {
      const keys = child.choice
        ? Object.keys(value).filter(
            (k) => k.startsWith(child.name) && this.choiceType(child, k) !== undefined,
          )
        : [child.name]
      const present = keys.some((k) => value[k] !== undefined || value[`_${k}`] !== undefined)
      if (child.min >= 1 && !present)
        this.add({
          check: 'cardinality',
          code: 'required',
          pointer: `${pointer}/${escapeSegment(child.choice ? `${child.name}[x]` : child.name)}`,
          expression: `${expr}.${child.name}`,
          message: `${expr}.${child.name}${child.choice ? '[x]' : ''}: minimum required = ${child.min}, but only found 0`,
        })
      for (const key of keys) {
        const raw = value[key]
        if (raw === undefined) continue
        const items = Array.isArray(raw) ? raw : [raw]
        const type = child.choice ? this.choiceType(child, key)! : child.types[0]
        items.forEach((item, i) => {
          const p = `${pointer}/${escapeSegment(key)}${Array.isArray(raw) ? `/${i}` : ''}`
          const e = `${expr}.${key}${Array.isArray(raw) ? `[${i}]` : ''}`
          this.element(
            item,
            child,
            type,
            `${sdPath}.${child.name}${child.choice ? '[x]' : ''}`,
            typeName,
            p,
            e,
            `${rel}.${child.name}`,
            res,
          )
        })
      }
    }
  }

  private choiceType(child: ElementDef, key: string): string | undefined {
    const suffix = key.slice(child.name.length)
    return child.types.find((t) => t.charAt(0).toUpperCase() + t.slice(1) === suffix)
  }

  private element(
    item: unknown,
    child: ElementDef,
    type: string | undefined,
    sdPath: string,
    typeName: string,
    pointer: string,
    expr: string,
    rel: string,
    res: Obj,
  ): void {
    if (child.binding) this.binding(item, child, type, pointer, expr)
    if (!isObj(item)) {
      if (
        typeof item === 'string' &&
        (type === 'date' || type === 'dateTime' || type === 'instant') &&
        !realDate(item)
      )
        this.add({
          check: 'structure',
          code: 'value',
          pointer,
          expression: expr,
          message: `Invalid ${type} ${JSON.stringify(item)}: not a real calendar date`,
        })
      return
    }
    if (child.constraints) this.invariants(child.constraints, item, rel, pointer, expr, res)
    if (child.contentReference)
      return this.complex(item, typeName, child.contentReference, pointer, expr, rel, res)
    if (type === 'Resource' || (type && this.model.types[type]?.kind === 'resource')) {
      if (typeof item.resourceType === 'string' && this.model.types[item.resourceType]) {
        const saved = this.root
        if (child.name !== 'contained') this.root = item
        this.resource(item, pointer, item.resourceType, expr)
        this.root = saved
      }
      return
    }
    // Backbone elements are defined inline, under the element's own path.
    if (this.model.types[typeName]?.children[sdPath])
      return this.complex(item, typeName, sdPath, pointer, expr, rel, res)
    const def = type ? this.model.types[type] : undefined
    if (def?.kind === 'complex-type') {
      // The data type's own invariants (per-1 on Period, qty-3 on Quantity …).
      this.invariants(def.root?.constraints, item, rel, pointer, expr, res)
      this.complex(item, type!, type!, pointer, expr, rel, res)
    }
  }

  /** ext-1: an extension has either a value or extensions, not both. */
  private extension(value: Obj, pointer: string, expr: string): void {
    const hasValue = Object.keys(value).some((k) => k.startsWith('value'))
    const hasExtensions = Array.isArray(value.extension) && value.extension.length > 0
    if (hasValue === hasExtensions)
      this.add({
        check: 'invariant',
        code: 'invariant',
        key: 'ext-1',
        pointer,
        expression: expr,
        message: 'ext-1: Must have either extensions or value[x], not both',
      })
  }

  private invariants(
    list: Constraint[] | undefined,
    node: Obj,
    base: string,
    pointer: string,
    expr: string,
    res: Obj,
  ) {
    for (const c of list ?? []) {
      if (SKIPPED_INVARIANTS[c.key] || UNSUPPORTED.test(c.expression)) continue
      // dom-2 … dom-5 only say something about contained resources.
      if (c.key.startsWith('dom-') && node === res && !Array.isArray(res.contained)) continue
      const fn = invariant(base, c)
      if (!fn) continue
      let result: unknown[]
      try {
        result = fn(node, { resource: res, rootResource: this.root })
      } catch {
        continue
      }
      if (result.length === 1 && result[0] === false)
        this.add({
          check: 'invariant',
          code: 'invariant',
          key: c.key,
          pointer,
          expression: expr,
          message: `${c.key}: ${c.human}`,
        })
    }
  }

  private binding(
    item: unknown,
    child: ElementDef,
    type: string | undefined,
    pointer: string,
    expr: string,
  ): void {
    const b = child.binding!
    const codes = this.model.valueSets[b.valueSet]
    if (!codes) return
    const inSet = (system: unknown, code: unknown) =>
      typeof code === 'string' &&
      (system === undefined
        ? Object.values(codes).some((l) => l.includes(code))
        : (codes[String(system)] ?? []).includes(code))
    const report = (message: string, p = pointer, e = expr) =>
      this.add({
        check: 'binding',
        severity: b.strength === 'required' ? 'error' : 'warning',
        code: 'code-invalid',
        pointer: p,
        expression: e,
        message,
      })
    if (type === 'code' && typeof item === 'string') {
      if (b.strength === 'required' && !inSet(undefined, item))
        report(`The code ${JSON.stringify(item)} is not in the value set ${b.valueSet} (required binding)`)
      return
    }
    const codings =
      type === 'Coding' && isObj(item)
        ? [{ c: item, p: pointer, e: expr }]
        : type === 'CodeableConcept' && isObj(item) && Array.isArray(item.coding)
          ? item.coding
              .filter(isObj)
              .map((c, i) => ({ c, p: `${pointer}/coding/${i}`, e: `${expr}.coding[${i}]` }))
          : []
    if (!codings.length) return
    // A code its own (completely known) system does not define is wrong whatever the strength;
    // with an extensible binding, codes from outside the value set are otherwise allowed.
    const systems = Object.keys(codes)
    for (const { c, p, e } of codings) {
      const known = typeof c.system === 'string' ? this.model.codeSystems[c.system] : undefined
      if (known && typeof c.code === 'string' && !known.has(c.code))
        report(
          `The code ${JSON.stringify(c.code)} is not defined in the code system ${String(c.system)}`,
          p,
          e,
        )
      else if (b.strength === 'required' && systems.includes(String(c.system)) && !inSet(c.system, c.code))
        report(
          `The code ${JSON.stringify(c.code)} is not in the value set ${b.valueSet} (required binding)`,
          p,
          e,
        )
    }
    if (
      b.strength === 'required' &&
      !codings.some(({ c }) => inSet(c.system, c.code)) &&
      codings.every(({ c }) => !systems.includes(String(c.system)))
    )
      report(`None of the codings is from the value set ${b.valueSet} (required binding)`)
  }
}
