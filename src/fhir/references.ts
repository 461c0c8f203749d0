import { escapeSegment } from '../loaders/source.js'
import { r4, type ElementDef } from './r4.js'
import { expressionOf, type FhirIssue } from './validate.js'
import { isObj } from '../loaders/openapi-walker.js'

/**
 * FHIR R4 reference checks (https://hl7.org/fhir/R4/references.html, and for Bundles
 * https://hl7.org/fhir/R4/bundle.html#references), in one walk of the resource along the R4 model,
 * which says which objects are References:
 * - the syntax of Reference.reference: `#id`, `urn:uuid:`, `urn:oid:`, `[type]/[id]` with a known
 *   resource type, `[type]/[id]/_history/[vid]`, absolute URLs (not checked: they may be anywhere);
 * - resolution: a local reference to a contained resource, and inside a Bundle to an entry, by fullUrl
 *   or by type and id, the way the R4 Bundle resolution rules say. Unresolved, a urn:uuid or urn:oid
 *   is an error (nothing outside the Bundle can resolve it), and so is a reference from a document's
 *   Composition or a message's focus (they must travel in the Bundle); other references may point
 *   to a server;
 * - the type: a target's type the element does not allow (ElementDef.targets, when the model has
 *   them), and a Reference.type that does not agree with the reference.
 */

type Obj = Record<string, unknown>

