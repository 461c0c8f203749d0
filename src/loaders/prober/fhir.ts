import { searchValueOf } from '../../fhir/search.js'
import { isObj, objectsIn } from '../openapi-walker.js'
import type { FhirInteraction, HttpExchange, ProbePurpose, ProbeTarget } from '../live.js'
import { joinUrl, type PlannedRequest } from './plan.js'

/**
 * What the prober asks a FHIR server: the CapabilityStatement, the SMART configuration, a read of an
 * id that cannot exist and a search without credentials; then, for each resource type the ruleset
 * requires, a search, a read of what it found, the next page, a search by each required parameter
 * with the value the found resource has, and the history interactions required; and a bulk data
 * export, followed until its first file. GET only: an export kick-off starts a job but changes no data.
 */

export interface FhirRequirement {
  resource: string
  interactions?: string[]
  searchParams?: string[]
}

export interface FhirProbeOptions {
  /** The resource types, interactions and search parameters to exercise (fhir-conformance-live's `require`). */
  require: FhirRequirement[]
  /** Start a bulk data export and follow it to its first file (fhir-conformance-live's `bulkExport`). */
  bulkExport: boolean
}

export const FHIR_PROBE_DEFAULTS: FhirProbeOptions = {
  require: [{ resource: 'Patient', interactions: ['read', 'search-type'], searchParams: ['identifier'] }],
  bulkExport: true,
}

const FHIR_JSON = 'application/fhir+json, application/json;q=0.9'
const NDJSON = 'application/fhir+ndjson, application/ndjson;q=0.9, */*;q=0.1'
const PAGE_SIZE = 2
/** Status polls of an export before giving up, and the longest wait between two. */
const EXPORT_POLLS = 5
const EXPORT_MAX_WAIT_MS = 5_000

type Call = (r: PlannedRequest) => Promise<HttpExchange>
type Obj = Record<string, unknown>

function get(
  target: ProbeTarget,
  purpose: ProbePurpose,
  path: string,
  o: { authenticate?: boolean; fhir?: PlannedRequest['fhir']; accept?: string; prefer?: string } = {},
): PlannedRequest {
  return {
    target,
    purpose,
    method: 'GET',
    url: /^https?:\/\//.test(path) ? path : joinUrl(target.baseUrl, path),
    headers: { accept: o.accept ?? FHIR_JSON, ...(o.prefer ? { prefer: o.prefer } : {}) },
    authenticate: o.authenticate ?? true,
    ...(o.fhir ? { fhir: o.fhir } : {}),
  }
}

function parsed(e: HttpExchange | undefined): unknown {
  if (e?.response?.status !== 200 && e?.response?.status !== 202) return undefined
  try {
    return JSON.parse(e.response.body ?? '') as unknown
  } catch {
    return undefined
  }
}

function json(e: HttpExchange | undefined): Obj | undefined {
  const v = parsed(e)
  return isObj(v) ? v : undefined
}

/** An exchange that was not made, and why: evidence that a requirement could not be exercised. */
function notMade(r: PlannedRequest, why: string): HttpExchange {
  return {
    target: r.target,
    purpose: r.purpose,
    ...(r.fhir ? { fhir: r.fhir } : {}),
    request: { method: r.method, url: r.url, headers: r.headers, authenticated: r.authenticate },
    error: `not made: ${why}`,
  }
}

/** The steps of a FHIR target; each resolves to the exchanges it made, in order. */
export function fhirSteps(
  target: ProbeTarget,
  call: Call,
  o: FhirProbeOptions,
): { count: number; steps: (() => Promise<HttpExchange[]>)[] } {
  const first = o.require[0]?.resource ?? 'Patient'
  let metadata: Promise<HttpExchange> | undefined
  const capability = () =>
    (metadata ??= call(get(target, 'fhir-metadata', 'metadata', { authenticate: false })))
  const steps: (() => Promise<HttpExchange[]>)[] = [
    async () => [await capability()],
    async () => [
      await call(get(target, 'fhir-smart', '.well-known/smart-configuration', { authenticate: false })),
    ],
    async () => [await call(get(target, 'fhir-unknown', `${first}/interop-check-no-such-id`))],
    async () => [
      await call(get(target, 'fhir-unauthenticated', `${first}?_count=1`, { authenticate: false })),
    ],
  ]
  let count = steps.length
  for (const req of mergeRequirements(o.require)) {
    count += 2 + (req.searchParams?.length ?? 0)
    steps.push(() => exerciseResource(target, call, req))
  }
  if (o.bulkExport) {
    count += 3
    steps.push(async () => exportData(target, call, json(await capability()), o.require))
  }
  return { count, steps }
}

/** A CapabilityStatement operation that is Bulk Data's $export (by name, or by its OperationDefinition). */
export function isExportOperation(o: Obj): boolean {
  return o.name === 'export' || /\/OperationDefinition\/(\w+-)?export$/.test(String(o.definition ?? ''))
}

/** One requirement per resource type, interactions and parameters joined. */
export function mergeRequirements(reqs: readonly FhirRequirement[]): FhirRequirement[] {
  const by = new Map<string, { interactions: Set<string>; searchParams: Set<string> }>()
  for (const r of reqs) {
    const m = by.get(r.resource) ?? { interactions: new Set(), searchParams: new Set() }
    for (const i of r.interactions ?? []) m.interactions.add(i)
    for (const p of r.searchParams ?? []) m.searchParams.add(p)
    by.set(r.resource, m)
  }
  return [...by].map(([resource, m]) => ({
    resource,
    interactions: [...m.interactions],
    searchParams: [...m.searchParams],
  }))
}

