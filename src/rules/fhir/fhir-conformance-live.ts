import { defineRule } from '../../core/define-rule.js'
import type { HttpExchange } from '../../loaders/live.js'
import { mergeRequirements } from '../../loaders/prober/fhir.js'
import {
  answered,
  declaresExport,
  evidence,
  exportProblem,
  fhirExchanges,
  isObj,
  jsonBody,
  objectsIn,
} from './util-live.js'

interface Requirement {
  resource: string
  interactions: string[]
  searchParams: string[]
}
interface Options {
  require: Requirement[]
  implementationGuides: string[]
  bulkExport: boolean
  tryExport: boolean
}

type Obj = Record<string, unknown>

export default defineRule<Options>({
  meta: {
    id: 'fhir-conformance-live',
    title: 'The FHIR server declares and does what the municipality requires',
    failureTitle: 'The FHIR server does not declare or do what the municipality requires',
    description:
      'A municipality integrates with a FHIR server for particular resources, interactions and searches (Patient read and search by identifier, say), under national implementation guides, and must be able to take all its data out with Bulk Data $export. ' +
      'Declare, in the CapabilityStatement, every resource, interaction and search parameter the ruleset requires, the implementation guides it names, and $export at system, Patient or Group level; and make them work: the prober reads, pages and searches by each required parameter with a value a found resource has, and follows an export to its first NDJSON file.',
    fix: 'Support and declare the required resources, interactions, search parameters, implementation guides and $export in the CapabilityStatement, and make each of them work.',
    sources: [
      {
        title: 'FHIR R4 (4.0.1): CapabilityStatement.rest.resource',
        url: 'https://hl7.org/fhir/R4/capabilitystatement-definitions.html#CapabilityStatement.rest.resource',
      },
      {
        title: 'FHIR Bulk Data Access (Flat FHIR) 2.0: $export',
        url: 'https://hl7.org/fhir/uv/bulkdata/export.html',
      },
      {
        title: 'EU Data Act, art. 23–31 (switching between data processing services)',
        url: 'https://eur-lex.europa.eu/eli/reg/2023/2854/oj',
      },
    ],
    requires: ['live'],
    establishedBy: 'live',
    messages: {
      'no-resource':
        'The CapabilityStatement at {{url}} declares no {{resource}} resource, which the ruleset requires.',
      'no-interaction':
        'The CapabilityStatement at {{url}} does not declare {{interaction}} on {{resource}}.',
      'no-search-param':
        'The CapabilityStatement at {{url}} does not declare the search parameter {{param}} on {{resource}}.',
      'no-guide': 'The CapabilityStatement at {{url}} does not name the implementation guide {{guide}}.',
      'no-export':
        'The CapabilityStatement at {{url}} declares no $export operation (system, Patient or Group): the data cannot be taken out in bulk.',
      'interaction-fails':
        '{{interaction}} on {{resource}} is declared, but GET {{url}} answered {{status}}.',
      'read-wrong': 'GET {{url}} answered 200 but not with the {{resource}} whose id it asked for.',
      'search-fails': 'Searching {{resource}} by {{param}} is declared, but GET {{url}} answered {{status}}.',
      'search-misses':
        'GET {{url}} searched {{resource}} by {{param}} = {{value}}, the value {{expect}} has, and did not find {{expect}}.',
      'search-param-ignored':
        'GET {{url}}: the self link ({{self}}) leaves out {{param}}, so the server did not search by it.',
      'no-paging':
        'GET {{url}} matched {{total}} resources but returned {{count}} without a next link to the rest.',
      'page-fails':
        'The next page of the {{resource}} search, GET {{url}}, answered {{status}} without a searchset Bundle.',
      'export-fails':
        'The bulk data export kick-off GET {{url}} answered {{status}}, not 202 Accepted with a Content-Location to poll.',
      'export-status-fails': 'The status of the export, GET {{url}}, answered {{status}}: {{why}}.',
      'export-incomplete':
        'The export at {{url}} was still running after {{polls}} polls; its output was not seen.',
      'export-not-ndjson': 'The exported file GET {{url}} is not NDJSON of FHIR resources: {{why}}.',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        require: {
          description:
            'Resources the server must declare, each with the interactions and search parameters required.',
          type: 'array',
          default: [
            { resource: 'Patient', interactions: ['read', 'search-type'], searchParams: ['identifier'] },
          ],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['resource'],
            properties: {
              resource: { type: 'string', pattern: '^[A-Z][A-Za-z]+$' },
              interactions: {
                type: 'array',
                default: [],
                items: {
                  enum: [
                    'read',
                    'vread',
                    'update',
                    'patch',
                    'delete',
                    'history-instance',
                    'history-type',
                    'create',
                    'search-type',
                  ],
                },
              },
              searchParams: { type: 'array', default: [], items: { type: 'string' } },
            },
          },
        },
        implementationGuides: {
          description:
            'Canonical URLs of implementation guides the server must name (CapabilityStatement.implementationGuide).',
          type: 'array',
          default: [],
          items: { type: 'string' },
        },
        bulkExport: {
          description: 'Require a Bulk Data $export operation (system, Patient or Group level).',
          type: 'boolean',
          default: true,
        },
        tryExport: {
          description:
            'With bulkExport: start one export of the required resource types (a GET kick-off with Prefer: respond-async) and follow it to its first file, to see that it works. Off: judge the declaration only.',
          type: 'boolean',
          default: true,
        },
      },
    },
  },
  check(ctx) {
    const fhir = fhirExchanges(ctx)
    if (!fhir) return
    const e = answered(fhir, 'fhir-metadata')
    const cs = jsonBody(e)
    if (!e || e.response!.status !== 200 || !isObj(cs) || cs.resourceType !== 'CapabilityStatement') {
      ctx.notChecked('the server gave no CapabilityStatement to read (see fhir-capability-live)')
      return
    }
    let reported = 0
    const report = (messageId: string, x: HttpExchange, data: Record<string, unknown> = {}) => {
      reported++
      ctx.report({
        messageId,
        loc: x.target.loc,
        data: { url: x.request.url, status: x.response?.status, ...data },
        evidence: evidence(x),
      })
    }
    const declared = declarations(cs)
    // What could not be tried, and why: when nothing could, the rule says so instead of passing.
    const untried: string[] = []
    let tried = 0

    const exercised = (x: HttpExchange | undefined, what: string): x is HttpExchange => {
      if (!x) return false
      const s = x.response?.status
      if (s === undefined || s === 401 || s === 403) {
        untried.push(`${what}: ${x.error ?? `GET ${x.request.url} answered ${s}, asking for credentials`}`)
        return false
      }
      tried++
      return true
    }

    for (const req of mergeRequirements(ctx.options.require)) {
      const d = declared.resources.get(req.resource)
      if (!d) {
        report('no-resource', e, { resource: req.resource })
        continue
      }
      for (const i of req.interactions ?? [])
        if (!d.interactions.has(i)) report('no-interaction', e, { interaction: i, resource: req.resource })
      for (const p of req.searchParams ?? [])
        if (!d.searchParams.has(p) && !declared.searchParams.has(p))
          report('no-search-param', e, { param: p, resource: req.resource })

      // What the server does with what it declares.
      const mine = fhir.filter((x) => x.fhir?.resource === req.resource)
      const interactions = new Set(req.interactions ?? [])
      const search = mine.find((x) => x.purpose === 'fhir-search' && !x.fhir?.param)
      if (d.interactions.has('search-type') && exercised(search, `searching ${req.resource}`)) {
        if (search.response!.status !== 200)
          report('interaction-fails', search, { interaction: 'search-type', resource: req.resource })
        else
          paging(
            search,
            mine.find((x) => x.purpose === 'fhir-page'),
            req.resource,
            report,
          )
      }
      for (const x of mine.filter((y) => y.purpose === 'fhir-read' || y.purpose === 'fhir-interaction')) {
        const i = x.fhir!.interaction!
        if (!(interactions.has(i) || i === 'read') || !d.interactions.has(i)) continue
        if (!exercised(x, `${i} on ${req.resource}`)) continue
        const body = jsonBody(x)
        if (x.response!.status !== 200)
          report('interaction-fails', x, { interaction: i, resource: req.resource })
        else if (
          (i === 'read' || i === 'vread') &&
          !(
            isObj(body) &&
            body.resourceType === req.resource &&
            x.request.url.includes(`/${String(body.id)}`)
          )
        )
          report('read-wrong', x, { resource: req.resource })
      }
      for (const x of mine.filter((y) => y.purpose === 'fhir-search' && y.fhir?.param)) {
        const p = x.fhir!.param!
        if (!(req.searchParams ?? []).includes(p) || !(d.searchParams.has(p) || declared.searchParams.has(p)))
          continue
        if (!exercised(x, `searching ${req.resource} by ${p}`)) continue
        searchBy(x, req.resource, p, report)
      }
    }

    const guides = new Set(
      (Array.isArray(cs.implementationGuide) ? cs.implementationGuide : []).map(
        (g) => String(g).split('|')[0],
      ),
    )
    for (const g of ctx.options.implementationGuides)
      if (!guides.has(g.split('|')[0]!)) report('no-guide', e, { guide: g })

    if (ctx.options.bulkExport) {
      if (!declared.export) report('no-export', e)
      const kickoff = answered(fhir, 'fhir-export') ?? fhir.find((x) => x.purpose === 'fhir-export')
      if (declared.export && kickoff) {
        if (exercised(kickoff, 'the bulk data export')) {
          const p = exportProblem(fhir, kickoff)
          if (p) report(p.messageId, p.exchange, p.data)
        }
      } else if (declared.export)
        untried.push('the bulk data export: only Group-level $export is declared, and no Group id is known')
    }

    if (!tried && untried.length && !reported)
      ctx.notChecked(`what the CapabilityStatement declares could not be tried: ${untried.join('; ')}`)
  },
})

