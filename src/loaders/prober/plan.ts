import type { Node } from '../../core/types.js'
import type { HttpExchange, ProbePurpose, ProbeTarget } from '../live.js'
import type { ApiEntry } from '../manifest.js'
import type { OpenApiArtifact } from '../openapi.js'
import { isObj, walkOpenApi, type Obj, type OperationInfo } from '../openapi-walker.js'

/** One request the prober will make. */
export interface PlannedRequest {
  target: ProbeTarget
  purpose: ProbePurpose
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  /** Send the environment's credentials with it. */
  authenticate: boolean
  operation?: HttpExchange['operation']
  invalid?: HttpExchange['invalid']
  scheme?: HttpExchange['scheme']
  fhir?: HttpExchange['fhir']
}

/** What to ask one base URL: independent requests, and candidates for the published description. */
export interface TargetPlan {
  requests: PlannedRequest[]
  /** Tried in order until one answers 2xx; a CORS preflight then goes to the one that did. */
  published: PlannedRequest[]
}

/** The origin the prober claims in CORS requests: a reserved name no real site has (RFC 6761). */
export const PROBE_ORIGIN = 'https://interop-check.invalid'
const UNKNOWN_PATH = '/interop-check-no-such-path'
const PUBLISHED_AT = ['openapi.json', 'openapi.yaml', 'api-docs', 'v3/api-docs', 'swagger.json']
const HEALTH_PATH = /\/(health|healthz|status|ping|livez|readyz|api-info)$/i
const JSON_ACCEPT = 'application/json, application/problem+json;q=0.9, */*;q=0.1'
/** The most operations called per base URL, so that a large description does not mean thousands of calls. */
export const MAX_OPERATIONS = 50
/** A body no JSON parser accepts: it cannot create or change anything on a correct service. */
const MALFORMED_JSON = '{"interop-check": '

/** The operations of a description, in the order they are written. */
export function operationsOf(api: OpenApiArtifact): OperationInfo[] {
  const ops: OperationInfo[] = []
  walkOpenApi(api, [{ Operation: (op) => void ops.push(op) }], (_, e) => {
    throw e
  })
  return ops
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + (path && !path.startsWith('/') ? '/' : '') + path
}

/**
 * What to ask a base URL: the base itself, the health endpoint, a path that cannot exist, the
 * described GET operations it has parameter values for, one request its schema forbids, and where
 * the description may be published. Only safe methods, unless unsafe ones are allowed.
 */
export function planTarget(
  target: ProbeTarget,
  entry: Pick<ApiEntry, 'examples' | 'openapiUrl'> | undefined,
  api: OpenApiArtifact | undefined,
  allowUnsafe: boolean,
): TargetPlan {
  const get = (purpose: ProbePurpose, url: string, extra: Partial<PlannedRequest> = {}): PlannedRequest => ({
    target,
    purpose,
    method: 'GET',
    url,
    headers: { accept: JSON_ACCEPT },
    authenticate: true,
    ...extra,
  })
  const base = target.baseUrl
  const requests: PlannedRequest[] = [get('base', base)]
  const ops = api ? operationsOf(api) : []
  const health = ops.find((op) => op.method === 'get' && HEALTH_PATH.test(op.path) && !op.path.includes('{'))
  if (health) requests.push(get('health', joinUrl(base, health.path)))
  requests.push(get('unknown-path', joinUrl(base, UNKNOWN_PATH)))

  const examples = (op: OperationInfo) => {
    const id = typeof op.node.value.operationId === 'string' ? op.node.value.operationId : undefined
    return (id !== undefined && isObj(entry?.examples[id]) ? entry.examples[id] : {}) as Obj
  }
  const refOf = (op: OperationInfo): HttpExchange['operation'] => ({
    method: op.method.toUpperCase(),
    path: op.path,
    ...(typeof op.node.value.operationId === 'string' ? { operationId: op.node.value.operationId } : {}),
  })

  let called = 0
  for (const op of ops) {
    if (op.method !== 'get' || op === health || called >= MAX_OPERATIONS) continue
    const req = buildRequest(base, op, examples(op))
    if (!req) continue
    called++
    requests.push(
      get('operation', req.url, { headers: { accept: JSON_ACCEPT, ...req.headers }, operation: refOf(op) }),
    )
  }

  const invalid = api && findInvalid(api, base, ops, examples)
  if (invalid)
    requests.push(
      get('invalid-request', invalid.url, {
        headers: { accept: JSON_ACCEPT, ...invalid.headers },
        operation: refOf(invalid.op),
        invalid: invalid.invalid,
      }),
    )
  else if (allowUnsafe) {
    // No parameter can be made invalid: send a body no parser accepts to an operation that takes JSON.
    for (const op of ops) {
      if (!['post', 'put', 'patch'].includes(op.method) || !takesJson(api!, op)) continue
      const req = buildRequest(base, op, examples(op), { onlyPath: true })
      if (!req) continue
      requests.push({
        target,
        purpose: 'invalid-request',
        method: op.method.toUpperCase(),
        url: req.url,
        headers: { accept: JSON_ACCEPT, 'content-type': 'application/json', ...req.headers },
        body: MALFORMED_JSON,
        authenticate: true,
        operation: refOf(op),
        invalid: { in: 'body', name: 'body', value: MALFORMED_JSON },
      })
      break
    }
  }

  const candidates = entry?.openapiUrl ? [entry.openapiUrl] : PUBLISHED_AT
  const published = candidates.map((c) =>
    get('openapi', /^https?:\/\//i.test(c) ? c : joinUrl(base, c), {
      headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1', origin: PROBE_ORIGIN },
      // The description must be readable without credentials.
      authenticate: false,
    }),
  )
  return { requests, published }
}

