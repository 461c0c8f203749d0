import { defineRule } from '../../core/define-rule.js'
import { remembered } from '../../core/memo.js'
import type { Node } from '../../core/types.js'
import type { Obj } from '../../loaders/openapi-walker.js'
import { firstTime, isObj, NamedSchemas, patternMatches, schemaFacets, typesOf } from './util-http.js'

// Names that say "a date", as the NL API Design Rules linter reads them: `date`/`datum` itself, or a
// name ending in Date/Datum after another word (birthDate, geboorteDatum) or in _date (expiration_date).
// The camelCase test is case-sensitive so that words such as `update` or `mandate` are not dates.
const isDateName = (n: string) =>
  /^(date|datum)$/i.test(n) || /[a-z0-9](Date|Datum)$/.test(n) || /_(date|datum)$/i.test(n)
// Names that say "a point in time": createdAt, startTime, last_modified_at, timestamp, created …
const isInstantName = (n: string) =>
  /^(timestamp|created|updated|modified)$/i.test(n) ||
  /[a-z0-9](At|Time|Timestamp)$/.test(n) ||
  /_(at|time|timestamp)$/i.test(n)

// Names repeat by the thousand in a large description: each is judged once.
const timeNames = new Map<string, boolean>()
const judgeTimeName = (n: string) => isDateName(n) || isInstantName(n)
const isTimeName = (n: string) => remembered(timeNames, n, 100_000, judgeTimeName)

// Home-made date/time formats, keyed by the name lower-cased without separators, with the format
// that RFC 3339 / the OpenAPI format registry has for them.
const NON_STANDARD: Record<string, string> = {
  datetime: 'date-time',
  timestamp: 'date-time',
  iso8601: 'date-time',
  iso8601datetime: 'date-time',
  isodatetime: 'date-time',
  rfc3339: 'date-time',
  utcdatetime: 'date-time',
  zoneddatetime: 'date-time',
  offsetdatetime: 'date-time',
  instant: 'date-time',
  unixtime: 'date-time',
  unixtimestamp: 'date-time',
  epoch: 'date-time',
  date: 'date',
  fulldate: 'date',
  localdate: 'date',
  iso8601date: 'date',
  isodate: 'date',
  time: 'time',
  fulltime: 'time',
}
const STANDARD = new Set(['date', 'date-time', 'time', 'duration', 'time-local'])
// Formats that name a date-time with no offset (the NL ADR linter's date-time-local and Java's LocalDateTime).
const LOCAL_DATE_TIME = new Set(['datetimelocal', 'localdatetime'])

// A date-time that is well-formed but for its missing offset (RFC 3339 §5.6 requires time-offset).
const LOCAL_VALUE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/
// Samples to tell whether a `pattern` admits date-times with an offset, or only local ones.
const LOCAL_SAMPLES = [
  '2024-05-01T12:30:00',
  '2024-05-01T12:30:00.123',
  '2024-05-01T12:30',
  '2024-05-01 12:30:00',
]
const OFFSET_SAMPLES = [
  '2024-05-01T12:30:00Z',
  '2024-05-01T12:30:00+02:00',
  '2024-05-01T12:30:00-05:00',
  '2024-05-01T12:30:00.123Z',
  '2024-05-01T12:30:00.123+02:00',
  '2024-05-01T12:30Z',
  '2024-05-01T12:30:00+0200',
  '2024-05-01 12:30:00Z',
]

