/**
 * Helpers shared by the no-closed-systems rules: media types that lock data in, bodies of
 * operations in both Swagger 2 and OpenAPI 3, named component schemas and security schemes.
 */
import type { Node } from '../../core/types.js'
import type { Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { isObj, mediaTypeEssence, objChild } from './util-style.js'

/** 2xx status codes and the `2XX` range. */
export function isSuccessStatus(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status)
}

/** HTTP verbs written upper-case in messages. */
export function verb(op: OperationInfo): string {
  return op.method.toUpperCase()
}

export { isProprietaryMediaType } from './util-media.js'

/** Spreadsheets: the legacy Excel binary format and Office Open XML workbooks. */
export const SPREADSHEET_TYPES = new Set([
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
])

/**
 * Formats a whole data set can be exported in and read without the vendor's software (EU Data Act
 * art. 30(4): "structured, commonly used and machine-readable", EIF recommendation 9 on open
 * specifications): JSON and its line-delimited forms (NDJSON, FHIR Bulk Data's application/fhir+ndjson,
 * RFC 7464 JSON text sequences), CSV/TSV, XML, RDF serialisations, OpenDocument, and ZIP/gzip archives
 * (which cannot be looked into, so are given the benefit of the doubt).
 */
const OPEN_EXPORT_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/json-seq',
  'application/yaml',
  'text/csv',
  'text/tab-separated-values',
  'application/xml',
  'text/xml',
  'text/turtle',
  'application/n-triples',
  'application/n-quads',
  'application/sql',
  'application/zip',
  'application/gzip',
])

export function isOpenExportFormat(name: string): boolean {
  const type = mediaTypeEssence(name)
  if (OPEN_EXPORT_TYPES.has(type)) return true
  if (type.startsWith('application/vnd.oasis.opendocument.')) return true
  // +json and +xml (RFC 6839) and +ndjson (FHIR Bulk Data) suffixes.
  return /^[a-z]+\/[^/]+\+(json|xml|ndjson)$/.test(type)
}

/** A media type of a body, where it is written. */
export interface BodyMedia {
  name: string
  /** The media type object (OpenAPI 3) or the `produces`/`consumes` entry (Swagger 2). */
  node: Node<unknown>
  isKey: boolean
  /** The schema as written (not resolved), when there is one. */
  schema?: Node<unknown>
}

/** The Swagger 2 `produces` or `consumes` that applies to an operation: its own, else the root's. */
export function swaggerMediaList(
  api: OpenApiArtifact,
  op: OperationInfo,
  field: 'produces' | 'consumes',
): Node<unknown>[] {
  const own = api.child(op.node, field)
  const list = own && Array.isArray(own.value) ? own : api.child(api.node(api.rootLoc), field)
  if (!list || !Array.isArray(list.value)) return []
  return list.value.flatMap((v, i) => (typeof v === 'string' ? [api.child(list, i)!] : []))
}

/** The media types of an OpenAPI 3 `content` map, with their schemas as written. */
export function contentMedia(api: OpenApiArtifact, holder: Node<unknown>): BodyMedia[] {
  const content = objChild(api, holder, 'content')
  if (!content) return []
  const out: BodyMedia[] = []
  for (const name of Object.keys(content.value)) {
    const raw = api.child(content, name)!
    const mt = objChild(api, raw)
    if (!mt) continue
    out.push({ name, node: raw, isKey: true, schema: api.child(mt, 'schema') })
  }
  return out
}

/**
 * The media types a response offers. Swagger 2 has one `produces` list for all responses of an
 * operation; a response without a `schema` has no body there, so it offers nothing. When no
 * `produces` applies, `assumeJson` takes the body as JSON (the convention, since the schema is a
 * JSON Schema); otherwise the response offers no named type.
 */
