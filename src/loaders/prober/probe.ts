import { createRequire } from 'node:module'
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate } from 'node:tls'
import type { Agent } from 'undici'
import { parseDocument } from 'yaml'
import type { OpenApiArtifact } from '../openapi.js'
import type { ApiEntry, ManifestArtifact } from '../manifest.js'
import { FHIR_API, LiveArtifact, type HttpExchange, type ProbeTarget, type TlsObservation } from '../live.js'
import {
  basicAuth,
  credentialHeaders,
  readCredentials,
  Redactor,
  unreadableVariables,
} from './credentials.js'
import { deadline } from './deadline.js'
import { assertHostAllowed, guardedLookup, RefusedHostError, type HostPolicy } from './guard.js'
import { FHIR_PROBE_DEFAULTS, fhirSteps, type FhirProbeOptions } from './fhir.js'
import { planAuthMetadata, planTarget, preflightFor, type PlannedRequest } from './plan.js'

// undici is loaded on the first probe, not with every check (the check command is one bundle and a
// package imported at the top of a module in it would load with it).
const requireHere = createRequire(import.meta.url)
let undiciModule: typeof import('undici') | undefined
const undici = () => (undiciModule ??= requireHere('undici') as typeof import('undici'))

export interface ProbeOptions {
  /** Hosts allowed besides those the manifest names (`--allow-host`). */
  allowHosts?: readonly string[]
  /** Allow private, loopback and other special addresses (`--allow-private`). */
  allowPrivate?: boolean
  /** Allow unsafe methods: a POST with a malformed body to see how errors are answered (`--allow-unsafe`). */
  allowUnsafe?: boolean
  /** Per-request timeout in milliseconds, body included (default 10 s). */
  timeoutMs?: number
  /** The time all requests together may take (default 5 minutes); what is left is not made. */
  budgetMs?: number
  /** The most of a response body that is read (default 1 MiB). */
  maxBodyBytes?: number
  /** Extra trusted certificate authorities (PEM), e.g. a municipality's test CA (`--ca`). */
  ca?: readonly string[]
  /** Redirects followed, within the same host (default 3). */
  maxRedirects?: number
  /** Requests a second to one host (default 5). */
  rate?: number
  /** Requests in flight to one host at a time (default 4). */
  concurrency?: number
  /** Where credentials are read from (default: the process environment). */
  env?: NodeJS.ProcessEnv
  /**
   * Variables the manifest's credentials may name besides those whose names start with INTEROP_
   * (`--credential-env`): no other is read, so that a vendor's manifest cannot have the runner's
   * other secrets (a CI token, cloud keys) sent to the vendor's hosts.
   */
  credentialEnv?: readonly string[]
  /** Progress messages. */
  log?: (message: string) => void
  /** The clock, so that recordings can be replayed with the same time. */
  now?: () => Date
  /** What to exercise on the FHIR server (from the fhir-conformance-live rule's options). */
  fhir?: FhirProbeOptions
}

export const PROBE_DEFAULTS = {
  timeoutMs: 10_000,
  budgetMs: 300_000,
  maxBodyBytes: 1024 * 1024,
  rate: 5,
  concurrency: 4,
  maxRedirects: 3,
}
const EXCERPT_CHARS = 500
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])
const USER_AGENT = 'interop-checker'

/** The base URLs the manifest names, one target per API environment. */
export function targetsOf(apis: readonly ApiEntry[], environments?: readonly string[]): ProbeTarget[] {
  return apis.flatMap((api) =>
    Object.entries(api.environments)
      .filter(([environment]) => !environments?.length || environments.includes(environment))
      .map(([environment, baseUrl]) => ({
        api: api.name,
        environment,
        baseUrl: baseUrl!,
        loc: { uri: api.loc.uri, pointer: `${api.loc.pointer}/environments/${environment}` },
      })),
  )
}