/** The CORS preflight a browser on another origin sends before reading the description. */
export function preflightFor(found: PlannedRequest): PlannedRequest {
  return {
    target: found.target,
    purpose: 'cors-preflight',
    method: 'OPTIONS',
    url: found.url,
    headers: {
      origin: PROBE_ORIGIN,
      'access-control-request-method': 'GET',
    },
    authenticate: false,
  }
}

/** The discovery documents of the description's OpenID Connect and OAuth 2.0 security schemes. */
export function planAuthMetadata(target: ProbeTarget, api: OpenApiArtifact): PlannedRequest[] {
  const root = api.node(api.rootLoc)
  const schemes =
    api.kind === 'swagger'
      ? api.child(root, 'securityDefinitions')
      : api.child(root, 'components', 'securitySchemes')
  const resolved = schemes && api.resolve(schemes)
  if (!resolved || !isObj(resolved.value)) return []
  const out: PlannedRequest[] = []
  const seen = new Set<string>()
  const add = (name: string, type: 'openIdConnect' | 'oauth2', url: string, tokenUrl?: string) => {
    if (seen.has(url)) return
    seen.add(url)
    out.push({
      target,
      purpose: 'auth-metadata',
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
      authenticate: false,
      scheme: { name, type, ...(tokenUrl ? { tokenUrl } : {}) },
    })
  }
  for (const name of Object.keys(resolved.value)) {
    const s = api.resolve(api.child(resolved, name) ?? { value: undefined, loc: resolved.loc })
    if (!s || !isObj(s.value)) continue
    const v = s.value
    if (v.type === 'openIdConnect' && typeof v.openIdConnectUrl === 'string') {
      const url = absolute(v.openIdConnectUrl, target.baseUrl)
      if (url) add(name, 'openIdConnect', url)
    } else if (v.type === 'oauth2') {
      const tokenUrls =
        api.kind === 'swagger'
          ? [v.tokenUrl]
          : isObj(v.flows)
            ? Object.values(v.flows).map((f) => (isObj(f) ? f.tokenUrl : undefined))
            : []
      for (const t of tokenUrls) {
        const tokenUrl = typeof t === 'string' ? absolute(t, target.baseUrl) : undefined
        if (!tokenUrl) continue
        // RFC 8414 §3: the metadata of an issuer without a path is at the origin's well-known URL.
        add(name, 'oauth2', `${new URL(tokenUrl).origin}/.well-known/oauth-authorization-server`, tokenUrl)
      }
    }
  }
  return out
}

function absolute(url: string, base: string): string | undefined {
  try {
    const u = new URL(url, base)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined
  } catch {
    return undefined
  }
}

