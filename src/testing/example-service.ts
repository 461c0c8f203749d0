import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import SwaggerParser from '@apidevtools/swagger-parser'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { isObj } from '../loaders/openapi-walker.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void

/**
 * Ways the example service can misbehave, each breaking what one live rule checks:
 * - `legacy-tls`: also accepts TLS 1.0 and 1.1 (tls-configuration);
 * - `security-headers`: no Strict-Transport-Security, nosniff or no-store (security-headers);
 * - `health`: the health endpoint answers plain JSON without a status (health-live);
 * - `errors`: unknown paths get a 200 HTML page, invalid parameters are not rejected (problem-details-live);
 * - `published`: the published description is not the one supplied (openapi-published-live);
 * - `cors`: no CORS on the published description (cors-live);
 * - `drift`: JSON bodies do not match their schemas (response-drift-live);
 * - `api-version`: a wrong API-Version header (api-version-live);
 * - `rate-limit`: no rate-limit headers (rate-limit-live);
 * - `auth-metadata`: incomplete OpenID Connect and OAuth metadata (auth-discovery-live).
 */
export const FAULTS = [
  'legacy-tls',
  'security-headers',
  'health',
  'errors',
  'published',
  'cors',
  'drift',
  'api-version',
  'rate-limit',
  'auth-metadata',
] as const
export type Fault = (typeof FAULTS)[number]

export interface ExampleServiceOptions {
  /** Path of the OpenAPI 3 description whose examples the service answers with. */
  openapi: string
  /** The path the API is served under, e.g. `/library/v1`. */
  basePath: string
  /** Server certificate and key (PEM). */
  cert: string
  key: string
  /** A bearer token the service accepts. */
  token?: string
  /** OAuth 2.0 clients that may get a token with the client credentials grant. */
  clients?: { id: string; secret: string }[]
  faults?: readonly Fault[]
  host?: string
  port?: number
}

export interface ExampleService {
  port: number
  /** Every request the service received: method and path. */
  requests: string[]
  /** The access tokens it issued to clients. */
  issued: string[]
  close(): Promise<void>
}

type Obj = Record<string, unknown>

/**
 * A stand-in for a vendor's running service, made from an OpenAPI description: GET operations
 * answer with their documented examples, parameters are validated against their schemas, errors
 * are problem details, the description is published at `<basePath>/openapi.json`, and OpenID
 * Connect and OAuth metadata and a token endpoint are served at the origin. It lets the live
 * checks be tried, demonstrated and tested without a real service; `faults` make it misbehave.
 */
