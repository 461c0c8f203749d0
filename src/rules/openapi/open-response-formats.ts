import { defineRule } from '../../core/define-rule.js'
import { firstTime } from './util-http.js'
import { mediaTypeEssence } from './util-style.js'
import {
  isProprietaryMediaType,
  isSuccessStatus,
  responseMedia,
  SPREADSHEET_TYPES,
  verb,
  type BodyMedia,
} from './util-closed.js'

/** What a spreadsheet must be offered beside: CSV (RFC 4180) or JSON. */
const SPREADSHEET_ALTERNATIVES = new Set(['text/csv', 'application/json'])

export default defineRule({
  meta: {
    id: 'open-response-formats',
    title: 'Responses are offered in open formats',
    failureTitle: 'Some responses are only offered in proprietary formats',
    description:
      'A response only in a vendor’s own format can only be read with the vendor’s software, which locks the municipality’s data in; a spreadsheet alone is made for people, not for systems. ' +
      'Offer every successful response in an open format (JSON, a +json/+xml type, XML, CSV), and offer CSV or JSON beside any Excel download.',
    fix: 'Add application/json (or a +json/+xml type, or text/csv) to the response, beside the proprietary or spreadsheet type.',
    sources: [
      {
        title: 'European Interoperability Framework, recommendation 9 (open specifications)',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
      {
        title: 'RFC 6838 Media Type Specifications and Registration Procedures, §3.2 (vendor tree)',
        url: 'https://www.rfc-editor.org/rfc/rfc6838#section-3.2',
      },
      {
        title: 'RFC 6839 Additional Media Type Structured Syntax Suffixes',
        url: 'https://www.rfc-editor.org/rfc/rfc6839',
      },
      {
        title: 'RFC 4180 Common Format and MIME Type for Comma-Separated Values (CSV) Files',
        url: 'https://www.rfc-editor.org/rfc/rfc4180',
      },
    ],
    requires: ['openapi'],
    messages: {
      'proprietary-only':
        'The {{status}} response of {{method}} {{path}} is only offered as {{types}}; offer an open format such as application/json too.',
      'spreadsheet-only':
        '{{method}} {{path}} offers the spreadsheet {{type}} without text/csv or application/json.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    // Swagger 2 operations share the root-level `produces`: one finding there, not one per operation.
    const once = firstTime()
    return {
      Operation(op) {
        const data = { method: verb(op), path: op.path }
        const offered: BodyMedia[] = []
        let closed = false
        for (const r of op.responses) {
          if (!isSuccessStatus(r.status)) continue
          const media = responseMedia(api, op, r.node)
          offered.push(...media)
          if (!media.length || !media.every((m) => isProprietaryMediaType(m.name))) continue
          closed = true
          // OpenAPI 3: at the response's content; Swagger 2: at the `produces` list that applies.
          const holder =
            api.kind === 'swagger' ? parentList(media[0]!.node.loc) : api.child(r.node, 'content')
          if (holder && once(holder.loc))
            ctx.report({
              messageId: 'proprietary-only',
              node: holder,
              data: { ...data, status: r.status, types: media.map((m) => m.name).join(', ') },
            })
        }
        // A response offered only as legacy Excel is already reported as proprietary; saying again
        // that CSV is missing would be the same finding twice.
        if (closed) return
        const types = new Set(offered.map((m) => mediaTypeEssence(m.name)))
        if ([...SPREADSHEET_ALTERNATIVES].some((t) => types.has(t))) return
        const sheet = offered.find((m) => SPREADSHEET_TYPES.has(mediaTypeEssence(m.name)))
        if (sheet && once(sheet.node.loc, 'sheet'))
          ctx.report({
            messageId: 'spreadsheet-only',
            node: sheet.node,
            key: sheet.isKey,
            data: { ...data, type: sheet.name },
          })
      },
    }

    /** The `produces` list that holds a Swagger 2 entry. */
    function parentList(loc: { uri: string; pointer: string }) {
      const pointer = loc.pointer.replace(/\/[^/]*$/, '')
      return api.node({ uri: loc.uri, pointer })
    }
  },
})