type Report = (messageId: string, x: HttpExchange, data?: Record<string, unknown>) => void

/** What a CapabilityStatement declares (server mode): per type, and server-wide. */
function declarations(cs: Obj) {
  const servers = objectsIn(cs.rest).filter((r) => r.mode === 'server')
  const resources = new Map<string, { interactions: Set<string>; searchParams: Set<string> }>()
  for (const r of servers.flatMap((x) => objectsIn(x.resource))) {
    if (typeof r.type !== 'string') continue
    const m = resources.get(r.type) ?? { interactions: new Set(), searchParams: new Set() }
    for (const i of objectsIn(r.interaction)) m.interactions.add(String(i.code))
    for (const p of objectsIn(r.searchParam)) m.searchParams.add(String(p.name))
    resources.set(r.type, m)
  }
  return {
    resources,
    searchParams: new Set(servers.flatMap((x) => objectsIn(x.searchParam)).map((p) => String(p.name))),
    export: declaresExport(cs),
  }
}

const entriesOf = (b: Obj) =>
  objectsIn(b.entry)
    .map((x) => x.resource)
    .filter(isObj)
const linkOf = (b: Obj, relation: string) => {
  const l = objectsIn(b.link).find((x) => x.relation === relation && typeof x.url === 'string')
  return l ? String(l.url) : undefined
}

