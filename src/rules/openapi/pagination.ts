import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { isCollectionPath } from './util.js'
import { isObj, objChild } from './util-style.js'

/**
 * Pagination parameter names, compared lower-cased with `_`, `-`, `$`, `.` and brackets removed so
 * that page_size, page-size, pageSize, page[size] and $top all match.
 */
// A cursor or token is enough on its own: the server decides the page size.
const CURSOR = new Set([
  'cursor',
  'pagecursor',
  'after',
  'before',
  'startingafter',
  'endingbefore',
  'pagetoken',
  'nextpagetoken',
  'continuationtoken',
  'continuation',
  'skiptoken', // OData $skiptoken
  'searchafter',
])
const OFFSET = new Set(['offset', 'skip', 'start', 'startindex', 'pageoffset'])
const PAGE = new Set(['page', 'pagenumber', 'pageno', 'pagenr', 'pageindex'])
const SIZE = new Set([
  'limit',
  'top', // OData $top
  'count',
  'size',
  'pagesize',
  'perpage',
  'pagelimit',
  'maxresults',
  'maxitems',
])

const normalize = (name: string) => name.toLowerCase().replace(/[_\-$.[\]]/g, '')

export function offersPagination(names: string[]): boolean {
  const n = new Set(names.map(normalize))
  const has = (set: Set<string>) => [...n].some((x) => set.has(x))
  return has(CURSOR) || (has(SIZE) && (has(OFFSET) || has(PAGE)))
}

export default defineRule({
  meta: {
    id: 'pagination',
    title: 'Collections are paginated',
    failureTitle: 'Collections are returned without pagination',
    description:
      'A list returned in one piece grows with the municipality’s data until requests time out or clients run out of memory, and a client cannot fetch it in parts. ' +
      'Give every collection GET pagination parameters (limit and offset, page and page size, or a cursor) and, preferably, RFC 8288 Link headers to the next page.',
    fix: 'Add limit/offset, page/pageSize or cursor query parameters, or a Link response header, to the collection GET.',
    sources: [
      {
        title: 'REST API-profil (DIGG): Filtrering, paginering och sökparametrar',
        url: 'https://dev.dataportal.se/rest-api-profil/filtrering-paginering-och-sokparametrar#paginering',
      },
      { title: 'RFC 8288 Web Linking', url: 'https://www.rfc-editor.org/rfc/rfc8288' },
    ],
    requires: ['openapi'],
    messages: {
      missing:
        'GET {{path}} returns a list but offers no pagination (limit/offset, page/pageSize, cursor or a Link header).',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    let collections = 0
    return {
      Operation(op) {
        if (op.method !== 'get' || !isCollectionPath(op.path)) return
        const ok = op.responses.find((r) => r.status === '200')
        if (!ok || !returnsList(api, ok.node, op.path)) return
        collections++
        if (offersPagination(queryNames(api, op)) || hasLinkHeader(api, ok.node)) return
        const params = api.child(op.node, 'parameters')
        ctx.report({ messageId: 'missing', node: params ?? op.node, key: true, data: { path: op.path } })
      },
      DocumentExit() {
        if (collections === 0)
          ctx.notApplicable('The description has no GET operation that returns a collection.')
      },
    }
  },
})

/** Query parameter names, with the property names of object (deepObject) parameters such as JSON:API `page`. */
function queryNames(api: OpenApiArtifact, op: OperationInfo): string[] {
  const names: string[] = []
  for (const p of op.parameters) {
    if (p.value.in !== 'query' || typeof p.value.name !== 'string') continue
    names.push(p.value.name)
    const schema = objChild(api, p, 'schema')
    const props = schema && objChild(api, schema, 'properties')
    for (const prop of Object.keys(props?.value ?? {})) names.push(prop, p.value.name + prop)
  }
  return names
}

function hasLinkHeader(api: OpenApiArtifact, response: Node<Obj>): boolean {
  const headers = objChild(api, response, 'headers')
  return !!headers && Object.keys(headers.value).some((h) => h.toLowerCase() === 'link')
}

/** The response body schemas: OpenAPI 3 `content` (every media type) or the Swagger 2 `schema`. */
function bodySchemas(api: OpenApiArtifact, response: Node<Obj>): Node<Obj>[] {
  if (api.kind === 'swagger') {
    const s = objChild(api, response, 'schema')
    return s ? [s] : []
  }
  const content = objChild(api, response, 'content')
  const out: Node<Obj>[] = []
  for (const type of Object.keys(content?.value ?? {})) {
    const s = objChild(api, content!, type, 'schema')
    if (s) out.push(s)
  }
  return out
}

function returnsList(api: OpenApiArtifact, response: Node<Obj>, path: string): boolean {
  const collection = normalize(path.replace(/\/+$/, '').split('/').pop() ?? '')
  return bodySchemas(api, response).some((s) => isArray(api, s, 0) || hasArrayProperty(api, s, 0, collection))
}

// Names under which list envelopes carry their items (common API styles, JSON:API `data`,
// OData `value`, GeoJSON `features`, Elasticsearch-like `hits`).
const ENVELOPE_NAMES = new Set(
  [
    'items',
    'data',
    'results',
    'records',
    'entries',
    'content',
    'elements',
    'values',
    'value',
    'list',
    'members',
    'hits',
    'rows',
    'features',
    'embedded',
  ].map(normalize),
)

/** The schema and, through `allOf`, the schemas it is made of ($refs followed). */
function parts(api: OpenApiArtifact, schema: Node<Obj>, depth: number): Node<Obj>[] {
  if (depth > 8) return [schema]
  const out = [schema]
  const allOf = api.child(schema, 'allOf')
  if (allOf && Array.isArray(allOf.value))
    allOf.value.forEach((_, i) => {
      const s = objChild(api, allOf, i)
      if (s) out.push(...parts(api, s, depth + 1))
    })
  return out
}

function isArray(api: OpenApiArtifact, schema: Node<Obj>, depth: number): boolean {
  return parts(api, schema, depth).some((s) => {
    const t = s.value.type
    return t === 'array' || (Array.isArray(t) && t.includes('array'))
  })
}

/**
 * A list envelope: an object whose items are an array directly under `properties` ({items: [...],
 * total: 3}), following refs and allOf. The array must be named as envelopes name their items, or
 * after the collection (`books` for /books): a single resource with an array field (an app with
 * its `events`) is not a collection. HAL's `_embedded` object is looked into once more.
 */
function hasArrayProperty(
  api: OpenApiArtifact,
  schema: Node<Obj>,
  depth: number,
  collection: string,
): boolean {
  for (const s of parts(api, schema, depth)) {
    const props = objChild(api, s, 'properties')
    if (!props) continue
    for (const name of Object.keys(props.value)) {
      const p = objChild(api, props, name)
      if (!p || !isObj(p.value)) continue
      const itemsName = depth > 0 || ENVELOPE_NAMES.has(normalize(name)) || normalize(name) === collection
      if (itemsName && isArray(api, p, depth + 1)) return true
      if (name === '_embedded' && depth === 0 && hasArrayProperty(api, p, depth + 1, collection)) return true
    }
  }
  return false
}