export async function startExampleService(o: ExampleServiceOptions): Promise<ExampleService> {
  const faults = new Set(o.faults ?? [])
  const ajv = new Ajv({ strict: false, coerceTypes: true, allErrors: false, logger: false })
  addFormats(ajv)
  // Read at the first request, so that a test can write the description once it knows the port.
  let loaded: Promise<Described> | undefined
  const describe = () => (loaded ??= loadDescription(o.openapi, faults))
  const tokens = new Set(o.token ? [o.token] : [])
  const requests: string[] = []
  const issued: string[] = []

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { doc, version, published, routes } = await describe()
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? 'localhost'}`)
    requests.push(`${req.method} ${url.pathname}`)
    const origin = `https://${req.headers.host ?? 'localhost'}`
    const common: Record<string, string> = faults.has('security-headers')
      ? {}
      : {
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          'x-content-type-options': 'nosniff',
          // API answers may be personal: no shared cache keeps any of them.
          'cache-control': 'no-store',
        }
    const apiHeaders: Record<string, string> = {
      ...common,
      'api-version': faults.has('api-version') ? '0.9.0' : version,
      ...(faults.has('rate-limit')
        ? {}
        : { 'ratelimit-policy': '600;w=60', ratelimit: 'limit=600, remaining=599, reset=60' }),
    }
    const send = (
      status: number,
      type: string | undefined,
      body: string,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, { ...headers, ...(type ? { 'content-type': type } : {}) })
      res.end(body)
    }
    const problem = (status: number, title: string, detail: string) =>
      send(
        status,
        'application/problem+json',
        JSON.stringify({ type: 'about:blank', title, status, detail, instance: url.pathname }),
        apiHeaders,
      )

    // The identity provider's side: discovery metadata and the token endpoint.
    if (
      url.pathname === '/.well-known/openid-configuration' ||
      url.pathname === '/.well-known/oauth-authorization-server'
    ) {
      const oidc = url.pathname.endsWith('openid-configuration')
      const meta: Obj = {
        issuer: faults.has('auth-metadata') ? `${origin}/other-issuer` : origin,
        authorization_endpoint: `${origin}/oauth2/authorize`,
        token_endpoint: `${origin}/oauth2/token`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'client_credentials'],
        ...(oidc && !faults.has('auth-metadata')
          ? {
              jwks_uri: `${origin}/oauth2/jwks`,
              subject_types_supported: ['public'],
              id_token_signing_alg_values_supported: ['RS256'],
            }
          : {}),
      }
      return send(200, 'application/json', JSON.stringify(meta), common)
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      const body = await readBody(req)
      const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /i, ''), 'base64')
        .toString()
        .split(':')
        .map((s) => decodeURIComponent(s.replace(/\+/g, ' ')))
      const client = o.clients?.find((c) => c.id === id && c.secret === secret)
      if (!client || new URLSearchParams(body).get('grant_type') !== 'client_credentials')
        return send(401, 'application/json', JSON.stringify({ error: 'invalid_client' }), common)
      const token = randomBytes(24).toString('base64url')
      tokens.add(token)
      issued.push(token)
      return send(
        200,
        'application/json',
        JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }),
        {
          ...common,
          'cache-control': 'no-store',
        },
      )
    }

    if (!url.pathname.startsWith(o.basePath))
      return problem(404, 'Not Found', 'There is nothing at this path.')
    const path = url.pathname.slice(o.basePath.length) || '/'

    if (path === '/openapi.json') {
      const cors: Record<string, string> = faults.has('cors')
        ? {}
        : {
            'access-control-allow-origin': '*',
            'access-control-allow-methods': 'GET, OPTIONS',
            'access-control-allow-headers': 'accept',
          }
      if (req.method === 'OPTIONS') {
        if (faults.has('cors')) return send(405, undefined, '', common)
        return send(204, undefined, '', { ...common, ...cors, 'access-control-max-age': '600' })
      }
      return send(200, 'application/json', JSON.stringify(published), { ...common, ...cors })
    }

    const route = routes.find((r) => r.pattern.test(path))
    if (!route) {
      if (faults.has('errors')) return send(200, 'text/html', '<html><body>Not found</body></html>', common)
      return problem(404, 'Not Found', 'There is nothing at this path.')
    }
    const method = (req.method ?? 'GET').toLowerCase()
    const op = route.item[method]
    if (!isObj(op)) return problem(405, 'Method Not Allowed', `${req.method} is not supported here.`)

    const security = (op.security ?? doc.security) as unknown[] | undefined
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const authenticated = bearer !== undefined && tokens.has(bearer)
    if (security?.length && !security.some((s) => isObj(s) && !Object.keys(s).length) && !authenticated)
      return problem(401, 'Unauthorized', 'Send a valid bearer token.')

    // Parameters must match their schemas.
    if (!faults.has('errors')) {
      const values = route.pattern.exec(path)!.slice(1)
      const params = [
        ...(Array.isArray(route.item.parameters) ? route.item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ] as Obj[]
      for (const p of params) {
        const name = String(p.name)
        const given =
          p.in === 'path'
            ? decodeURIComponent(values[route.names.indexOf(name)] ?? '')
            : p.in === 'query'
              ? (url.searchParams.get(name) ?? undefined)
              : undefined
        if (given === undefined || !isObj(p.schema)) continue
        const holder = { v: given }
        if (!ajv.validate({ type: 'object', properties: { v: p.schema } }, holder))
          return problem(
            400,
            'Bad Request',
            `The ${p.in} parameter '${name}' is not valid: ${ajv.errorsText(ajv.errors, { dataVar: name })}.`,
          )
      }
      if (method !== 'get' && method !== 'head') {
        const body = await readBody(req)
        try {
          JSON.parse(body)
        } catch {
          return problem(400, 'Bad Request', 'The request body is not valid JSON.')
        }
        return problem(403, 'Forbidden', 'This example service changes nothing.')
      }
    }

    const responses = isObj(op.responses) ? op.responses : {}
    const status = Object.keys(responses).find((s) => /^2\d\d$/.test(s))
    const response = status ? responses[status] : undefined
    const content = isObj(response) && isObj(response.content) ? response.content : {}
    const [type, media] = Object.entries(content)[0] ?? []
    if (!status || !type || !isObj(media))
      return send(Number(status ?? 204), undefined, '', { ...apiHeaders })
    let example = 'example' in media ? media.example : undefined
    if (example === undefined && isObj(media.examples)) {
      const first = Object.values(media.examples)[0]
      example = isObj(first) ? first.value : undefined
    }
    const json = /\bjson\b/.test(type)
    if (path.endsWith('/health') && faults.has('health'))
      return send(200, 'application/json', JSON.stringify({ ok: true }), apiHeaders)
    if (json && faults.has('drift')) example = Array.isArray(example) ? {} : []
    const body = json ? JSON.stringify(example ?? {}) : typeof example === 'string' ? example : ''
    return send(Number(status), type, body, { ...apiHeaders })
  }

  const server: Server = createServer(
    {
      cert: o.cert,
      key: o.key,
      ...(faults.has('legacy-tls') ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(e))
      })
    },
  )
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

interface Described {
  doc: Obj
  version: string
  published: Obj
  routes: { template: string; item: Obj; pattern: RegExp; names: string[] }[]
}

async function loadDescription(file: string, faults: ReadonlySet<Fault>): Promise<Described> {
  const bundled = (await SwaggerParser.bundle(file)) as unknown as Obj
  const doc = (await SwaggerParser.dereference(structuredClone(bundled) as never)) as unknown as Obj
  const info = isObj(doc.info) ? doc.info : {}
  const version = String(info.version ?? '')
  const published = faults.has('published')
    ? { ...bundled, info: { ...(bundled.info as Obj), version: `${version}-changed` } }
    : bundled
  const routes = Object.entries(isObj(doc.paths) ? doc.paths : {}).map(([template, item]) => ({
    template,
    item: item as Obj,
    pattern: new RegExp(
      '^' +
        template
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
          .join('') +
        '$',
    ),
    names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
  }))
  return { doc, version, published, routes }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 1024 * 1024) break
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