/** A search that matched more than it returned links to the next page, and the next page answers. */
function paging(search: HttpExchange, page: HttpExchange | undefined, resource: string, report: Report) {
  const b = jsonBody(search)
  if (!isObj(b) || b.resourceType !== 'Bundle') return // fhir-http-live reports it
  const count = entriesOf(b).length
  if (!linkOf(b, 'next')) {
    if (typeof b.total === 'number' && b.total > count) report('no-paging', search, { total: b.total, count })
    return
  }
  if (!page?.response) return
  const p = jsonBody(page)
  if (page.response.status !== 200 || !isObj(p) || p.resourceType !== 'Bundle' || p.type !== 'searchset')
    report('page-fails', page, { resource })
}

/** A search by a parameter uses it (the self link says so) and finds the resource its value came from. */
function searchBy(x: HttpExchange, resource: string, param: string, report: Report) {
  const b = jsonBody(x)
  if (x.response!.status !== 200 || !isObj(b) || b.resourceType !== 'Bundle') {
    if (x.response!.status !== 200) report('search-fails', x, { resource, param })
    return // a 200 that is not a Bundle is fhir-http-live's to report
  }
  const self = linkOf(b, 'self')
  if (self) {
    let used = true
    try {
      used = [...new URL(self, x.request.url).searchParams.keys()].some(
        (k) => k === param || k.startsWith(`${param}:`),
      )
    } catch {
      // An unreadable self link is fhir-http-live's to report.
    }
    if (!used) {
      report('search-param-ignored', x, { self, param })
      return
    }
  }
  const expect = x.fhir!.expect
  if (!expect || linkOf(b, 'next')) return
  const found = entriesOf(b).some((r) => `${String(r.resourceType)}/${String(r.id)}` === expect)
  if (!found) report('search-misses', x, { resource, param, value: x.fhir!.value, expect })
}