/** The manifest's FHIR endpoint as a target, and as an API entry whose credentials it names. */
export function fhirTargetOf(
  manifest: ManifestArtifact,
): { target: ProbeTarget; entry: ApiEntry } | undefined {
  const fhir = manifest.value.fhir
  if (!fhir?.baseUrl) return undefined
  const loc = { uri: manifest.doc.uri, pointer: '/fhir/baseUrl' }
  return {
    target: { api: FHIR_API, environment: 'production', baseUrl: fhir.baseUrl, loc },
    entry: {
      name: FHIR_API,
      uri: manifest.doc.uri,
      environments: { production: fhir.baseUrl },
      examples: {},
      credentials: fhir.credentials ? { production: fhir.credentials } : {},
      loc: { uri: manifest.doc.uri, pointer: '/fhir' },
    },
  }
}

/** An API of the service as the prober sees it: the manifest's entry and its description. */
export interface ProbedApi {
  entry: ApiEntry
  api?: OpenApiArtifact
}

/**
 * Starts requests to one host no faster than its rate and no more at a time than its concurrency.
 * A finished request hands its place straight to the next waiting one.
 */
class HostQueue {
  private active = 0
  private readonly waiting: (() => void)[] = []
  private nextStart = 0

  constructor(
    private readonly concurrency: number,
    private readonly intervalMs: number,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r))
    else this.active++
    try {
      const now = Date.now()
      const start = Math.max(now, this.nextStart)
      this.nextStart = start + this.intervalMs
      if (start > now) await new Promise((r) => setTimeout(r, start - now))
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}

/**
 * Calls the running service at the manifest's base URLs and records what it sees: a TLS handshake
 * per https host and a few requests per base URL (see plan.ts). Bounded: only allowed hosts, no
 * private addresses unless allowed, safe methods unless unsafe ones are allowed, a timeout per
 * request and a budget for all, a body cap, few redirects and only to the same host, a polite pace
 * per host. A host that does not answer is recorded as such, not thrown. Credentials come from the
 * environment variables the manifest names and never reach what is recorded.
 */