/** Search a type, read what was found, follow the next page, search by each parameter, ask for history. */
async function exerciseResource(
  target: ProbeTarget,
  call: Call,
  req: FhirRequirement,
): Promise<HttpExchange[]> {
  const type = req.resource
  const enc = encodeURIComponent
  const ref = (interaction: FhirInteraction, extra: Partial<NonNullable<PlannedRequest['fhir']>> = {}) => ({
    fhir: { resource: type, interaction, ...extra },
  })
  const out: HttpExchange[] = []
  const search = await call(get(target, 'fhir-search', `${type}?_count=${PAGE_SIZE}`, ref('search-type')))
  out.push(search)
  const bundle = json(search)
  // A bare array of resources is no searchset (fhir-http-live says so), but its resources can be read.
  const found = Array.isArray(parsed(search))
    ? (parsed(search) as unknown[])
    : objectsIn(bundle?.entry).map((e) => e.resource)
  const hit = found.find((r): r is Obj => isObj(r) && r.resourceType === type && typeof r.id === 'string')
  const next = objectsIn(bundle?.link).find((l) => l.relation === 'next' && typeof l.url === 'string')
  if (next) out.push(await call(get(target, 'fhir-page', String(next.url), ref('search-type'))))

  const wanted = new Set(req.interactions ?? [])
  const later: PlannedRequest[] = []
  if (!hit) {
    // Nothing to read or search for: say so, so that the rules can tell why these were not tried.
    const why = search.response
      ? `the search for ${type} found no ${type} to take an id and values from`
      : `the search for ${type} was not answered`
    for (const i of ['read', 'vread', 'history-instance'].filter((x) => x === 'read' || wanted.has(x)))
      out.push(
        notMade(
          get(
            target,
            i === 'read' ? 'fhir-read' : 'fhir-interaction',
            `${type}/…`,
            ref(i as FhirInteraction),
          ),
          why,
        ),
      )
    for (const p of req.searchParams ?? [])
      out.push(
        notMade(get(target, 'fhir-search', `${type}?${enc(p)}=…`, ref('search-type', { param: p })), why),
      )
  } else {
    const id = enc(String(hit.id))
    const expect = `${type}/${String(hit.id)}`
    later.push(get(target, 'fhir-read', `${type}/${id}`, ref('read')))
    const version = isObj(hit.meta) && typeof hit.meta.versionId === 'string' ? hit.meta.versionId : undefined
    if (wanted.has('vread')) {
      if (version)
        later.push(get(target, 'fhir-interaction', `${type}/${id}/_history/${enc(version)}`, ref('vread')))
      else
        out.push(
          notMade(
            get(target, 'fhir-interaction', `${type}/${id}/_history/…`, ref('vread')),
            `the ${type} found has no meta.versionId`,
          ),
        )
    }
    if (wanted.has('history-instance'))
      later.push(
        get(
          target,
          'fhir-interaction',
          `${type}/${id}/_history?_count=${PAGE_SIZE}`,
          ref('history-instance'),
        ),
      )
    for (const p of req.searchParams ?? []) {
      const v = searchValueOf(hit, p)
      if ('why' in v) {
        out.push(
          notMade(get(target, 'fhir-search', `${type}?${enc(p)}=…`, ref('search-type', { param: p })), v.why),
        )
        continue
      }
      later.push(
        get(
          target,
          'fhir-search',
          `${type}?${enc(p)}=${enc(v.value)}&_count=10`,
          ref('search-type', { param: p, value: v.value, expect }),
        ),
      )
    }
  }
  if (wanted.has('history-type'))
    later.push(get(target, 'fhir-interaction', `${type}/_history?_count=${PAGE_SIZE}`, ref('history-type')))
  for (const r of later) out.push(await call(r))
  return out
}

/**
 * A bulk data export of the required types at the level the CapabilityStatement declares (system, else
 * Patient), its status polled until complete, and its first file.
 */
async function exportData(
  target: ProbeTarget,
  call: Call,
  capability: Obj | undefined,
  require: readonly FhirRequirement[],
): Promise<HttpExchange[]> {
  const server = objectsIn(capability?.rest).find((r) => r.mode === 'server')
  const system = objectsIn(server?.operation).some(isExportOperation)
  const patient = objectsIn(server?.resource).some(
    (r) => r.type === 'Patient' && objectsIn(r.operation).some(isExportOperation),
  )
  // Group level needs a Group id, which nothing tells the prober: such a server is judged on its declaration.
  if (!system && !patient) return []
  const types = [...new Set(require.map((r) => r.resource))].join(',')
  const kickoff = await call(
    get(target, 'fhir-export', `${system ? '' : 'Patient/'}$export?_type=${encodeURIComponent(types)}`, {
      prefer: 'respond-async',
    }),
  )
  const out = [kickoff]
  let status = kickoff.response?.status === 202 ? kickoff.response.headers['content-location'] : undefined
  if (!status) return out
  status = new URL(status, kickoff.request.url).href
  let manifest: Obj | undefined
  for (let poll = 0; poll < EXPORT_POLLS && !manifest; poll++) {
    const e = await call(get(target, 'fhir-export-status', status))
    out.push(e)
    if (e.response?.status === 200) manifest = json(e) ?? {}
    else if (e.response?.status !== 202) break
    else {
      const after = Number(e.response.headers['retry-after'])
      await new Promise((r) =>
        setTimeout(
          r,
          Math.min(Number.isFinite(after) && after > 0 ? after * 1000 : 1000, EXPORT_MAX_WAIT_MS),
        ),
      )
    }
  }
  const file = objectsIn(manifest?.output).find((f) => typeof f.url === 'string')
  if (file)
    out.push(
      await call(
        get(target, 'fhir-export-file', String(file.url), {
          accept: NDJSON,
          authenticate: manifest?.requiresAccessToken === true,
          fhir: { resource: String(file.type ?? '') },
        }),
      ),
    )
  return out
}
