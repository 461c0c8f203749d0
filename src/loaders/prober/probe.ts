import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate } from 'node:tls'
import { Agent, request } from 'undici'
import type { OpenApiArtifact } from '../openapi.js'
import type { ApiEntry } from '../manifest.js'
import { LiveArtifact, type HttpExchange, type ProbeTarget, type TlsObservation } from '../live.js'
import { assertHostAllowed, guardedLookup, RefusedHostError, type HostPolicy } from './guard.js'

export interface ProbeOptions {
  /** Hosts allowed besides those the manifest names (`--allow-host`). */
  allowHosts?: readonly string[]
  /** Allow private, loopback and other special addresses (`--allow-private`). */
  allowPrivate?: boolean
  /** Per-request timeout in milliseconds (default 10 s). */
  timeoutMs?: number
  /** The most of a response body that is read (default 1 MiB). */
  maxBodyBytes?: number
  /** Extra trusted certificate authorities (PEM), e.g. a municipality's test CA (`--ca`). */
  ca?: readonly string[]
  /** Time between requests to one host (default 200 ms: 5 requests a second). */
  intervalMs?: number
  /** Progress messages. */
  log?: (message: string) => void
  /** The clock, so that recordings can be replayed with the same time. */
  now?: () => Date
}

export const PROBE_DEFAULTS = { timeoutMs: 10_000, maxBodyBytes: 1024 * 1024, intervalMs: 200 }
const MAX_REDIRECTS = 3
const EXCERPT_CHARS = 500
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])

/** The base URLs the manifest names, one target per API environment. */
export function targetsOf(apis: readonly ApiEntry[]): ProbeTarget[] {
  return apis.flatMap((api) =>
    Object.entries(api.environments).map(([environment, baseUrl]) => ({
      api: api.name,
      environment,
      baseUrl: baseUrl!,
      loc: { uri: api.loc.uri, pointer: `${api.loc.pointer}/environments/${environment}` },
    })),
  )
}

/**
 * Calls the running service at the manifest's base URLs and records what it sees: a TLS handshake
 * per https host and a few safe requests per base URL. Bounded: only allowed hosts, no private
 * addresses unless allowed, safe methods only, timeouts, a body cap, few redirects and only to the
 * same host, and a polite pace. A host that does not answer is recorded as such, not thrown.
 */
export async function probeService(
  targets: readonly ProbeTarget[],
  apis: ReadonlyMap<string, OpenApiArtifact>,
  options: ProbeOptions = {},
): Promise<LiveArtifact> {
  const o = { ...PROBE_DEFAULTS, ...options }
  const now = o.now ?? (() => new Date())
  const policy: HostPolicy = {
    allowedHosts: new Set([
      ...targets.map((t) => hostOf(t.baseUrl)).filter((h): h is string => !!h),
      ...(o.allowHosts ?? []).map((h) => h.toLowerCase()),
    ]),
    allowPrivate: o.allowPrivate ?? false,
  }
  const agent = new Agent({
    // The timeout bounds the TCP and TLS handshake too, not only the wait for headers and body.
    connect: {
      lookup: guardedLookup(policy),
      timeout: o.timeoutMs,
      ...(o.ca?.length ? { ca: [...o.ca] } : {}),
    },
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    connections: 4,
  })
  const observedAt = now().toISOString()
  const exchanges: HttpExchange[] = []
  const tls: TlsObservation[] = []
  const lastCall = new Map<string, number>()
  const pace = async (host: string) => {
    const wait = (lastCall.get(host) ?? 0) + o.intervalMs - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    lastCall.set(host, Date.now())
  }

  try {
    const seenHosts = new Set<string>()
    for (const target of targets) {
      const url = new URL(target.baseUrl)
      const key = `${url.hostname}:${url.port}`
      if (url.protocol === 'https:' && !seenHosts.has(key)) {
        seenHosts.add(key)
        o.log?.(`TLS ${url.host}`)
        tls.push(await observeTls(target, url, policy, o))
      }
      for (const { purpose, path } of probesFor(target, apis.get(target.api))) {
        const full = joinUrl(target.baseUrl, path)
        o.log?.(`GET ${full}`)
        await pace(url.host)
        exchanges.push(await get(target, purpose, full, agent, policy, o))
      }
    }
  } finally {
    await agent.close()
  }
  return new LiveArtifact(exchanges, tls, observedAt)
}

/** What to ask each base URL: the base itself, the health endpoint it describes, and a path that cannot exist. */
function probesFor(
  target: ProbeTarget,
  api: OpenApiArtifact | undefined,
): { purpose: string; path: string }[] {
  const probes = [{ purpose: 'base', path: '' }]
  const paths =
    api && (api.valueAt({ uri: api.root.uri, pointer: '/paths' }) as Record<string, unknown> | undefined)
  const health =
    paths &&
    Object.keys(paths).find(
      (p) => /\/(health|healthz|status|ping|livez|readyz|api-info)$/i.test(p) && !p.includes('{'),
    )
  if (health) probes.push({ purpose: 'health', path: health })
  probes.push({ purpose: 'unknown-path', path: '/interop-check-no-such-path' })
  void target
  return probes
}

