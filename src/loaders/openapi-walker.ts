import type { Node } from '../core/types.js'
import type { OpenApiArtifact } from './openapi.js'
import { SUBSCHEMA_LIST, SUBSCHEMA_MAP, SUBSCHEMA_ONE } from './schema-keywords.js'

export type Obj = Record<string, unknown>

/** The HTTP methods an OpenAPI path item may hold (OpenAPI 3.x; Swagger 2 has no `trace`). */
export const PATH_ITEM_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const

export interface OperationInfo {
  path: string
  method: string
  node: Node<Obj>
  pathItem: Node<Obj>
  /** Path-item and operation parameters merged (operation wins), refs resolved. */
  parameters: Node<Obj>[]
  /** OpenAPI 3 `requestBody`, or the Swagger 2 `body`/`formData` parameters. */
  requestBody?: Node<Obj>
  responses: { status: string; node: Node<Obj> }[]
}

export interface ServerInfo {
  url: string
  /** Where the URL is written (for Swagger 2, the `host` or `basePath`). */
  node: Node<unknown>
}

export interface MediaTypeInfo {
  name: string
  /** The media type object (OpenAPI 3) or the `produces`/`consumes` entry (Swagger 2). */
  node: Node<unknown>
  /** True when the name is a key (OpenAPI 3 `content`), false for a list entry. */
  isKey: boolean
  direction: 'request' | 'response'
  status?: string
  operation?: OperationInfo
}

export interface SchemaInfo {
  node: Node<Obj>
  /** The property name when the schema is a property of an object schema (or a parameter's name). */
  propertyName?: string
  /** Where the property name is written, for findings about the name. */
  nameLoc?: Node<unknown>
}

export interface HeaderInfo {
  name: string
  node: Node<Obj>
  /** `response` for response headers, `request` for header parameters. */
  direction: 'request' | 'response'
  operation?: OperationInfo
}

/**
 * A rule's visitor. The walker calls each handler for every matching part of the description,
 * once per place it is written ($refs followed), in one pass shared by all rules.
 */
export interface OpenApiVisitor {
  Document?(root: Node<Obj>): void
  Server?(server: ServerInfo): void
  PathItem?(path: string, node: Node<Obj>): void
  Operation?(op: OperationInfo): void
  Parameter?(param: Node<Obj>, op?: OperationInfo): void
  Response?(status: string, node: Node<Obj>, op: OperationInfo): void
  MediaType?(media: MediaTypeInfo): void
  Header?(header: HeaderInfo): void
  Schema?(schema: SchemaInfo): void
  /** Called after everything was visited. */
  DocumentExit?(root: Node<Obj>): void
}

type Handler = keyof OpenApiVisitor