/** The R4 uuid and oid data types' regular expressions (https://hl7.org/fhir/R4/datatypes.html). */
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/
const ID = /^[A-Za-z0-9\-.]{1,64}$/
/** A scheme makes a reference absolute (RFC 3986); anything else is relative to the server's base. */
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/
const RELATIVE = /^([^/?#]+)\/([^/?#]+)(?:\/_history\/([^/?#]+))?$/
/** `Patient?identifier=…`: a conditional reference, which the server resolves in a transaction. */
const CONDITIONAL = /^([A-Za-z]+)\?./
/** The RESTful URL of R4 (references.html#regex): [base]/[type]/[id], optionally a version. */
const RESTFUL =
  /^(https?:\/\/(?:[A-Za-z0-9\-\\.:%$]*\/)+)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/
const STRUCTURE_DEFINITION = 'http://hl7.org/fhir/StructureDefinition/'

/** The entries of one Bundle, indexed the two ways a reference can find them. */
interface Scope {
  type: string | undefined
  /** The first entry's resource: a document's Composition, a message's MessageHeader. */
  first: Obj | undefined
  /** By fullUrl, without a version. */
  byUrl: Map<string, Obj[]>
  /**
   * By `[type]/[id]`: from the resource itself, from a RESTful fullUrl and, in transactions and
   * batches, from the request.url of the entries that create or update a resource.
   */
  byKey: Map<string, Obj[]>
}

interface Ctx {
  /** The Bundles the resource sits in, innermost first. */
  bundles: Scope[]
  /** fullUrl of the innermost Bundle's entry the resource sits in: the base of its relative references. */
  fullUrl: string | undefined
  /** The resource `#` names and whose contained resources `#id` names (contained ones share it). */
  container: Obj
  /** The resource whose elements are being walked. */
  resource: Obj
}

interface Child {
  def: ElementDef
  type: string | undefined
}

/**
 * The reference issues of a resource (or Bundle), with JSON pointers from `pointer`, the resource's
 * place in its file, and FHIRPath expressions from the resource.
 */
export function validateReferences(resource: unknown, pointer = ''): FhirIssue[] {
  const issues: FhirIssue[] = []
  if (isObj(resource) && isResourceType(resource.resourceType))
    new Walker(issues, resource, pointer).resource(resource, '', {
      bundles: [],
      fullUrl: undefined,
      container: resource,
      resource,
    })
  return issues
}

function isResourceType(t: unknown): t is string {
  const def = typeof t === 'string' ? r4().types[t] : undefined
  return def?.kind === 'resource' && !def.abstract
}

/** Whether a resource of type `t` may be the target of an element allowing `targets`. */
function allowed(t: string, targets: string[]): boolean {
  const types = r4().types
  // A target may be a base type (DomainResource, Resource): any type deriving from it fits.
  for (let cur: string | undefined = t; cur; cur = types[cur]?.base) if (targets.includes(cur)) return true
  return false
}

/** `a Patient`, `an Encounter`. */
const article = (type: string) => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`
const list = (types: string[]) =>
  types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]!}` : types[0]!

/** JSON keys → element definitions of each model path, computed once. */
const keyMaps = new Map<string, Map<string, Child> | null>()
function childrenOf(typeName: string, sdPath: string): Map<string, Child> | null {
  const cacheKey = `${typeName}|${sdPath}`
  let map = keyMaps.get(cacheKey)
  if (map !== undefined) return map
  const types = r4().types
  const defs = types[typeName]?.children[sdPath]
  map = defs ? new Map() : null
  for (const def of defs ?? []) {
    const variants = def.choice
      ? def.types.map((t) => ({ key: def.name + t.charAt(0).toUpperCase() + t.slice(1), type: t }))
      : [{ key: def.name, type: def.types[0] }]
    for (const { key, type } of variants) {
      map!.set(key, { def, type })
      // `_birthDate`: a primitive's id and extensions, which may hold a valueReference.
      if (type && types[type]?.kind === 'primitive-type') map!.set(`_${key}`, { def, type: 'Element' })
    }
  }
  keyMaps.set(cacheKey, map)
  return map
}

function scopeOf(bundle: Obj): Scope {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : []
  const scope: Scope = {
    type: typeof bundle.type === 'string' ? bundle.type : undefined,
    first: isObj(entries[0]) && isObj(entries[0].resource) ? entries[0].resource : undefined,
    byUrl: new Map(),
    byKey: new Map(),
  }
  const add = (map: Map<string, Obj[]>, key: string, res: Obj) => {
    const found = map.get(key)
    if (found) {
      if (!found.includes(res)) found.push(res)
    } else map.set(key, [res])
  }
  const changes = scope.type === 'transaction' || scope.type === 'batch'
  for (const entry of entries) {
    if (!isObj(entry) || !isObj(entry.resource)) continue
    const res = entry.resource
    if (typeof entry.fullUrl === 'string') {
      add(scope.byUrl, withoutVersion(entry.fullUrl), res)
      const m = RESTFUL.exec(entry.fullUrl)
      if (m) add(scope.byKey, `${m[2]}/${m[3]}`, res)
    }
    if (typeof res.resourceType === 'string' && typeof res.id === 'string')
      add(scope.byKey, `${res.resourceType}/${res.id}`, res)
    // A PUT to Patient/123 in a transaction creates or updates what Patient/123 then names.
    const url = isObj(entry.request) ? entry.request.url : undefined
    if (changes && typeof url === 'string' && RELATIVE.test(url)) add(scope.byKey, withoutVersion(url), res)
  }
  return scope
}

function withoutVersion(url: string): string {
  const i = url.indexOf('/_history/')
  return i < 0 ? url : url.slice(0, i)
}

/** Whether `res` is the version `vid` names; a resource that does not say its version may be. */
function isVersion(res: Obj, vid: string | undefined): boolean {
  const v = isObj(res.meta) ? res.meta.versionId : undefined
  return vid === undefined || v === undefined || v === vid
}

class Walker {
  private readonly types = r4().types

  constructor(
    private readonly issues: FhirIssue[],
    private readonly root: Obj,
    private readonly base: string,
  ) {}

  resource(res: Obj, pointer: string, ctx: Ctx): void {
    const type = res.resourceType as string
    ctx = { ...ctx, resource: res }
    // A Bundle's entries are the scope its (and its entries') references resolve in first.
    if (type === 'Bundle') ctx = { ...ctx, bundles: [scopeOf(res), ...ctx.bundles], fullUrl: undefined }
    this.complex(res, type, type, pointer, ctx)
  }

  private complex(value: Obj, typeName: string, sdPath: string, pointer: string, ctx: Ctx): void {
    const children = childrenOf(typeName, sdPath)
    if (!children) return
    if (typeName === 'Bundle' && sdPath === 'Bundle.entry')
      ctx = { ...ctx, fullUrl: typeof value.fullUrl === 'string' ? value.fullUrl : undefined }
    for (const [key, raw] of Object.entries(value)) {
      const child = children.get(key)
      if (!child) continue
      const path = `${sdPath}.${child.def.name}`
      if (Array.isArray(raw))
        raw.forEach((item, i) =>
          this.element(item, child, typeName, path, `${pointer}/${escapeSegment(key)}/${i}`, ctx),
        )
      else this.element(raw, child, typeName, path, `${pointer}/${escapeSegment(key)}`, ctx)
    }
  }

  private element(item: unknown, child: Child, typeName: string, path: string, pointer: string, ctx: Ctx) {
    if (!isObj(item)) return
    const { def, type } = child
    if (def.contentReference) return this.complex(item, typeName, def.contentReference, pointer, ctx)
    if (type === 'Resource' || (type && this.types[type]?.kind === 'resource')) {
      if (!isResourceType(item.resourceType)) return
      // Contained resources live in their container's space: `#id` in one names a sibling.
      this.resource(item, pointer, def.name === 'contained' ? ctx : { ...ctx, container: item })
      return
    }
    // Backbone elements are defined inline, under the element's own path.
    if (this.types[typeName]?.children[path]) return this.complex(item, typeName, path, pointer, ctx)
    if (type === 'Reference') this.reference(item, def, path, pointer, ctx)
    if (type && this.types[type]?.kind === 'complex-type') this.complex(item, type, type, pointer, ctx)
  }

  private add(code: FhirIssue['code'], pointer: string, message: string) {
    this.issues.push({
      check: 'reference',
      severity: 'error',
      code,
      pointer: this.base + pointer,
      expression: expressionOf(this.root, pointer),
      message,
    })
  }

  private reference(ref: Obj, def: ElementDef, path: string, pointer: string, ctx: Ctx): void {
    const text = ref.reference
    const at = `${pointer}/reference`
    const declared = typeof ref.type === 'string' ? declaredType(ref.type) : undefined
    /** The type the reference's text names, and the resource it resolves to. */
    let named: string | undefined
    let target: Obj | undefined
    if (typeof text !== 'string' || text === '') {
      // A logical reference (identifier only): its type is all there is to check.
      if (declared) this.targetType(declared, `${pointer}/type`, `The type ${JSON.stringify(declared)}`, def)
      return
    }
    const quoted = JSON.stringify(text)
    const innermost = ctx.bundles[0]
    if (text.startsWith('#')) {
      const id = text.slice(1)
      if (id === '') target = ctx.container
      else {
        const contained = Array.isArray(ctx.container.contained) ? ctx.container.contained.filter(isObj) : []
        target = contained.find((c) => c.id === id)
        if (!target)
          return this.add(
            'not-found',
            at,
            `The local reference ${quoted} matches no contained resource (${
              contained.length
                ? `the ids contained are ${contained.map((c) => JSON.stringify(c.id)).join(', ')}`
                : 'the resource contains none'
            })`,
          )
      }
    } else if (/^urn:(uuid|oid):/.test(text)) {
      const uuid = text.startsWith('urn:uuid:')
      if (uuid && !UUID.test(text))
        return this.add(
          'value',
          at,
          `The reference ${quoted} is not a valid UUID: urn:uuid: must be followed by 32 lowercase hexadecimal digits grouped 8-4-4-4-12`,
        )
      if (!uuid && !OID.test(text))
        return this.add(
          'value',
          at,
          `The reference ${quoted} is not a valid OID: urn:oid: must be followed by numbers separated by dots, starting with 0, 1 or 2`,
        )
      target = this.byUrl(ctx, text)
      // A UUID or OID names a resource only within the Bundle it travels in: no server can resolve it.
      if (!target)
        return this.add(
          'not-found',
          at,
          innermost
            ? `The reference ${quoted} matches no entry's fullUrl in the Bundle, and a ${uuid ? 'urn:uuid' : 'urn:oid'} reference cannot be resolved outside it`
            : `The reference ${quoted} can only be resolved inside a Bundle, and the resource is not in one`,
        )
    } else if (ABSOLUTE.test(text)) {
      // An absolute URL is found in the Bundle by fullUrl or else where it points, which an offline
      // check cannot follow; a RESTful one still says the type of its target.
      const m = RESTFUL.exec(text)
      if (m && isResourceType(m[2])) named = m[2]
      target = this.byUrl(ctx, text)
      if (!target && this.mustTravel(ctx, path)) return this.notIncluded(at, quoted, innermost!)
    } else if (CONDITIONAL.test(text)) {
      named = CONDITIONAL.exec(text)![1]!
      if (!isResourceType(named)) return this.unknownType(at, quoted, named)
      // The server turns a conditional reference into a real one when it processes a transaction
      // (https://hl7.org/fhir/R4/http.html#trules); anywhere else nothing would.
      if (innermost?.type !== 'transaction')
        return this.add(
          'value',
          at,
          `The reference ${quoted} is a conditional reference (a search), which only a transaction Bundle may carry`,
        )
    } else {
      const m = RELATIVE.exec(text)
      if (!m)
        return this.add(
          'value',
          at,
          `The reference ${quoted} is not a valid reference: a relative reference has the form [type]/[id] or [type]/[id]/_history/[version]`,
        )
      const [type, id, vid] = [m[1]!, m[2]!, m[3]]
      if (!isResourceType(type)) return this.unknownType(at, quoted, type)
      for (const part of vid === undefined ? [id] : [id, vid])
        if (!ID.test(part))
          return this.add(
            'value',
            at,
            `The reference ${quoted} has an invalid ${part === id ? 'id' : 'version'} ${JSON.stringify(part)}: it must be 1 to 64 letters, digits, '-' or '.'`,
          )
      named = type
      target = this.relative(ctx, type, id, vid)
      // Otherwise a relative reference may name a resource on the server: acceptable in a
      // collection, a search result, a transaction …, and in a document or message outside the
      // elements that must travel with it.
      if (!target && this.mustTravel(ctx, path)) return this.notIncluded(at, quoted, innermost!)
    }
    const actual = typeof target?.resourceType === 'string' ? target.resourceType : named
    if (actual)
      this.targetType(actual, at, `The reference ${quoted} is to ${article(actual)}, but`, def, true)
    if (declared && actual && declared !== actual)
      this.add(
        'structure',
        `${pointer}/type`,
        `The type ${JSON.stringify(ref.type)} does not agree with the reference ${quoted}, which is to ${article(actual)}`,
      )
    else if (declared && !actual)
      this.targetType(declared, `${pointer}/type`, `The type ${JSON.stringify(declared)}`, def)
  }

  private targetType(type: string, at: string, subject: string, def: ElementDef, clause = false) {
    // Without targets in the model the element may reference any type, as far as this check knows.
    if (!def.targets || allowed(type, def.targets)) return
    this.add(
      'structure',
      at,
      `${subject}${clause ? '' : ' is not allowed:'} only ${list(def.targets)} may be referenced here`,
    )
  }

  /**
   * Whether the reference's target must be in the Bundle. R4 says so of a document's Composition
   * ("any other resources referenced from Composition must be included as subsequent entries in the
   * Bundle", Composition's definition; relatesTo names other documents) and of a message's focus and
   * response details (MessageHeader.focus: "always included in the bundle"; response.details: "SHALL
   * be contained in the bundle"). Of the resources those reference in turn it only says "should": the
   * HL7 examples have a document's signature and a message's Patient.managingOrganization point
   * outside.
   */
  private mustTravel(ctx: Ctx, path: string): boolean {
    const scope = ctx.bundles[0]
    if (!scope || ctx.resource !== scope.first) return false
    if (scope.type === 'document')
      return path.startsWith('Composition.') && !path.startsWith('Composition.relatesTo.')
    return (
      scope.type === 'message' &&
      (path === 'MessageHeader.focus' || path === 'MessageHeader.response.details')
    )
  }

  private notIncluded(at: string, quoted: string, scope: Scope) {
    this.add(
      'not-found',
      at,
      scope.type === 'document'
        ? `The reference ${quoted} matches no entry in the document Bundle, which must include every resource its Composition references`
        : `The reference ${quoted} matches no entry in the message Bundle, which must include the message's focus and response details`,
    )
  }

  private unknownType(at: string, quoted: string, type: string) {
    this.add(
      'value',
      at,
      `The reference ${quoted} names ${JSON.stringify(type)}, which is not an R4 resource type`,
    )
  }

  /** The entry whose fullUrl is the (absolute) reference, in the innermost Bundle that has one. */
  private byUrl(ctx: Ctx, url: string): Obj | undefined {
    const m = RESTFUL.exec(url)
    const vid = m?.[4]
    for (const scope of ctx.bundles) {
      const found = scope.byUrl.get(withoutVersion(url))?.find((r) => isVersion(r, vid))
      if (found) return found
    }
    return undefined
  }

  /**
   * A relative reference, resolved as bundle.html#references says: against the base of the entry's
   * fullUrl when that is a RESTful URL; otherwise (a urn:uuid fullUrl, or none), and as a lenient
   * fallback when the same resource is listed under another base, by the entries' type and id.
   */
  private relative(ctx: Ctx, type: string, id: string, vid: string | undefined): Obj | undefined {
    const base = ctx.fullUrl ? RESTFUL.exec(ctx.fullUrl)?.[1] : undefined
    const scope = ctx.bundles[0]
    if (base && scope) {
      const found = scope.byUrl.get(`${base}${type}/${id}`)?.find((r) => isVersion(r, vid))
      if (found) return found
    }
    for (const s of ctx.bundles) {
      const found = s.byKey.get(`${type}/${id}`)?.find((r) => isVersion(r, vid))
      if (found) return found
    }
    return undefined
  }
}

/**
 * Reference.type is a URL, relative to http://hl7.org/fhir/StructureDefinition/ (so `Patient`);
 * another absolute URL names a logical model, which this check cannot compare.
 */
function declaredType(type: string): string | undefined {
  if (type.startsWith(STRUCTURE_DEFINITION)) return type.slice(STRUCTURE_DEFINITION.length)
  return ABSOLUTE.test(type) ? undefined : type
}