export async function probeService(
  targets: readonly ProbeTarget[],
  apis: ReadonlyMap<string, ProbedApi>,
  options: ProbeOptions = {},
): Promise<LiveArtifact> {
  const o = { ...PROBE_DEFAULTS, ...options }
  const now = o.now ?? (() => new Date())
  const env = o.env ?? process.env
  const redactor = new Redactor()
  const notes: string[] = []
  const credentialHosts = [...apis.values()].flatMap((a) =>
    Object.values(a.entry.credentials).flatMap((c) =>
      c?.type === 'oauth2-client-credentials' ? [hostOf(c.tokenUrl)] : [],
    ),
  )
  const policy: HostPolicy = {
    allowedHosts: new Set(
      [
        ...targets.map((t) => hostOf(t.baseUrl)),
        ...credentialHosts,
        ...(o.allowHosts ?? []).map((h) => h.toLowerCase()),
      ].filter((h): h is string => !!h),
    ),
    allowPrivate: o.allowPrivate ?? false,
  }
  const agent = new (undici().Agent)({
    // The timeout bounds the TCP and TLS handshake too, not only the wait for headers and body.
    connect: {
      lookup: guardedLookup(policy),
      timeout: o.timeoutMs,
      ...(o.ca?.length ? { ca: [...o.ca] } : {}),
    },
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    connections: o.concurrency,
  })
  const budget = AbortSignal.timeout(o.budgetMs)
  const queues = new Map<string, HostQueue>()
  const queueFor = (url: string) => {
    const host = new URL(url).host
    let q = queues.get(host)
    if (!q) queues.set(host, (q = new HostQueue(o.concurrency, 1000 / o.rate)))
    return q
  }
  const observedAt = now().toISOString()
  const http: Http = { agent, policy, redactor, budget, o }

  try {
    // Credentials per API and environment, read (or fetched) once.
    const auth = new Map<string, { headers: Record<string, string>; sensitive: Set<string> }>()
    for (const [name, { entry }] of apis)
      for (const [environment, c] of Object.entries(entry.credentials)) {
        if (!c || !targets.some((t) => t.api === name && t.environment === environment)) continue
        const refused = unreadableVariables(c, o.credentialEnv ?? [])
        if (refused.length) {
          notes.push(
            `${name} (${environment}): ${refused.join(' and ')} ${refused.length === 1 ? 'is' : 'are'} not read, so requests went without credentials: a manifest may name only variables whose names start with INTEROP_ and those given with --credential-env.`,
          )
          continue
        }
        const r = readCredentials(c, env, redactor)
        const sensitive = new Set(credentialHeaders(c))
        if ('missing' in r) {
          notes.push(
            `${name} (${environment}): ${r.missing} is not set, so requests went without credentials.`,
          )
          continue
        }
        if ('headers' in r) {
          auth.set(`${name}|${environment}`, { headers: r.headers, sensitive })
          continue
        }
        o.log?.(`Token ${r.clientCredentials.tokenUrl}`)
        const token = await fetchToken(r.clientCredentials, http)
        if ('error' in token)
          notes.push(
            `${name} (${environment}): no token from ${r.clientCredentials.tokenUrl}: ${token.error}`,
          )
        else
          auth.set(`${name}|${environment}`, {
            headers: { authorization: `Bearer ${token.token}` },
            sensitive,
          })
      }

    // TLS first, one handshake series per https host.
    const tls: TlsObservation[] = []
    const seenHosts = new Set<string>()
    for (const target of targets) {
      const url = new URL(target.baseUrl)
      const key = `${url.hostname}:${url.port}`
      if (url.protocol !== 'https:' || seenHosts.has(key)) continue
      seenHosts.add(key)
      o.log?.(`TLS ${url.host}`)
      // A certificate's names and a handshake's error are the server's words: scrubbed as well.
      tls.push({ ...redactor.scrubDeep(await observeTls(target, url, policy, o)), target })
    }

    // Then every target's requests, concurrently within each host's bounds, kept in plan order.
    const steps: (() => Promise<HttpExchange[]>)[] = []
    let total = 0
    let done = 0
    const call = (r: PlannedRequest) => {
      const creds = r.authenticate ? auth.get(`${r.target.api}|${r.target.environment}`) : undefined
      return queueFor(r.url).run(async () => {
        const e = await send(r, creds, http)
        done++
        o.log?.(`${new URL(r.url).host} ${done}/${total} ${r.method} ${redactor.scrub(r.url)}`)
        return e
      })
    }
    const metadataSeen = new Set<string>()
    for (const target of targets) {
      if (target.api === FHIR_API) {
        const fhir = fhirSteps(target, call, o.fhir ?? FHIR_PROBE_DEFAULTS)
        total += fhir.count
        steps.push(...fhir.steps)
        continue
      }
      const probed = apis.get(target.api)
      const plan = planTarget(target, probed?.entry, probed?.api, o.allowUnsafe ?? false)
      total += plan.requests.length + 1
      for (const r of plan.requests) steps.push(async () => [await call(r)])
      steps.push(async () => {
        const tried: HttpExchange[] = []
        for (const r of plan.published) {
          if (tried.length) total++
          const e = await call(r)
          tried.push(e)
          if (!e.response) break
          if (e.response.status >= 200 && e.response.status < 300) {
            total++
            tried.push(await call(preflightFor(r)))
            break
          }
        }
        return tried
      })
      // The identity provider's metadata is asked for once per API, whatever the environment.
      for (const r of probed?.api ? planAuthMetadata(target, probed.api) : []) {
        const key = `${target.api}|${r.url}`
        if (metadataSeen.has(key)) continue
        metadataSeen.add(key)
        total++
        steps.push(async () => [await call(r)])
      }
    }
    const results = await Promise.all(steps.map((s) => s()))
    // Once more over everything, for what requests took from answers: a FHIR search by the value a
    // resource had, the id it should find, an exported file's type, why a request was not made.
    const exchanges = results.flat().map(({ target, ...e }) => ({ ...redactor.scrubDeep(e), target }))
    const live = new LiveArtifact(exchanges, tls, observedAt, {
      allowUnsafe: o.allowUnsafe ?? false,
      notes: redactor.scrubDeep(notes),
    })
    live.redact = (value) => redactor.scrubDeep(value)
    return live
  } finally {
    await agent.close()
  }
}

interface Http {
  agent: Agent
  policy: HostPolicy
  redactor: Redactor
  budget: AbortSignal
  o: typeof PROBE_DEFAULTS & ProbeOptions
}