function takesJson(api: OpenApiArtifact, op: OperationInfo): boolean {
  if (!op.requestBody) return false
  if (api.kind === 'swagger') return op.requestBody.value.in === 'body'
  const content = op.requestBody.value.content
  return isObj(content) && Object.keys(content).some((m) => /^application\/([\w.-]+\+)?json\b/i.test(m))
}

/**
 * The URL and headers of a call to an operation with the given parameter values, or undefined
 * when a required parameter has no value. Optional parameters are sent when a value is given.
 */
function buildRequest(
  base: string,
  op: OperationInfo,
  values: Obj,
  opts: { onlyPath?: boolean; skip?: Node<Obj>; override?: { param: Node<Obj>; value: string } } = {},
): { url: string; headers: Record<string, string> } | undefined {
  let path = op.path
  const query = new URLSearchParams()
  const headers: Record<string, string> = {}
  for (const p of op.parameters) {
    const name = typeof p.value.name === 'string' ? p.value.name : undefined
    const where = p.value.in
    if (!name || where === 'body' || where === 'formData') continue
    const given = opts.override?.param === p ? opts.override.value : values[name]
    const required = where === 'path' || p.value.required === true
    if (given === undefined || given === null) {
      if (required && !(opts.onlyPath && where !== 'path')) return undefined
      continue
    }
    if (opts.onlyPath && where !== 'path') continue
    const text = Array.isArray(given)
      ? given.map(String)
      : [typeof given === 'object' ? JSON.stringify(given) : String(given)]
    if (where === 'path') path = path.split(`{${name}}`).join(encodeURIComponent(text.join(',')))
    else if (where === 'query') for (const t of text) query.append(name, t)
    else if (where === 'header') headers[name.toLowerCase()] = text.join(',')
    else if (required) return undefined // cookies are not sent
  }
  if (/\{[^}]*\}/.test(path)) return undefined
  const qs = query.toString()
  return { url: joinUrl(base, path) + (qs ? `?${qs}` : ''), headers }
}

/**
 * A GET call with one parameter set to a value its schema forbids, all others as the manifest gives
 * them. A query parameter is preferred: a wrong path segment may fairly be answered 404.
 */
function findInvalid(
  api: OpenApiArtifact,
  base: string,
  ops: OperationInfo[],
  examples: (op: OperationInfo) => Obj,
):
  | {
      op: OperationInfo
      url: string
      headers: Record<string, string>
      invalid: NonNullable<HttpExchange['invalid']>
    }
  | undefined {
  let fallback: ReturnType<typeof findInvalid>
  for (const op of ops) {
    if (op.method !== 'get') continue
    for (const p of op.parameters) {
      const where = p.value.in
      if (where !== 'query' && where !== 'path') continue
      if (where === 'path' && fallback) continue
      const value = forbiddenValue(api, p)
      if (value === undefined) continue
      const req = buildRequest(base, op, examples(op), { override: { param: p, value } })
      if (!req) continue
      const found = { op, ...req, invalid: { in: where, name: String(p.value.name), value } as const }
      if (where === 'query') return found
      fallback = found
    }
  }
  return fallback
}

/** A value the parameter's schema rejects, when one can be made without guessing. */
function forbiddenValue(api: OpenApiArtifact, p: Node<Obj>): string | undefined {
  const raw = api.kind === 'swagger' ? p : api.child(p, 'schema')
  const s = raw && api.resolve(raw)
  if (!s || !isObj(s.value)) return undefined
  const v = s.value
  const types = Array.isArray(v.type) ? v.type : [v.type]
  if (types.includes('string') || types.includes(undefined)) {
    if (Array.isArray(v.enum) && v.enum.length && v.enum.every((x) => typeof x === 'string'))
      return 'interop-not-in-enum'
    if (v.format === 'uuid') return 'interop-not-a-uuid'
    if (v.format === 'date' || v.format === 'date-time') return 'interop-not-a-date'
    if (typeof v.maxLength === 'number' && v.maxLength < 1000) return 'x'.repeat(v.maxLength + 1)
    if (types.includes('string')) return undefined
  }
  if (types.includes('integer') || types.includes('number')) return 'interop-not-a-number'
  if (types.includes('boolean')) return 'interop-not-a-boolean'
  return undefined
}
