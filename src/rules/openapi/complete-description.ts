import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { OperationInfo } from '../../loaders/openapi-walker.js'
import { firstTime, typesOf } from './util-http.js'
import { isObj, isText, mediaTypeEssence } from './util-style.js'
import { requestMedia, responseMedia, verb, type BodyMedia } from './util-closed.js'

/**
 * Bodies whose structure a schema must describe: JSON, XML, YAML, CBOR and NDJSON (and their
 * structured suffixes), and form submissions. Text, images, PDFs, archives and other binary bodies
 * speak for themselves through their media type.
 */
function needsSchema(name: string): boolean {
  const type = mediaTypeEssence(name)
  return (
    /(^|[/+.-])(json|xml|yaml|cbor|ndjson|json-seq)$/.test(type) ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'multipart/form-data'
  )
}

// Keywords that say something about a value's content; a schema with none of them accepts anything.
const CONTENT_KEYWORDS = [
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'if',
  '$ref',
  '$dynamicRef',
  'enum',
  'const',
  'format',
  'contentMediaType',
  'contentEncoding',
]

/**
 * True for `{}`, `true`, an object schema without properties, additionalProperties, allOf/oneOf/anyOf
 * or $ref, and an array schema without items: a body the description leaves undocumented.
 */
function isEmptySchema(value: unknown): boolean {
  if (value === true) return true
  if (!isObj(value)) return false
  const types = typesOf(value).filter((t) => t !== 'null')
  // A string, number or boolean body is described by its type.
  if (types.some((t) => t !== 'object' && t !== 'array')) return false
  if (CONTENT_KEYWORDS.some((k) => value[k] !== undefined)) return false
  const nonEmpty = (k: string) => isObj(value[k]) && Object.keys(value[k] as object).length > 0
  if (types.includes('array') || value.items !== undefined || value.prefixItems !== undefined)
    return value.items === undefined && value.prefixItems === undefined && value.contains === undefined
  if (nonEmpty('properties') || nonEmpty('patternProperties')) return false
  // `additionalProperties: true` (or `{}`) adds nothing; `false` or a schema describes the members.
  const ap = value.additionalProperties
  if (ap === false || (isObj(ap) && Object.keys(ap).length > 0)) return false
  return true
}

export default defineRule({
  meta: {
    id: 'complete-description',
    title: 'Every operation is described, has a success response and documented bodies',
    failureTitle: 'Operations are undocumented, lack a success response or have empty body schemas',
    description:
      'A municipality can only integrate with, replace or migrate away from a service whose whole interface is documented; an undescribed operation or an empty schema means the data is reachable only through the vendor’s own knowledge. ' +
      'Give every operation a summary or description, at least one success response, and a schema for every JSON or XML request and response body.',
    fix: 'Add a summary, a 2xx/3xx or default response, and a schema with properties (or items) for each body.',
    sources: [
      {
        title: 'OpenAPI Specification 3.1.0: Operation Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#operation-object',
      },
      {
        title: 'European Interoperability Framework, recommendation 9 (open specifications)',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
      {
        title: 'NL API Design Rules: /core/doc-openapi',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/doc-openapi',
      },
    ],
    requires: ['openapi'],
    messages: {
      'no-description': '{{method}} {{path}} has neither a summary nor a description.',
      'no-success-response': '{{method}} {{path}} documents no 2xx, 3xx or default response.',
      'empty-schema':
        'The {{where}} of {{method}} {{path}} ({{type}}) has {{problem}}; describe its properties or items.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const once = firstTime()

    const checkBody = (op: OperationInfo, where: string, media: BodyMedia[]) => {
      const data = { method: verb(op), path: op.path, where }
      for (const m of media) {
        if (!needsSchema(m.name)) continue
        if (!m.schema) {
          if (once(m.node.loc))
            ctx.report({
              messageId: 'empty-schema',
              node: m.node,
              key: m.isKey,
              data: { ...data, type: m.name, problem: 'no schema' },
            })
          continue
        }
        const schema: Node<unknown> | undefined = api.resolve(m.schema)
        if (schema && isEmptySchema(schema.value) && once(schema.loc))
          ctx.report({
            messageId: 'empty-schema',
            node: schema,
            data: { ...data, type: m.name, problem: 'an empty schema' },
          })
      }
    }

    return {
      Operation(op) {
        const o = op.node.value
        const data = { method: verb(op), path: op.path }
        if (!isText(o.summary) && !isText(o.description))
          ctx.report({ messageId: 'no-description', node: op.node, key: true, data })
        // A redirect (3xx) or `default` is an answer a client can act on; only errors are not.
        if (!op.responses.some((r) => /^[23](\d\d|XX)$/i.test(r.status) || r.status === 'default'))
          ctx.report({
            messageId: 'no-success-response',
            node: api.child(op.node, 'responses') ?? op.node,
            key: true,
            data,
          })
        checkBody(op, 'request body', requestMedia(api, op))
        for (const r of op.responses) {
          // 204 No Content and 304 Not Modified have no body by definition (RFC 9110 §15.3.5, §15.4.5).
          if (r.status === '204' || r.status === '304') continue
          checkBody(op, `${r.status} response`, responseMedia(api, op, r.node, true))
        }
      },
    }
  },
})