/** Makes one planned request (following same-host redirects for GET) and records it, secrets redacted. */
async function send(
  r: PlannedRequest,
  creds: { headers: Record<string, string>; sensitive: Set<string> } | undefined,
  { agent, policy, redactor, budget, o }: Http,
): Promise<HttpExchange> {
  const headers = { ...r.headers, 'user-agent': USER_AGENT, ...(creds?.headers ?? {}) }
  const sensitive = new Set([...SENSITIVE_HEADERS, ...(creds?.sensitive ?? [])])
  let url = r.url
  const record = (extra: Partial<HttpExchange>): HttpExchange => ({
    target: r.target,
    purpose: r.purpose,
    ...(r.operation ? { operation: r.operation } : {}),
    ...(r.invalid ? { invalid: r.invalid } : {}),
    ...(r.scheme ? { scheme: r.scheme } : {}),
    ...(r.fhir ? { fhir: r.fhir } : {}),
    request: {
      method: r.method,
      url: redactor.scrub(url),
      headers: redactor.scrubHeaders(headers, sensitive),
      authenticated: creds !== undefined,
    },
    ...extra,
  })
  if (budget.aborted)
    return record({ error: `not made: the time budget of ${o.budgetMs / 1000} s was spent` })
  // A URL a server handed out (a FHIR next page, an export's status or file) must not take the
  // request, credentials and all, from https to plain http.
  if (/^https:/i.test(r.target.baseUrl) && !/^https:/i.test(r.url))
    return record({ error: 'not made: the URL leads from the https base URL to plain http' })
  // One timeout bounds the whole exchange: every redirect followed, and every body dripping in byte
  // by byte (undici's headersTimeout and bodyTimeout only bound the pause between two bytes).
  const { signal, clear } = deadline(budget, o.timeoutMs)
  try {
    for (let hop = 0; ; hop++) {
      const u = new URL(url)
      assertHostAllowed(policy, u.hostname)
      const res = await undici().request(url, {
        method: r.method as 'GET',
        headers,
        ...(r.body !== undefined ? { body: r.body } : {}),
        dispatcher: agent,
        signal,
      })
      const location = res.headers.location
      if (
        r.method === 'GET' &&
        res.statusCode >= 300 &&
        res.statusCode < 400 &&
        typeof location === 'string' &&
        hop < o.maxRedirects
      ) {
        await res.body.dump({ limit: 128 * 1024, signal })
        const refused = (why: string) =>
          record({
            response: {
              status: res.statusCode,
              headers: redactor.scrubHeaders(flatHeaders(res.headers), sensitive),
            },
            error: redactor.scrub(why),
          })
        let next: URL
        try {
          next = new URL(location, url)
        } catch {
          return refused('redirected to a Location that is not a URL; not followed')
        }
        // Redirects are followed only within the same host, and never from https to plain http
        // (nor to another scheme): the credentials go along.
        if (next.host !== u.host || !/^https?:$/.test(next.protocol))
          return refused(`redirected to another host (${next.host || next.protocol}); not followed`)
        if (u.protocol === 'https:' && next.protocol !== 'https:')
          return refused(`redirected from https to ${next.protocol.slice(0, -1)}; not followed`)
        url = next.href
        continue
      }
      const { text, truncated } = await readCapped(res.body, o.maxBodyBytes)
      const body = withholdEncoded(redactor.scrub(text, { truncated }), r, res.headers, redactor)
      // A redirect still there after the most followed: a loop, or a chain too long.
      const unfollowed =
        r.method === 'GET' &&
        res.statusCode >= 300 &&
        res.statusCode < 400 &&
        typeof location === 'string' &&
        o.maxRedirects > 0
      return record({
        response: {
          status: res.statusCode,
          headers: redactor.scrubHeaders(flatHeaders(res.headers), sensitive),
          ...(body ? { bodyExcerpt: body.slice(0, EXCERPT_CHARS), body } : {}),
          ...(truncated ? { truncated: true } : {}),
        },
        ...(unfollowed
          ? { error: `still redirected after ${o.maxRedirects} redirects; not followed further` }
          : {}),
      })
    }
  } catch (e) {
    const why = budget.aborted
      ? `stopped: the time budget of ${o.budgetMs / 1000} s was spent`
      : isTimeout(e)
        ? `no complete answer within ${o.timeoutMs / 1000} s`
        : describe(e)
    return record({ error: redactor.scrub(why) })
  } finally {
    clear()
  }
}