/** A JSON object (not an array, not null). */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The objects of a value that should be an array of them (FHIR's repeating elements); none otherwise. */
export function objectsIn(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : []
}

/**
 * Runs several visitors over one description in a single traversal. `onCall`, when given, hears
 * which visitor (its place in `visitors`) is about to handle an event: what a caller needs to know
 * which of them runs when time is up.
 */
export function walkOpenApi(
  api: OpenApiArtifact,
  visitors: OpenApiVisitor[],
  onError: (visitor: OpenApiVisitor, error: unknown, at: number) => void,
  onCall?: (visitor: number) => void,
): void {
  // The visitors that threw, by their place (one object may be given twice, for two rule runs).
  const failed = new Set<number>()
  // Each handler's visitors, listed once: a schema event goes only to the rules that judge schemas.
  // Handlers take at most three arguments, passed as they are (no array per event and visitor).
  type Call = (this: OpenApiVisitor, a?: unknown, b?: unknown, c?: unknown) => void
  const listeners = new Map<Handler, { visitor: OpenApiVisitor; fn: Call; at: number }[]>()
  const listenersOf = (h: Handler) => {
    let list = listeners.get(h)
    if (!list)
      listeners.set(
        h,
        (list = visitors.flatMap((visitor, at) => {
          const fn = visitor[h] as Call | undefined
          return typeof fn === 'function' ? [{ visitor, fn, at }] : []
        })),
      )
    return list
  }
  function emit<H extends Handler>(handler: H, ...args: Parameters<NonNullable<OpenApiVisitor[H]>>): void
  function emit(handler: Handler, a?: unknown, b?: unknown, c?: unknown): void {
    // (An indexed loop: an event per schema, most before the compiler has optimized this, when an
    // iterator is an allocation.)
    const list = listenersOf(handler)
    for (let i = 0; i < list.length; i++) {
      const { visitor, fn, at } = list[i]!
      if (failed.size && failed.has(at)) continue
      try {
        if (onCall) onCall(at)
        fn.call(visitor, a, b, c)
      } catch (e) {
        failed.add(at)
        onError(visitor, e, at)
      }
    }
  }
  const wants = (h: Handler) => listenersOf(h).length > 0
  const wantSchemas = wants('Schema')
  // A property is visited once per place that names it (its key); any other schema once per place
  // and the name it is visited under (allOf/anyOf/oneOf members carry their parent's name). A schema
  // visited again under another name (a shared component used by many properties) need only pass
  // that name on to its allOf/anyOf/oneOf members once its subschemas have all been walked:
  // everything else under it is keyed by place alone and was visited the first time. All three are
  // noted on one mark per object (in a parsed document each object is at one place, see NodeMap):
  // a lookup or two per schema rather than five in three sets.
  interface SchemaMark {
    /** Visited as the property written here (this object is the place that names it). */
    named: boolean
    /** The names it was visited under when reached otherwise ('' for none): one, or a set of them. */
    names: string | Set<string> | undefined
    /** Its subschemas have all been walked. */
    walked: boolean
  }
  const marks = new Map<object, SchemaMark>()
  const markOf = (value: object): SchemaMark => {
    let mark = marks.get(value)
    if (!mark) marks.set(value, (mark = { named: false, names: undefined, walked: false }))
    return mark
  }
  /** Notes a name the schema is visited under; false when it was visited under it before. */
  const addName = (mark: SchemaMark, name: string): boolean => {
    const names = mark.names
    if (names === undefined) mark.names = name
    else if (typeof names === 'string') {
      if (names === name) return false
      mark.names = new Set([names, name])
    } else {
      if (names.has(name)) return false
      names.add(name)
    }
    return true
  }

  const resolve = (n: Node<unknown> | undefined): Node<Obj> | undefined => {
    const r = n && api.resolve(n)
    return r && isObj(r.value) ? (r as Node<Obj>) : undefined
  }
  const child = (n: Node<unknown>, seg: string | number, then?: string | number) =>
    then === undefined ? api.child(n, seg) : api.child(n, seg, then)

  // A schema to visit (what to resolve, the name it is visited under, where that name is written),
  // or the end of one whose subschemas have all been visited.
  type SchemaStep =
    | { raw: Node<unknown> | undefined; propertyName?: string; nameLoc?: Node<unknown> }
    | { walked: SchemaMark }
  // Depth first with a stack of its own rather than by recursion: through $refs schemas can nest
  // without end (ten thousand schemas, each a property of the one before), deeper than the call stack.
  const walkSchema = (raw: Node<unknown> | undefined, propertyName?: string, nameLoc?: Node<unknown>) => {
    if (!wantSchemas) return
    const steps: SchemaStep[] = [{ raw, propertyName, nameLoc }]
    while (steps.length) {
      const step = steps.pop()!
      if ('walked' in step) {
        step.walked.walked = true
        continue
      }
      const { propertyName, nameLoc } = step
      const node = resolve(step.raw)
      if (!node) continue
      // The same schema can be a property of several objects: each place that names it is visited.
      // (Where the name is written determines the schema and the name, so it is the key alone.)
      const mark = markOf(node.value)
      if (nameLoc) {
        // (The place that names it is the schema itself unless it is a $ref, an object of its own.)
        const at = nameLoc.value === node.value ? mark : markOf(nameLoc.value as object)
        if (at.named) continue
        at.named = true
      } else if (!addName(mark, propertyName ?? '')) continue
      emit('Schema', { node, propertyName, nameLoc })
      const s = node.value
      const again = mark.walked
      // Taken from the stack in the order they are written, then the end of this schema.
      const next: SchemaStep[] = []
      const props = again ? undefined : child(node, 'properties')
      if (props && isObj(props.value))
        for (const name of Object.keys(props.value)) {
          const prop = child(props, name)
          next.push({ raw: prop, propertyName: name, nameLoc: prop })
        }
      for (const k of Object.keys(s)) {
        const v = s[k]
        if (k === 'properties') continue
        if (SUBSCHEMA_LIST.has(k) && k !== 'prefixItems') {
          // allOf/anyOf/oneOf members describe the same property
          if (Array.isArray(v))
            for (let i = 0; i < v.length; i++) next.push({ raw: child(node, k, i), propertyName })
        } else if (again) continue
        else if (SUBSCHEMA_ONE.has(k)) {
          if (isObj(v)) next.push({ raw: child(node, k) })
          // draft-04 tuple `items`
          else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) next.push({ raw: child(node, k, i) })
        } else if (k === 'prefixItems' && Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) next.push({ raw: child(node, k, i) })
        } else if (SUBSCHEMA_MAP.has(k) && isObj(v)) {
          for (const name of Object.keys(v)) if (isObj(v[name])) next.push({ raw: child(node, k, name) })
        }
      }
      steps.push({ walked: mark })
      for (let i = next.length - 1; i >= 0; i--) steps.push(next[i]!)
    }
  }

  const walkContent = (
    content: Node<unknown> | undefined,
    direction: 'request' | 'response',
    op?: OperationInfo,
    status?: string,
  ) => {
    const c = resolve(content)
    if (!c) return
    for (const name of Object.keys(c.value)) {
      const mt = resolve(child(c, name))
      if (!mt) continue
      emit('MediaType', { name, node: mt, isKey: true, direction, status, operation: op })
      walkSchema(child(mt, 'schema'))
    }
  }

  const walkHeaders = (headers: Node<unknown> | undefined, op?: OperationInfo) => {
    const h = resolve(headers)
    if (!h) return
    for (const name of Object.keys(h.value)) {
      const header = resolve(child(h, name))
      if (!header) continue
      emit('Header', { name, node: header, direction: 'response', operation: op })
      walkSchema(child(header, 'schema'))
      walkContent(child(header, 'content'), 'response', op)
    }
  }

  const walkParameter = (param: Node<Obj>, op?: OperationInfo) => {
    emit('Parameter', param, op)
    const p = param.value
    if (p.in === 'header' && typeof p.name === 'string')
      emit('Header', { name: p.name, node: param, direction: 'request', operation: op })
    if (p.schema !== undefined)
      walkSchema(child(param, 'schema'), typeof p.name === 'string' ? p.name : undefined)
    else if (api.kind === 'swagger' && p.in !== 'body')
      // Swagger 2 non-body parameters carry their type and format themselves.
      walkSchema(param, typeof p.name === 'string' ? p.name : undefined)
    walkContent(child(param, 'content'), 'request', op)
  }

  const root = resolve(api.node(api.rootLoc))
  if (!root) return
  const doc = root.value
  emit('Document', root)

  // Servers
  if (wants('Server')) {
    if (api.kind === 'swagger') {
      if (typeof doc.host === 'string' || typeof doc.basePath === 'string') {
        const schemes =
          Array.isArray(doc.schemes) && doc.schemes.length ? (doc.schemes as string[]) : ['https']
        const basePath = typeof doc.basePath === 'string' ? doc.basePath : ''
        // Without a host the API is served from the host that serves the description: a relative URL.
        const url = typeof doc.host === 'string' ? `${schemes[0]}://${doc.host}${basePath}` : basePath || '/'
        emit('Server', { url, node: child(root, 'basePath') ?? child(root, 'host')! })
      }
    } else {
      const servers = child(root, 'servers')
      if (servers && Array.isArray(servers.value))
        servers.value.forEach((s, i) => {
          const n = child(servers, i, 'url')
          if (n && typeof n.value === 'string') emit('Server', { url: n.value, node: n })
          void s
        })
    }
  }

  // Paths and operations
  const paths = resolve(child(root, 'paths'))
  const globalConsumes = Array.isArray(doc.consumes) ? (doc.consumes as unknown[]) : undefined
  const globalProduces = Array.isArray(doc.produces) ? (doc.produces as unknown[]) : undefined
  if (paths) {
    for (const path of Object.keys(paths.value)) {
      if (path.startsWith('x-')) continue
      const item = resolve(child(paths, path))
      if (!item) continue
      emit('PathItem', path, item)
      const itemParams = resolvedList(child(item, 'parameters'))
      for (const method of Object.keys(item.value)) {
        if (!(PATH_ITEM_METHODS as readonly string[]).includes(method)) continue
        const opNode = resolve(child(item, method))
        if (!opNode) continue
        const ownParams = resolvedList(child(opNode, 'parameters'))
        const key = (p: Node<Obj>) => `${String(p.value.in)}:${String(p.value.name)}`
        const ownKeys = new Set(ownParams.map(key))
        const parameters = [...itemParams.filter((p) => !ownKeys.has(key(p))), ...ownParams]
        let requestBody: Node<Obj> | undefined
        if (api.kind === 'swagger') {
          requestBody = parameters.find((p) => p.value.in === 'body' || p.value.in === 'formData')
        } else requestBody = resolve(child(opNode, 'requestBody'))
        const responses: OperationInfo['responses'] = []
        const resps = resolve(child(opNode, 'responses'))
        if (resps)
          for (const status of Object.keys(resps.value)) {
            if (status.startsWith('x-')) continue
            const r = resolve(child(resps, status))
            if (r) responses.push({ status, node: r })
          }
        const op: OperationInfo = {
          path,
          method,
          node: opNode,
          pathItem: item,
          parameters,
          requestBody,
          responses,
        }
        emit('Operation', op)
        for (const p of ownParams) walkParameter(p, op)
        if (api.kind === 'swagger') {
          const consumes = Array.isArray(opNode.value.consumes) ? child(opNode, 'consumes') : undefined
          const produces = Array.isArray(opNode.value.produces) ? child(opNode, 'produces') : undefined
          if (consumes && requestBody) listMedia(consumes, 'request', op)
          if (produces) listMedia(produces, 'response', op)
        } else if (requestBody) walkContent(child(requestBody, 'content'), 'request', op)
        for (const { status, node } of responses) {
          emit('Response', status, node, op)
          if (api.kind === 'swagger') walkSchema(child(node, 'schema'))
          else walkContent(child(node, 'content'), 'response', op, status)
          walkHeaders(child(node, 'headers'), op)
        }
        void globalConsumes
        void globalProduces
      }
      for (const p of itemParams) walkParameter(p)
    }
  }

  if (api.kind === 'swagger') {
    const consumes = child(root, 'consumes')
    const produces = child(root, 'produces')
    if (consumes && Array.isArray(consumes.value)) listMedia(consumes, 'request')
    if (produces && Array.isArray(produces.value)) listMedia(produces, 'response')
  }

  // Reusable parts, so that definitions used nowhere are still checked.
  const components = api.kind === 'swagger' ? root : resolve(child(root, 'components'))
  if (components) {
    const section = (name: string) => resolve(child(components, name))
    const schemas = section(api.kind === 'swagger' ? 'definitions' : 'schemas')
    if (schemas) for (const name of Object.keys(schemas.value)) walkSchema(child(schemas, name))
    const params = section('parameters')
    if (params)
      for (const name of Object.keys(params.value)) {
        const p = resolve(child(params, name))
        if (p) walkParameter(p)
      }
    const headers = section('headers')
    if (headers) walkHeaders(headers)
    const responses = section('responses')
    if (responses)
      for (const name of Object.keys(responses.value)) {
        const r = resolve(child(responses, name))
        if (!r) continue
        if (api.kind === 'swagger') walkSchema(child(r, 'schema'))
        else walkContent(child(r, 'content'), 'response')
        walkHeaders(child(r, 'headers'))
      }
    const bodies = api.kind === 'swagger' ? undefined : section('requestBodies')
    if (bodies)
      for (const name of Object.keys(bodies.value)) walkContent(child(bodies, name, 'content'), 'request')
  }

  emit('DocumentExit', root)

  function resolvedList(list: Node<unknown> | undefined): Node<Obj>[] {
    if (!list || !Array.isArray(list.value)) return []
    return list.value.map((_, i) => resolve(child(list, i))).filter((n): n is Node<Obj> => !!n)
  }

  function listMedia(list: Node<unknown>, direction: 'request' | 'response', op?: OperationInfo) {
    ;(list.value as unknown[]).forEach((name, i) => {
      if (typeof name === 'string')
        emit('MediaType', { name, node: child(list, i)!, isKey: false, direction, operation: op })
    })
  }
}
