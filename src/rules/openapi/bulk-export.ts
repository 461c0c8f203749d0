import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import { isOpenExportFormat, isSuccessStatus, responseMedia, verb } from './util-closed.js'
import { isObj, objChild } from './util-style.js'
import { exchangeEvidence } from '../http/util.js'
import { declaresExport, exportProblem, jsonBody } from '../fhir/util-live.js'

/**
 * Words that name a bulk export in tags, operationIds, paths and summaries, case-insensitive and
 * anywhere in the word (`exportBooks`, `/bulk-data`, `DataDump`): English, and the Swedish "uttag"
 * (extract) and Norwegian/Danish "eksport" used by Nordic vendors ("export" is also Swedish).
 */
const EXPORT_WORDS = /export|bulk|dump|backup|uttag|eksport/i

/** Body properties that point a client at a running job's status (e.g. `statusUrl`, HAL `_links`). */
const STATUS_LINK = /^(status|monitor|poll(ing)?|job)[-_]?(url|uri|link|href)$|^_?links$/i

/** Parameters in which a client picks the export's format, e.g. FHIR Bulk Data's `_outputFormat`. */
const FORMAT_PARAMETER = /^_?(output)?[-_]?format$/i

interface Candidate {
  op: OperationInfo
  /** The media types it offers (stated ones only). */
  formats: string[]
}

