import type { ErrorObject } from 'ajv'
import { fhirpathR4 } from './fhirpath.js'
import { escapeSegment } from '../loaders/source.js'
import { r4, type Constraint, type ElementDef } from './r4.js'
import { isObj } from '../loaders/openapi-walker.js'

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
/**
 * Invariants checked in plain code instead of FHIRPath: they run on every reference or Bundle and
 * dominate the time in FHIRPath, or (dom-3) cannot be evaluated by fhirpath.js at all ("Expected
 * singleton on left side of 'as'"). Each returns false when the invariant fails.
 */
const NATIVE: Record<string, (node: Obj, res: Obj, root: Obj) => boolean> = {
  // A local reference names a contained resource of the root resource. '#' alone (the container,
  // from inside a contained resource) is allowed: R4 permits it, its ref-1 expression forgot it.
  'ref-1': (node, _res, root) => {
    const ref = node.reference
    if (typeof ref !== 'string' || !ref.startsWith('#') || ref === '#') return true
    const contained = Array.isArray(root.contained) ? root.contained : []
    return contained.some((c) => isObj(c) && c.id === ref.slice(1))
  },
  // Every contained resource is referred to from elsewhere in the resource, or refers to it.
  'dom-3': (node) => {
    const contained = Array.isArray(node.contained) ? node.contained.filter(isObj) : []
    if (!contained.length) return true
    const local = new Set<string>()
    const collect = (v: unknown) => {
      if (typeof v === 'string') {
        if (v.startsWith('#')) local.add(v)
      } else if (Array.isArray(v)) v.forEach(collect)
      else if (isObj(v)) for (const x of Object.values(v)) collect(x)
    }
    collect(node)
    return contained.every((c) => local.has(`#${String(c.id)}`) || refersTo(c, '#'))
  },
  // A period's start is not after its end. Decided here when both have the same precision and form;
  // FHIRPath's comparison of partial dates and time zones is left to FHIRPath.
  'per-1': (node) => {
    const { start, end } = node
    if (typeof start !== 'string' || typeof end !== 'string') return true
    if (start.length === end.length && (start.length <= 10 || (/Z$/.test(start) && /Z$/.test(end))))
      return start <= end
    const a = Date.parse(start)
    const b = Date.parse(end)
    return start.length > 10 && end.length > 10 && !Number.isNaN(a) && !Number.isNaN(b) ? a <= b : true
  },
  // Entries carry a request exactly in batches, transactions and histories (bdl-3), and a response
  // exactly in their responses and histories (bdl-4).
  'bdl-3': (node) => entriesHave(node, 'request', ['batch', 'transaction', 'history']),
  'bdl-4': (node) => entriesHave(node, 'response', ['batch-response', 'transaction-response', 'history']),
  // No two entries have the same fullUrl (and version), except in a history.
  'bdl-7': (node) => {
    if (node.type === 'history' || !Array.isArray(node.entry)) return true
    const seen = new Set<string>()
    for (const e of node.entry) {
      if (!isObj(e) || typeof e.fullUrl !== 'string') continue
      const version =
        isObj(e.resource) && isObj(e.resource.meta) ? String(e.resource.meta.versionId ?? '') : ''
      const key = `${e.fullUrl}|${version}`
      if (seen.has(key)) return false
      seen.add(key)
    }
    return true
  },
}

function entriesHave(bundle: Obj, field: string, types: readonly string[]): boolean {
  const expected = types.includes(String(bundle.type))
  return (Array.isArray(bundle.entry) ? bundle.entry : []).every(
    (e) => !isObj(e) || isObj(e[field]) === expected,
  )
}

function refersTo(v: unknown, target: string): boolean {
  if (Array.isArray(v)) return v.some((x) => refersTo(x, target))
  if (!isObj(v)) return false
  if (v.reference === target) return true
  return Object.values(v).some((x) => refersTo(x, target))
}

/** Expressions that call what fhirpath.js cannot evaluate offline. */
const UNSUPPORTED = /\b(resolve|memberOf|conformsTo|htmlChecks|subsumes|subsumedBy)\(/

const compiled = new Map<string, ((node: unknown, env: Record<string, unknown>) => unknown[]) | null>()
function invariant(base: string, c: Constraint) {
  const key = `${base}|${c.expression}`
  let fn = compiled.get(key)
  if (fn === undefined) {
    try {
      const { fhirpath, r4 } = fhirpathR4()
      fn = fhirpath.compile({ base, expression: c.expression }, r4, {
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

interface ChildIndex {
  /** Each JSON key an element may have (valueQuantity, valueString … for value[x]), with its type. */
  byKey: Map<string, { def: ElementDef; type: string | undefined; path: string }>
  required: ElementDef[]
}
const indexes = new Map<string, ChildIndex>()
/** The children of an element path, by the JSON key they appear under: built once per path. */
function childIndex(typeName: string, sdPath: string, children: ElementDef[]): ChildIndex {
  const id = `${typeName}|${sdPath}`
  let index = indexes.get(id)
  if (index) return index
  index = { byKey: new Map(), required: children.filter((c) => c.min >= 1) }
  for (const def of children) {
    const path = `${sdPath}.${def.name}${def.choice ? '[x]' : ''}`
    if (def.choice)
      for (const t of def.types)
        index.byKey.set(def.name + t.charAt(0).toUpperCase() + t.slice(1), { def, type: t, path })
    else index.byKey.set(def.name, { def, type: def.types[0], path })
  }
  indexes.set(id, index)
  return index
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
    const index = childIndex(typeName, sdPath, children)
    for (const child of index.required) {
      const present = child.choice
        ? child.types.some((t) => {
            const k = child.name + t.charAt(0).toUpperCase() + t.slice(1)
            return value[k] !== undefined || value[`_${k}`] !== undefined
          })
        : value[child.name] !== undefined || value[`_${child.name}`] !== undefined
      if (!present)
        this.add({
          check: 'cardinality',
          code: 'required',
          pointer: `${pointer}/${escapeSegment(child.choice ? `${child.name}[x]` : child.name)}`,
          expression: `${expr}.${child.name}`,
          message: `${expr}.${child.name}${child.choice ? '[x]' : ''}: minimum required = ${child.min}, but only found 0`,
        })
    }
    // Only the keys present are walked; unknown ones are the schema's to report.
    for (const key in value) {
      const entry = index.byKey.get(key)
      if (!entry) continue
      const raw = value[key]
      if (raw === undefined) continue
      const childRel = `${rel}.${entry.def.name}`
      const seg = escapeSegment(key)
      if (Array.isArray(raw))
        for (let i = 0; i < raw.length; i++)
          this.element(
            raw[i],
            entry.def,
            entry.type,
            entry.path,
            typeName,
            `${pointer}/${seg}/${i}`,
            `${expr}.${key}[${i}]`,
            childRel,
            res,
          )
      else
        this.element(
          raw,
          entry.def,
          entry.type,
          entry.path,
          typeName,
          `${pointer}/${seg}`,
          `${expr}.${key}`,
          childRel,
          res,
        )
    }
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
      const native = NATIVE[c.key]
      let failed: boolean
      if (native) failed = !native(node, res, this.root)
      else {
        const fn = invariant(base, c)
        if (!fn) continue
        let result: unknown[]
        try {
          result = fn(node, { resource: res, rootResource: this.root })
        } catch {
          continue
        }
        failed = result.length === 1 && result[0] === false
      }
      if (failed)
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