export function responseMedia(
  api: OpenApiArtifact,
  op: OperationInfo,
  response: Node<Obj>,
  assumeJson = false,
): BodyMedia[] {
  if (api.kind !== 'swagger') return contentMedia(api, response)
  const schema = api.child(response, 'schema')
  if (!schema) return []
  const list = swaggerMediaList(api, op, 'produces')
  if (!list.length && assumeJson) return [{ name: 'application/json', node: response, isKey: false, schema }]
  return list.map((n) => ({
    name: n.value as string,
    node: n,
    isKey: false,
    schema,
  }))
}

/** The media types of an operation's request body (Swagger 2: `consumes` with the body parameter's schema). */
export function requestMedia(api: OpenApiArtifact, op: OperationInfo): BodyMedia[] {
  if (!op.requestBody) return []
  if (api.kind !== 'swagger') return contentMedia(api, op.requestBody)
  if (op.requestBody.value.in !== 'body') return []
  const schema = api.child(op.requestBody, 'schema')
  const list = swaggerMediaList(api, op, 'consumes')
  // Swagger 2 defaults to JSON when nothing is said (the body parameter is a JSON Schema).
  if (!list.length) return [{ name: 'application/json', node: op.requestBody, isKey: false, schema }]
  return list.map((n) => ({ name: n.value as string, node: n, isKey: false, schema }))
}

function decodeSegment(s: string): string {
  let out = s
  try {
    out = decodeURIComponent(s)
  } catch {
    // keep as written
  }
  return out.replace(/~1/g, '/').replace(/~0/g, '~')
}

/**
 * The name of the component schema a schema refers to: `#/components/schemas/X` (OpenAPI 3),
 * `#/definitions/X` (Swagger 2), in this or another file, or a whole file (`Book.yaml` → Book).
 * Undefined for an inline schema.
 */
export function componentSchemaName(raw: Node<unknown> | undefined): string | undefined {
  const v = raw?.value
  if (!isObj(v) || typeof v.$ref !== 'string') return undefined
  const ref = v.$ref
  const m = /#\/(?:components\/schemas|definitions)\/([^/]+)$/.exec(ref)
  if (m) return decodeSegment(m[1]!)
  const file = /^([^#]*\/)?([^/#]+)\.(ya?ml|json)#?$/.exec(ref)
  return file ? decodeSegment(file[2]!) : undefined
}

export interface SecurityScheme {
  name: string
  node: Node<Obj>
  /** Where the scheme is named, for findings about it. */
  at: Node<unknown>
}

/** The container of security schemes: OpenAPI 3 `components/securitySchemes`, Swagger 2 `securityDefinitions`. */
export function securitySchemesNode(api: OpenApiArtifact, root: Node<Obj>): Node<Obj> | undefined {
  if (api.kind === 'swagger') return objChild(api, root, 'securityDefinitions')
  const components = objChild(api, root, 'components')
  return components && objChild(api, components, 'securitySchemes')
}

export function securitySchemes(api: OpenApiArtifact, root: Node<Obj>): SecurityScheme[] {
  const container = securitySchemesNode(api, root)
  if (!container) return []
  const out: SecurityScheme[] = []
  for (const name of Object.keys(container.value)) {
    const at = api.child(container, name)!
    const node = objChild(api, at)
    if (node) out.push({ name, node, at })
  }
  return out
}

/** The OAuth2 scopes a scheme declares, by name, with where each is written. */
export function declaredScopes(api: OpenApiArtifact, scheme: Node<Obj>): Map<string, Node<unknown>> {
  const scopes = new Map<string, Node<unknown>>()
  const add = (holder: Node<Obj> | undefined) => {
    const s = holder && objChild(api, holder, 'scopes')
    if (s) for (const k of Object.keys(s.value)) if (!scopes.has(k)) scopes.set(k, api.child(s, k)!)
  }
  if (api.kind === 'swagger') add(scheme)
  else {
    const flows = objChild(api, scheme, 'flows')
    if (flows) for (const f of Object.keys(flows.value)) add(objChild(api, flows, f))
  }
  return scopes
}