export default defineRule({
  meta: {
    id: 'bulk-export',
    title: 'All data can be exported in bulk in an open format',
    failureTitle: 'There is no bulk export of the data in an open format',
    description:
      'A municipality must be able to take all of its data with it when it switches provider; the EU Data Act (art. 23–30) requires data processing services to make the customer’s exportable data available in a structured, commonly used, machine-readable format. ' +
      'Offer a documented bulk export (an export or FHIR $export operation, or an asynchronous export job) that delivers JSON, NDJSON, CSV or XML.',
    fix: 'Add an export operation (e.g. GET /export or an asynchronous POST /exports answering 202) that offers application/json, NDJSON, text/csv or XML.',
    sources: [
      {
        title:
          'Regulation (EU) 2023/2854 (Data Act), chapter VI: switching between data processing services, art. 23–30',
        url: 'https://eur-lex.europa.eu/eli/reg/2023/2854/oj',
      },
      {
        title: 'European Interoperability Framework, recommendation 9',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
      { title: 'HL7 FHIR Bulk Data Access ($export)', url: 'https://hl7.org/fhir/uv/bulkdata/' },
    ],
    // An OpenAPI description, or with --live a FHIR server, whose $export is tried.
    requires: [],
    optional: ['openapi', 'live'],
    // One export for the whole service is enough, whichever of its APIs (or its FHIR server) offers it.
    aggregate: 'any',
    messages: {
      missing:
        'No operation exports the data in bulk (an export, bulk, dump or backup operation, an asynchronous job answering 202, or a FHIR $export).',
      'proprietary-export':
        '{{method}} {{path}} exports only in {{types}}; offer an open format such as application/json, NDJSON, text/csv or XML.',
      'fhir-missing':
        'The FHIR server at {{url}} declares no $export (system, Patient or Group) in its CapabilityStatement.',
      'fhir-export-fails': 'The FHIR server declares $export, but the export tried did not work: {{why}}.',
    },
  },
  check(ctx) {
    // Without a description, the evidence is the FHIR server's $export, seen with --live.
    if (ctx.artifacts.openapi) return
    const fhir = ctx.artifacts.live?.exchanges.filter((e) => e.purpose.startsWith('fhir-')) ?? []
    if (!fhir.length) {
      ctx.notChecked(
        'needs an OpenAPI description, or a FHIR server (fhir.baseUrl) probed with --live, which was not given',
      )
      return
    }
    ctx.establishedBy('live')
    const metadata = fhir.find((e) => e.purpose === 'fhir-metadata' && e.response?.status === 200)
    if (!metadata) {
      ctx.notChecked('the FHIR server gave no CapabilityStatement to read')
      return
    }
    const evidence = { http: exchangeEvidence(metadata, ['content-type']) }
    if (!declaresExport(jsonBody(metadata))) {
      ctx.report({
        messageId: 'fhir-missing',
        loc: metadata.target.loc,
        data: { url: metadata.target.baseUrl },
        evidence,
      })
      return
    }
    const kickoff = fhir.find((e) => e.purpose === 'fhir-export')
    // A server that wants credentials the prober was not given is judged on its declaration.
    if (!kickoff?.response || kickoff.response.status === 401 || kickoff.response.status === 403) return
    const p = exportProblem(fhir, kickoff)
    if (p)
      ctx.report({
        messageId: 'fhir-export-fails',
        loc: p.exchange.target.loc,
        data: { why: p.why },
        evidence: { http: exchangeEvidence(p.exchange, ['content-type', 'content-location']) },
      })
  },
  create(ctx) {
    if (!ctx.artifacts.openapi) return {}
    const api = ctx.artifacts.openapi
    const candidates: Candidate[] = []
    let operations = 0

    const named = (op: OperationInfo): boolean => {
      const o = op.node.value
      const texts = [
        op.path,
        o.operationId,
        o.summary,
        ...(Array.isArray(o.tags) ? (o.tags as unknown[]) : []),
      ]
      return texts.some((t) => typeof t === 'string' && EXPORT_WORDS.test(t))
    }

    /** A POST or GET that starts a job: 202 Accepted with a Location or a link to the job's status. */
    const asyncJob = (op: OperationInfo): boolean => {
      if (op.method !== 'post' && op.method !== 'get') return false
      const accepted = op.responses.find((r) => r.status === '202')
      if (!accepted) return false
      const headers = objChild(api, accepted.node, 'headers')
      // Content-Location is what FHIR Bulk Data's kick-off answers with.
      if (Object.keys(headers?.value ?? {}).some((h) => /^(content-)?location$/i.test(h))) return true
      const links = objChild(api, accepted.node, 'links')
      if (links && Object.keys(links.value).length) return true
      return responseMedia(api, op, accepted.node).some((m) => {
        const schema = m.schema && objChild(api, m.schema)
        const props = schema && objChild(api, schema, 'properties')
        return Object.keys(props?.value ?? {}).some((p) => STATUS_LINK.test(p))
      })
    }

    /** The formats an export states: its success responses' media types (not the 202 job status) and format choices. */
    const formatsOf = (op: OperationInfo): string[] => {
      const formats = new Set<string>()
      for (const r of op.responses)
        if (isSuccessStatus(r.status) && r.status !== '202')
          for (const m of responseMedia(api, op, r.node)) formats.add(m.name)
      for (const p of op.parameters) {
        if (typeof p.value.name !== 'string' || !FORMAT_PARAMETER.test(p.value.name)) continue
        const schema = objChild(api, p, 'schema') ?? p
        const values = [
          ...(Array.isArray(schema.value.enum) ? (schema.value.enum as unknown[]) : []),
          ...(isObj(schema.value.items) && Array.isArray((schema.value.items as Obj).enum)
            ? ((schema.value.items as Obj).enum as unknown[])
            : []),
        ]
        for (const v of values) if (typeof v === 'string' && v.includes('/')) formats.add(v)
      }
      return [...formats]
    }

    return {
      Operation(op) {
        operations++
        if (named(op) || op.path.includes('$export') || asyncJob(op))
          candidates.push({ op, formats: formatsOf(op) })
      },
      DocumentExit(root) {
        if (operations === 0) {
          ctx.notApplicable('the description has no operations')
          return
        }
        if (!candidates.length) {
          const paths = api.child(root, 'paths') as Node<unknown> | undefined
          ctx.report({ messageId: 'missing', node: paths ?? root, key: !!paths })
          return
        }
        // One export in an open format is enough. An export that states no format (an async job whose
        // result is linked from its status, a FHIR $export, which is NDJSON by definition) is given
        // the benefit of the doubt unless every export that does state its formats is closed.
        if (candidates.some((c) => c.formats.some(isOpenExportFormat))) return
        for (const c of candidates)
          if (c.formats.length)
            ctx.report({
              messageId: 'proprietary-export',
              node: c.op.node,
              key: true,
              data: { method: verb(c.op), path: c.op.path, types: c.formats.join(', ') },
            })
      },
    }
  },
})
