import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { MediaTypeInfo, Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { isObj, isText, mediaTypeEssence } from './util-style.js'

/**
 * Registered types with an open specification (IANA media types registry). Structured-suffix types
 * (`+json`, `+xml`, RFC 6839) are accepted separately: whatever the vendor tree, the bytes are JSON or XML.
 */
const OPEN_TYPES = new Set([
  'application/json',
  'application/json-seq', // RFC 7464
  'application/xml',
  'text/xml',
  'application/yaml', // RFC 9512
  'application/cbor', // RFC 8949
  'text/csv', // RFC 4180
  'text/tab-separated-values',
  'text/plain',
  'text/html',
  'text/markdown', // RFC 7763
  'text/calendar', // RFC 5545
  'text/vcard', // RFC 6350
  'text/turtle',
  'application/n-triples',
  'application/n-quads',
  'application/sql', // RFC 6922
  'application/pdf', // RFC 8118, ISO 32000
  'application/x-www-form-urlencoded', // registered despite its x- name
  'multipart/form-data', // RFC 7578
  'multipart/mixed',
  'multipart/related', // RFC 2387
  'multipart/alternative',
  'multipart/byteranges',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/bmp',
  'image/avif',
  'audio/mpeg',
  'audio/ogg',
  'video/mp4',
  'application/ogg',
  'application/zip',
  'application/gzip', // RFC 6713
  'application/jwt', // RFC 7519
  'application/jose', // RFC 7515
  'application/geopackage+sqlite3', // OGC GeoPackage
  'application/epub+zip',
  'application/vnd.etsi.asic-e+zip', // ETSI EN 319 162 signature containers (eIDAS)
  'application/vnd.etsi.asic-s+zip',
  'application/vnd.google-earth.kmz', // OGC KML
])

/** Vendor-tree prefixes whose formats are nonetheless open standards. */
const OPEN_VENDOR_PREFIXES = [
  'application/vnd.oasis.opendocument.', // OpenDocument, ISO/IEC 26300
  'application/vnd.openxmlformats-officedocument.', // Office Open XML, ISO/IEC 29500
]

/** Office formats whose specifications belong to one vendor (the pre-2007 binary formats and the like). */
const CLOSED_PREFIXES = [
  'application/vnd.ms-',
  'application/msword',
  'application/x-msexcel',
  'application/x-excel',
  'application/x-mspowerpoint',
  'application/x-msaccess',
  'application/vnd.visio',
  'application/vnd.apple.pages',
  'application/vnd.apple.numbers',
  'application/vnd.apple.keynote',
]

/** Names in use that are not registered, with the registered type to use instead. */
const UNREGISTERED_ALTERNATIVES: Record<string, string> = {
  'text/json': 'application/json',
  'text/x-json': 'application/json',
  'application/x-json': 'application/json',
  'application/x-ndjson': 'application/json-seq (RFC 7464), or a paginated application/json array',
  'application/ndjson': 'application/json-seq (RFC 7464), or a paginated application/json array',
  'application/jsonl': 'application/json-seq (RFC 7464), or a paginated application/json array',
  'application/x-jsonlines': 'application/json-seq (RFC 7464), or a paginated application/json array',
  'application/text': 'text/plain',
  'text/yaml': 'application/yaml (RFC 9512)',
  'text/x-yaml': 'application/yaml (RFC 9512)',
  'application/x-yaml': 'application/yaml (RFC 9512)',
  'application/csv': 'text/csv (RFC 4180)',
  'text/comma-separated-values': 'text/csv (RFC 4180)',
  'text/x-csv': 'text/csv (RFC 4180)',
  'application/x-pdf': 'application/pdf',
  'application/x-zip': 'application/zip',
  'application/x-zip-compressed': 'application/zip',
  'application/x-gzip': 'application/gzip (RFC 6713)',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'text/x-markdown': 'text/markdown (RFC 7763)',
  'application/geojson': 'application/geo+json (RFC 7946)',
  'application/x-www-form-urlencode': 'application/x-www-form-urlencoded',
}

const GENERIC_ALTERNATIVE = 'a registered open type such as application/json'

function closedAlternative(type: string): string {
  if (/excel|spreadsheet|numbers/.test(type))
    return 'text/csv or OpenDocument (application/vnd.oasis.opendocument.spreadsheet)'
  if (/powerpoint|presentation|keynote/.test(type))
    return 'application/pdf or OpenDocument (application/vnd.oasis.opendocument.presentation)'
  if (/word|pages|document/.test(type))
    return 'application/pdf or OpenDocument (application/vnd.oasis.opendocument.text)'
  return 'an open format such as application/pdf, text/csv or OpenDocument (application/vnd.oasis.opendocument.*)'
}

type Verdict =
  | { ok: true }
  | {
      ok: false
      messageId: 'wildcard' | 'closed-format' | 'proprietary' | 'unregistered'
      alternative: string
    }
  | { ok: false; messageId: 'octet-stream' }

export function classifyMediaType(name: string): Verdict {
  const type = mediaTypeEssence(name)
  if (type.includes('*')) return { ok: false, messageId: 'wildcard', alternative: GENERIC_ALTERNATIVE }
  const m = /^([a-z0-9][a-z0-9!#$&^_.+-]*)\/([a-z0-9][a-z0-9!#$&^_.+-]*)$/.exec(type)
  if (!m) return { ok: false, messageId: 'unregistered', alternative: GENERIC_ALTERNATIVE }
  const subtype = m[2]!
  if (CLOSED_PREFIXES.some((p) => type.startsWith(p)))
    return { ok: false, messageId: 'closed-format', alternative: closedAlternative(type) }
  if (OPEN_TYPES.has(type) || OPEN_VENDOR_PREFIXES.some((p) => type.startsWith(p))) return { ok: true }
  // RFC 6839 structured syntax suffixes: a vendor type written as +json or +xml is still readable as such.
  if (/\+(json|xml)$/.test(subtype)) return { ok: true }
  if (type === 'application/octet-stream') return { ok: false, messageId: 'octet-stream' }
  const known = UNREGISTERED_ALTERNATIVES[type]
  if (known) return { ok: false, messageId: 'unregistered', alternative: known }
  // RFC 6838 §3.2–3.4: the vendor (vnd.), personal (prs.) and unregistered (x-, x.) trees.
  if (/^(vnd|prs|x)[.-]/.test(subtype))
    return {
      ok: false,
      messageId: 'proprietary',
      alternative: `${GENERIC_ALTERNATIVE}, or a structured suffix such as ${m[1]}/${subtype.replace(/^x[.-]/, 'vnd.')}+json`,
    }
  return { ok: false, messageId: 'unregistered', alternative: GENERIC_ALTERNATIVE }
}

/**
 * When application/octet-stream is acceptable. Raw bytes are fine when the description says what
 * they are, so a client knows how to read them. The criterion:
 *  - the schema has its own `description` (it describes the bytes by definition) or an OpenAPI 3.1
 *    `contentMediaType` naming another type; or
 *  - a nearby description names the content: the operation's summary or description, the request
 *    body's or response's description (Swagger 2: the 2xx responses and their schemas, or the
 *    body/formData parameters). "Names the content" means it mentions a media type, a file format
 *    or extension, a kind of binary content (image, archive, certificate…), or that the bytes are
 *    passed through as stored ("original", "as uploaded"…). A bare status phrase such as "OK" does not.
 */
const NAMES_CONTENT = new RegExp(
  [
    String.raw`\b(?:application|audio|font|image|model|multipart|text|video)/(?!octet-stream\b)[a-z0-9][a-z0-9.+-]*`,
    String.raw`\b(?:pdf|zip|gzip|gz|tar|7z|png|jpe?g|gif|tiff?|bmp|webp|avif|heic|svg|csv|tsv|xml|json|ya?ml|txt|html?|docx?|xlsx?|pptx?|od[tsgp]|epub|rtf|excel|mp3|mp4|wav|ogg|webm|mov|dicom|pem|der|cer|crt|p7[bcms]|p12|pfx|jwt|asice?|sie|xbrl|gml|kmz|gpkg|ifc|dwg|dxf|shp|parquet|avro)\b`,
    String.raw`\b(?:images?|photos?|pictures?|thumbnails?|scans?|audio|videos?|archives?|certificates?|signatures?|spreadsheets?|e-?books?)\b`,
    String.raw`\b(?:original|as uploaded|as stored|unchanged|unmodified|arbitrary|any (?:file|type|format|content))\b`,
  ].join('|'),
  'i',
)

function namesContent(v: unknown): boolean {
  return typeof v === 'string' && NAMES_CONTENT.test(v)
}

function schemaExplains(api: OpenApiArtifact, schema: Node<unknown> | undefined): boolean {
  const s = schema && api.resolve(schema)
  if (!s || !isObj(s.value)) return false
  const cmt = s.value.contentMediaType
  return isText(s.value.description) || (isText(cmt) && mediaTypeEssence(cmt) !== 'application/octet-stream')
}

function operationTexts(op: OperationInfo | undefined): unknown[] {
  return op ? [op.node.value.summary, op.node.value.description] : []
}

export default defineRule({
  meta: {
    id: 'open-media-types',
    title: 'Only registered, open media types are used',
    failureTitle: 'Proprietary, closed or unregistered media types are used',
    description:
      'A media type tells a client how to read a body; a proprietary, unregistered or closed one ties the municipality to the vendor’s own software to read its own data. ' +
      'Use IANA-registered types with open specifications (application/json, a +json or +xml structured suffix, text/csv, application/pdf, OpenDocument), and describe what any application/octet-stream body contains.',
    fix: 'Replace the media type with a registered open one, or add a +json/+xml suffix to a vendor type.',
    sources: [
      {
        title: 'IANA Media Types registry',
        url: 'https://www.iana.org/assignments/media-types/media-types.xhtml',
      },
      {
        title: 'RFC 6838 Media Type Specifications and Registration Procedures',
        url: 'https://www.rfc-editor.org/rfc/rfc6838',
      },
      {
        title: 'RFC 6839 Additional Media Type Structured Syntax Suffixes',
        url: 'https://www.rfc-editor.org/rfc/rfc6839',
      },
      {
        title: 'European Interoperability Framework: open specifications',
        url: 'https://interoperable-europe.ec.europa.eu/collection/iopeu-monitoring/european-interoperability-framework-detail',
      },
    ],
    requires: ['openapi'],
    messages: {
      proprietary: '{{where}} uses the proprietary media type {{type}}; use {{alternative}}.',
      'closed-format': '{{where}} uses the closed office format {{type}}; use {{alternative}}.',
      'octet-stream':
        '{{where}} uses application/octet-stream without saying what the bytes are; name the format in a description, or use its registered type.',
      wildcard: '{{where}} uses the media range {{type}}, which names no format; use {{alternative}}.',
      unregistered: '{{where}} uses {{type}}, which is not a registered media type; use {{alternative}}.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    // Swagger 2 root-level produces/consumes: the operations that inherit them.
    const inheriting: { request: OperationInfo[]; response: OperationInfo[] } = { request: [], response: [] }

    const where = (m: MediaTypeInfo): string => {
      const dir = m.direction === 'request' ? 'request body' : m.status ? `${m.status} response` : 'response'
      if (m.operation) return `The ${dir} of ${m.operation.method.toUpperCase()} ${m.operation.path}`
      return api.kind === 'swagger'
        ? `The root-level ${m.direction === 'request' ? 'consumes' : 'produces'}`
        : `A reusable ${dir}`
    }

    /** The response, request body or parameter that holds an OpenAPI 3 media type object. */
    const holderOf = (m: MediaTypeInfo): Obj | undefined => {
      if (m.operation && m.direction === 'request' && m.operation.requestBody)
        return m.operation.requestBody.value
      if (m.operation && m.status) return m.operation.responses.find((r) => r.status === m.status)?.node.value
      const segs = m.node.loc.pointer.split('/')
      if (segs.at(-2) !== 'content') return undefined
      const v = api.valueAt({ uri: m.node.loc.uri, pointer: segs.slice(0, -2).join('/') })
      return isObj(v) ? v : undefined
    }

    const swaggerOpExplains = (op: OperationInfo, direction: 'request' | 'response'): boolean => {
      if (operationTexts(op).some(namesContent)) return true
      if (direction === 'request')
        return op.parameters.some(
          (p) =>
            (p.value.in === 'body' || p.value.in === 'formData') &&
            (namesContent(p.value.description) ||
              (p.value.in === 'formData' && p.value.type === 'file' && isText(p.value.description)) ||
              schemaExplains(api, api.child(p, 'schema'))),
        )
      return op.responses.some(
        (r) =>
          /^2/.test(r.status) &&
          (namesContent(r.node.value.description) || schemaExplains(api, api.child(r.node, 'schema'))),
      )
    }

    const explained = (m: MediaTypeInfo): boolean => {
      if (api.kind === 'swagger') {
        if (m.operation) return swaggerOpExplains(m.operation, m.direction)
        return inheriting[m.direction].some((op) => swaggerOpExplains(op, m.direction))
      }
      if (schemaExplains(api, api.child(m.node, 'schema'))) return true
      return namesContent(holderOf(m)?.description) || operationTexts(m.operation).some(namesContent)
    }

    return {
      Operation(op) {
        if (api.kind !== 'swagger') return
        if (!Array.isArray(op.node.value.produces)) inheriting.response.push(op)
        if (!Array.isArray(op.node.value.consumes) && op.requestBody) inheriting.request.push(op)
      },
      MediaType(m) {
        const verdict = classifyMediaType(m.name)
        if (verdict.ok) return
        if (verdict.messageId === 'octet-stream' && explained(m)) return
        ctx.report({
          messageId: verdict.messageId,
          node: m.node,
          key: m.isKey,
          data: {
            where: where(m),
            type: m.name,
            ...('alternative' in verdict ? { alternative: verdict.alternative } : {}),
          },
        })
      },
    }
  },
})