/** What is recorded instead of a body that holds a credential in a form that cannot be cut out of it. */
export const WITHHELD_BODY =
  '[redacted: the body holds a credential in a form that could not be cut out of it]'

/**
 * A body the rules read as YAML (a published description) can write a string in ways no pattern
 * of the secret matches: folded over lines, with `\U` escapes, in single quotes. When what the
 * rules would read holds a credential, the body is not recorded at all.
 */
function withholdEncoded(
  body: string,
  r: PlannedRequest,
  headers: Record<string, string | string[] | undefined>,
  redactor: Redactor,
): string {
  const type = String(headers['content-type'] ?? '')
  if (!redactor.size || !body || (r.purpose !== 'openapi' && !/yaml/i.test(type))) return body
  let value: unknown
  try {
    value = parseDocument(body, { merge: true, prettyErrors: false }).toJS({ maxAliasCount: 100 })
  } catch {
    // Not readable as YAML: not readable by the rules either.
    return body
  }
  return redactor.finds(value) ? WITHHELD_BODY : body
}

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4); the token is only ever kept in memory. */
async function fetchToken(
  c: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string },
  { agent, policy, redactor, budget, o }: Http,
): Promise<{ token: string } | { error: string }> {
  const { signal, clear } = deadline(budget, o.timeoutMs)
  try {
    assertHostAllowed(policy, new URL(c.tokenUrl).hostname)
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      ...(c.scope ? { scope: c.scope } : {}),
    })
    const res = await undici().request(c.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basicAuth(c.clientId, c.clientSecret)}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': USER_AGENT,
      },
      body: form.toString(),
      dispatcher: agent,
      signal,
    })
    const { text } = await readCapped(res.body, 64 * 1024)
    if (res.statusCode !== 200) return { error: `it answered ${res.statusCode}` }
    let token: unknown
    try {
      token = (JSON.parse(text) as { access_token?: unknown }).access_token
    } catch {
      return { error: 'its answer is not JSON' }
    }
    if (typeof token !== 'string' || !token) return { error: 'its answer has no access_token' }
    redactor.add(token)
    return { token }
  } catch (e) {
    return { error: redactor.scrub(isTimeout(e) ? `no answer within ${o.timeoutMs / 1000} s` : describe(e)) }
  } finally {
    clear()
  }
}

function isTimeout(e: unknown): boolean {
  const err = e as { name?: string; code?: string; cause?: { name?: string } }
  return (
    err?.name === 'TimeoutError' ||
    err?.cause?.name === 'TimeoutError' ||
    err?.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    err?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err?.code === 'UND_ERR_BODY_TIMEOUT'
  )
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
        // The socket's own timeout is for idleness; this one bounds the whole handshake, however
        // slowly the server drips it.
        const timer = setTimeout(
          () => socket.destroy(new Error(`no TLS handshake within ${o.timeoutMs / 1000} s`)),
          o.timeoutMs,
        )
        socket.once('close', () => clearTimeout(timer))
        socket.once('secureConnect', () => {
          clearTimeout(timer)
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

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
  max: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  let truncated = false
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    if (size > max) {
      truncated = true
      body.destroy()
      break
    }
  }
  return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

function hostOf(u: string): string | undefined {
  try {
    return new URL(u).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return undefined
  }
}

/** What a broken connection means, for the reader of a report rather than of socket codes. */
const BROKEN: Record<string, string> = {
  UND_ERR_SOCKET: 'the server closed the connection before its answer was complete',
  ECONNRESET: 'the server reset the connection',
  EPIPE: 'the server closed the connection while the request was being sent',
}

function describe(e: unknown): string {
  if (e instanceof RefusedHostError) return e.message
  const err = e as Error & { code?: string; cause?: Error & { code?: string } }
  const inner = err.cause ?? err
  if (inner instanceof RefusedHostError) return inner.message
  if (inner.code && BROKEN[inner.code]) return `${BROKEN[inner.code]} (${inner.code})`
  if (inner.name === 'HTTPParserError' || inner.code?.startsWith('HPE_'))
    return `the answer is not valid HTTP/1.1 (${inner.message})`
  return [inner.code, inner.message].filter(Boolean).join(': ') || String(e)
}