export default defineRule({
  meta: {
    id: 'date-time-format',
    title: 'Dates and times use RFC 3339 formats',
    failureTitle: 'Dates and times do not use RFC 3339 formats',
    description:
      'Dates and times exchanged between municipal systems are only unambiguous when they follow RFC 3339 (ISO 8601): a date as full-date, an instant as date-time with its UTC offset. ' +
      'Declare format: date for dates, format: date-time with Z or an offset for points in time, and no home-made formats.',
    fix: 'Use format: date for dates and format: date-time (with Z or ±hh:mm in examples and patterns) for points in time.',
    sources: [
      {
        title: 'RFC 3339 Date and Time on the Internet, §5.6 Internet Date/Time Format',
        url: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
      },
      {
        title: 'NL API Design Rules: /core/date-time',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/date-time',
      },
      {
        title: 'REST API-profil (DIGG): Datum- och tidsformat',
        url: 'https://dev.dataportal.se/rest-api-profil/datum-och-tidsformat',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Data Types',
        url: 'https://spec.openapis.org/oas/v3.1.0#data-types',
      },
    ],
    requires: ['openapi'],
    messages: {
      'date-time-for-date':
        "'{{name}}' holds a date but is typed format: date-time; use format: date (RFC 3339 full-date).",
      'missing-format': "'{{name}}' holds a {{kind}} but declares no format; declare format: {{expected}}.",
      'no-timezone':
        "The date-time {{source}} '{{value}}' leaves out the UTC offset; RFC 3339 date-times end in Z or ±hh:mm.",
      'time-without-offset':
        'format: time is a time of day without a date, so its UTC offset cannot follow daylight saving; use date-time for a point in time, or a local time of day (time-local) where the zone is implied.',
      'unknown-format':
        "'{{format}}' is not a standard date or time format; use format: {{suggestion}} (RFC 3339).",
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const named = new NamedSchemas(api)
    const once = firstTime()

    const checkFormat = (schema: Node<Obj>) => {
      const s = schema.value
      const formatNode = api.child(schema, 'format')
      const format = typeof s.format === 'string' ? s.format : undefined
      if (format !== undefined && formatNode) {
        const norm = format.toLowerCase().replace(/[\s_-]/g, '')
        if (format === 'time') {
          // RFC 3339 full-time carries an offset, but a time of day has no fixed offset without its
          // date; the NL ADR linter rejects format: time for that reason. This is a matter of care
          // rather than an outright error, but a rule has one severity: the ruleset decides it.
          if (once(formatNode.loc, 'time'))
            ctx.report({ messageId: 'time-without-offset', node: formatNode, data: { format } })
        } else if (LOCAL_DATE_TIME.has(norm)) {
          if (once(formatNode.loc, 'local'))
            ctx.report({
              messageId: 'no-timezone',
              node: formatNode,
              data: { source: 'format', value: format },
            })
        } else if (!STANDARD.has(format) && NON_STANDARD[norm]) {
          if (once(formatNode.loc, 'unknown'))
            ctx.report({
              messageId: 'unknown-format',
              node: formatNode,
              data: { format, suggestion: NON_STANDARD[norm] },
            })
        }
      }
      const types = typesOf(s)
      if (types.length && !types.includes('string')) return
      if (format === undefined || format === 'date-time') {
        const patternNode = api.child(schema, 'pattern')
        const matches = (v: string) => patternMatches(s.pattern, v) === true
        if (
          patternNode &&
          LOCAL_SAMPLES.some(matches) &&
          !OFFSET_SAMPLES.some(matches) &&
          once(patternNode.loc, 'pattern')
        )
          ctx.report({
            messageId: 'no-timezone',
            node: patternNode,
            data: { source: 'pattern', value: String(s.pattern) },
          })
      }
      if (format !== 'date-time') return
      const examples: Node<unknown>[] = []
      for (const k of ['example', 'default', 'x-example', 'const']) {
        const n = api.child(schema, k)
        if (n) examples.push(n)
      }
      const list = api.child(schema, 'examples')
      if (list && Array.isArray(list.value)) list.value.forEach((_, i) => examples.push(api.child(list, i)!))
      for (const ex of examples)
        if (typeof ex.value === 'string' && LOCAL_VALUE.test(ex.value) && once(ex.loc, 'example'))
          ctx.report({ messageId: 'no-timezone', node: ex, data: { source: 'example', value: ex.value } })
    }

    return {
      Parameter(param) {
        named.parameter(param)
      },
      Schema(info) {
        checkFormat(info.node)
        const n = named.named(info, isTimeName)
        // HTTP date headers (Date, If-Modified-Since …) use the IMF-fixdate of RFC 9110 §5.6.7, not RFC 3339.
        if (!n || n.parameter?.value.in === 'header') return
        const dateName = isDateName(n.name)
        const facets = schemaFacets(api, n.node)
        if (facets.unresolved) return
        const types = [...facets.types]
        if (
          types.length
            ? !types.includes('string')
            : facets.members.some((m) => isObj(m.value.properties) || isObj(m.value.items))
        )
          return
        const formats = facets.formats.map((f) => f.value)
        const data = { name: n.name }
        if (dateName) {
          if (formats.includes('date')) return
          for (const f of facets.formats)
            if (f.value === 'date-time' && once(f.loc, 'date-time-for-date'))
              ctx.report({ messageId: 'date-time-for-date', node: f, data })
          if (!formats.length && once(n.at.loc, 'missing'))
            ctx.report({
              messageId: 'missing-format',
              node: n.at,
              key: n.key,
              data: { ...data, kind: 'date', expected: 'date' },
            })
          return
        }
        // Instant names are only judged when they are explicitly strings: `updated` may be a flag, and
        // an integer epoch is outside what this rule judges.
        if (
          !types.includes('string') ||
          formats.length ||
          facets.members.some((m) => Array.isArray(m.value.enum))
        )
          return
        if (once(n.at.loc, 'missing'))
          ctx.report({
            messageId: 'missing-format',
            node: n.at,
            key: n.key,
            data: { ...data, kind: 'point in time', expected: 'date-time' },
          })
      },
    }
  },
})
