import { defineRule } from '../../core/define-rule.js'
import { answered, evidence, fhirExchanges, isObj, jsonBody } from './util-live.js'

interface Requirement {
  resource: string
  interactions: string[]
  searchParams: string[]
}
interface Options {
  require: Requirement[]
  implementationGuides: string[]
  bulkExport: boolean
}

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : [])

export default defineRule<Options>({
  meta: {
    id: 'fhir-conformance-live',
    title: 'The FHIR server declares what the municipality requires',
    failureTitle: 'The FHIR server does not declare what the municipality requires',
    description:
      'A municipality integrates with a FHIR server for particular resources, interactions and searches (Patient read and search by identifier, say), under national implementation guides, and must be able to take all its data out with Bulk Data $export. ' +
      'Declare, in the CapabilityStatement, every resource, interaction and search parameter the ruleset requires, the implementation guides it names, and $export at system, Patient or Group level.',
    fix: 'Support and declare the required resources, interactions, search parameters, implementation guides and $export in the CapabilityStatement.',
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
        bulkExport: { description: 'Require a Bulk Data $export operation.', type: 'boolean', default: true },
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
    const report = (messageId: string, data: Record<string, unknown> = {}) =>
      ctx.report({
        messageId,
        loc: e.target.loc,
        data: { url: e.request.url, ...data },
        evidence: evidence(e),
      })
    const servers = list(cs.rest).filter((r) => r.mode === 'server')
    const resources = servers.flatMap((r) => list(r.resource))
    for (const req of ctx.options.require) {
      const declared = resources.filter((r) => r.type === req.resource)
      if (!declared.length) {
        report('no-resource', { resource: req.resource })
        continue
      }
      const interactions = new Set(declared.flatMap((r) => list(r.interaction).map((i) => i.code)))
      for (const i of req.interactions ?? [])
        if (!interactions.has(i)) report('no-interaction', { interaction: i, resource: req.resource })
      const params = new Set([
        ...declared.flatMap((r) => list(r.searchParam).map((p) => p.name)),
        ...servers.flatMap((r) => list(r.searchParam).map((p) => p.name)),
      ])
      for (const p of req.searchParams ?? [])
        if (!params.has(p)) report('no-search-param', { param: p, resource: req.resource })
    }
    const guides = new Set(
      (Array.isArray(cs.implementationGuide) ? cs.implementationGuide : []).map(
        (g) => String(g).split('|')[0],
      ),
    )
    for (const g of ctx.options.implementationGuides)
      if (!guides.has(g.split('|')[0]!)) report('no-guide', { guide: g })
    if (ctx.options.bulkExport) {
      const ops = [
        ...servers.flatMap((r) => list(r.operation)),
        ...resources
          .filter((r) => r.type === 'Patient' || r.type === 'Group')
          .flatMap((r) => list(r.operation)),
      ]
      if (
        !ops.some(
          (o) =>
            o.name === 'export' || /\/OperationDefinition\/(\w+-)?export$/.test(String(o.definition ?? '')),
        )
      )
        report('no-export')
    }
  },
})
