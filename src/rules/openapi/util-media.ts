import { mediaTypeEssence } from './util-style.js'

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

export type MediaTypeVerdict =
  | { ok: true }
  | {
      ok: false
      messageId: 'wildcard' | 'closed-format' | 'proprietary' | 'unregistered'
      alternative: string
    }
  | { ok: false; messageId: 'octet-stream' }

/**
 * Whether a media type is registered and open, and if not, what kind of problem it is and what to
 * use instead. One classification for every rule that judges formats.
 */
export function classifyMediaType(name: string): MediaTypeVerdict {
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

/** A format only one vendor's software reads: a proprietary or closed office type. */
export function isProprietaryMediaType(name: string): boolean {
  const v = classifyMediaType(name)
  return !v.ok && (v.messageId === 'proprietary' || v.messageId === 'closed-format')
}
