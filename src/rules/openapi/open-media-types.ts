import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { MediaTypeInfo, Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { classifyMediaType } from './util-media.js'
import { isObj, isText, mediaTypeEssence } from './util-style.js'

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