async function get(
  target: ProbeTarget,
  purpose: string,
  startUrl: string,
  agent: Agent,
  policy: HostPolicy,
  o: typeof PROBE_DEFAULTS & ProbeOptions,
): Promise<HttpExchange> {
  const headers = {
    accept: 'application/json, application/problem+json;q=0.9, */*;q=0.1',
    'user-agent': 'interop-checker',
  }
  let url = startUrl
  const record = (extra: Partial<HttpExchange>): HttpExchange => ({
    target,
    purpose,
    request: { method: 'GET', url, headers: redact(headers), authenticated: false },
    ...extra,
  })
  try {
    for (let hop = 0; ; hop++) {
      const u = new URL(url)
      assertHostAllowed(policy, u.hostname)
      const res = await request(url, { method: 'GET', headers, dispatcher: agent })
      const location = res.headers.location
      if (
        res.statusCode >= 300 &&
        res.statusCode < 400 &&
        typeof location === 'string' &&
        hop < MAX_REDIRECTS
      ) {
        await res.body.dump()
        const next = new URL(location, url)
        // Redirects are followed only within the same host.
        if (next.host !== u.host)
          return record({
            response: { status: res.statusCode, headers: flatHeaders(res.headers) },
            error: `redirected to another host (${next.host}); not followed`,
          })
        url = next.href
        continue
      }
      const body = await readCapped(res.body, o.maxBodyBytes)
      return record({
        response: {
          status: res.statusCode,
          headers: redact(flatHeaders(res.headers)),
          ...(body ? { bodyExcerpt: body.slice(0, EXCERPT_CHARS), body } : {}),
        },
      })
    }
  } catch (e) {
    return record({ error: describe(e) })
  }
}

async function observeTls(
  target: ProbeTarget,
  url: URL,
  policy: HostPolicy,
  o: typeof PROBE_DEFAULTS & ProbeOptions,
): Promise<TlsObservation> {
  const host = url.hostname
  const port = Number(url.port || 443)
  const base: TlsObservation = { target, host, port, legacyAccepted: [] }
  try {
    assertHostAllowed(policy, host)
  } catch (e) {
    return { ...base, error: describe(e) }
  }
  const connect = (extra: object) =>
    new Promise<{ protocol?: string; cert?: PeerCertificate; authorized: boolean; error?: string }>(
      (resolve, reject) => {
        const socket = tlsConnect({
          host,
          port,
          servername: /^[\d.]+$|:/.test(host) ? undefined : host,
          lookup: guardedLookup(policy),
          rejectUnauthorized: false,
          timeout: o.timeoutMs,
          ...(o.ca?.length ? { ca: [...o.ca] } : {}),
          ...extra,
        } as ConnectionOptions)
        socket.once('secureConnect', () => {
          resolve({
            protocol: socket.getProtocol() ?? undefined,
            cert: socket.getPeerCertificate(),
            authorized: socket.authorized,
            ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}),
          })
          socket.end()
        })
        socket.once('timeout', () =>
          socket.destroy(new Error(`no TLS handshake within ${o.timeoutMs / 1000} s`)),
        )
        socket.once('error', reject)
      },
    )
  try {
    const main = await connect({})
    const legacyAccepted: string[] = []
    // Offer only a deprecated version (at OpenSSL's lowest security level, so the client can) and see
    // whether the server takes it.
    for (const v of ['TLSv1', 'TLSv1.1'] as const) {
      try {
        await connect({ minVersion: v, maxVersion: v, ciphers: 'DEFAULT:@SECLEVEL=0' })
        legacyAccepted.push(v)
      } catch {
        // refused: as it should be
      }
    }
    const cert = main.cert
    return {
      ...base,
      ...(main.protocol ? { protocol: main.protocol } : {}),
      legacyAccepted,
      ...(cert && cert.valid_to
        ? {
            certificate: {
              subjectAltNames: altNames(cert),
              validFrom: new Date(cert.valid_from).toISOString(),
              validTo: new Date(cert.valid_to).toISOString(),
              ...(cert.issuer?.CN ? { issuer: String(cert.issuer.CN) } : {}),
              trusted: main.authorized,
              ...(main.error ? { trustError: main.error } : {}),
            },
          }
        : {}),
    }
  } catch (e) {
    return { ...base, error: describe(e) }
  }
}

function altNames(cert: PeerCertificate): string[] {
  const names = (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:') || s.startsWith('IP Address:'))
    .map((s) => s.replace(/^DNS:|^IP Address:/, ''))
  const cn = cert.subject?.CN
  return names.length ? names : cn ? [String(cn)] : []
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    if (size >= max) {
      body.destroy()
      break
    }
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8')
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

/** Credentials never reach a report, a recording or a log. */
export function redact(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h)) out[k] = SENSITIVE_HEADERS.has(k.toLowerCase()) ? '[redacted]' : v
  return out
}

function hostOf(u: string): string | undefined {
  try {
    return new URL(u).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return undefined
  }
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path
}

function describe(e: unknown): string {
  if (e instanceof RefusedHostError) return e.message
  const err = e as Error & { code?: string; cause?: Error & { code?: string } }
  const inner = err.cause ?? err
  if (inner instanceof RefusedHostError) return inner.message
  return [inner.code, inner.message].filter(Boolean).join(': ') || String(e)
}
