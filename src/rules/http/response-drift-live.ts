import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { HttpExchange } from '../../loaders/live.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { isObj } from '../../loaders/openapi-walker.js'
import { describeErrors, SchemaCompiler } from '../openapi/util-schema.js'
import { mediaTypeEssence } from '../openapi/util-style.js'
import { contentTypeOf, exchangeEvidence } from './util.js'

/** What the description says about one response: its media types and the schema each has. */
interface DocumentedResponse {
  /** The documented media types (as written); empty when no body is documented; undefined when unknown. */
  types: string[] | undefined
  /** The schema that applies to a media type actually sent, if any. */
  schemaFor(type: string): Node<unknown> | undefined
}

/** How well a documented media type (or range) covers an actual one: 0 not at all, 3 exactly. */
function mediaRangeScore(documented: string, actual: string): number {
  const d = mediaTypeEssence(documented)
  const a = mediaTypeEssence(actual)
  if (d === a) return 3
  if (d === '*/*' || d === '*') return 1
  const [dType, dSub] = d.split('/')
  return dSub === '*' && dType === a.split('/')[0] ? 2 : 0
}

/**
 * The most specific documented media type covering the actual one: in a Response Object's `content`
 * the more specific key applies (text/plain over the range text/*, a range over any type).
 */
function bestMatch(types: readonly string[], actual: string): string | undefined {
  let best: string | undefined
  let score = 0
  for (const t of types) {
    const s = mediaRangeScore(t, actual)
    if (s > score) [best, score] = [t, s]
  }
  return best
}

const isJsonType = (type: string) => type === 'application/json' || /^[^/]+\/[^/]+\+json$/.test(type)

/** The key under `responses` that documents a status: the code, then its range (OAS 3), then `default`. */
function responseKey(api: OpenApiArtifact, keys: readonly string[], status: number): string | undefined {
  const code = String(status)
  if (keys.includes(code)) return code
  if (api.kind === 'openapi') {
    const range = `${code[0]}XX`
    const found = keys.find((k) => k.toUpperCase() === range)
    if (found) return found
  }
  return keys.includes('default') ? 'default' : undefined
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length ? v.filter((x): x is string => typeof x === 'string') : undefined
}

function documentedResponse(
  api: OpenApiArtifact,
  operation: Node<unknown>,
  response: Node<unknown>,
): DocumentedResponse {
  if (api.kind === 'swagger') {
    // Swagger 2: one schema for every type the operation produces (its own list, else the root's).
    // Without a schema the response has no body (Swagger 2.0 §Response Object).
    const schema = api.child(response, 'schema')
    const root = api.node(api.rootLoc)
    const produces =
      stringList(api.child(operation, 'produces')?.value) ?? stringList(api.child(root, 'produces')?.value)
    return { types: schema ? produces : [], schemaFor: () => schema }
  }
  const content = api.child(response, 'content')
  const resolved = content && api.resolve(content)
  const types = resolved && isObj(resolved.value) ? Object.keys(resolved.value) : []
  return {
    types,
    schemaFor(type) {
      const key = bestMatch(types, type)
      return key === undefined || !resolved ? undefined : api.child(resolved, key, 'schema')
    },
  }
}

export default defineRule({
  meta: {
    id: 'response-drift-live',
    title: 'The running service answers as its description documents',
    failureTitle: 'The running service answers differently from its description',
    description:
      'A municipality builds its client, and generates code, from the published description; a status, media type or body shape the description does not document breaks that client in production. ' +
      'Keep the description and the service in step: document every status and media type the service sends, and let every body match the documented schema.',
    fix: 'Change the service or the description so that the status, content type and body of each response are the documented ones.',
    sources: [
      {
        title: 'NL API Design Rules: /core/doc-openapi',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/doc-openapi',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Responses Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#responses-object',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Media Type Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#media-type-object',
      },
      {
        title: 'RFC 9110 HTTP Semantics: Content-Type',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#name-content-type',
      },
    ],
    requires: ['live', 'openapi'],
    establishedBy: 'live',
    messages: {
      'undocumented-status':
        '{{method}} {{url}} ({{operation}}) answered {{status}}, which the description does not document for this operation (it documents {{documented}}).',
      'undocumented-type':
        '{{method}} {{url}} ({{operation}}) answered {{status}} with {{type}}; the description documents {{documented}} for this response.',
      'not-json':
        '{{method}} {{url}} ({{operation}}) answered {{status}} with {{type}}, but the body is not JSON: {{error}}.',
      'invalid-body':
        '{{method}} {{url}} ({{operation}}) answered {{status}} with a body that does not match the documented schema: {{errors}}.',
    },
  },
  check(ctx) {
    const api = ctx.artifacts.openapi!
    const calls = ctx.artifacts.live!.exchanges.filter((e) => e.purpose === 'operation')
    if (!calls.length) {
      ctx.notChecked(
        "no described GET operation could be called: give example parameter values in the manifest's apis[].examples",
      )
      return
    }
    const compiler = new SchemaCompiler(api)
    const root = api.node(api.rootLoc)
    let judged = 0
    const unanswered: HttpExchange[] = []
    const denied: HttpExchange[] = []
    for (const e of calls) {
      const res = e.response
      if (!res) {
        unanswered.push(e)
        continue
      }
      if (!e.operation) continue
      const operation = api.child(root, 'paths', e.operation.path, e.operation.method.toLowerCase())
      // An operation the prober found elsewhere (another version of the description) is not judged here.
      if (!operation || !isObj(api.resolve(operation)?.value)) continue
      // The service wants credentials the run did not have: that says nothing about drift.
      if ((res.status === 401 || res.status === 403) && !e.request.authenticated) {
        denied.push(e)
        continue
      }
      judged++
      const operationId = e.operation.operationId ?? api.child(operation, 'operationId')?.value
      const type = contentTypeOf(e)
      const data = {
        method: e.request.method,
        url: e.request.url,
        status: res.status,
        operation:
          typeof operationId === 'string' && operationId
            ? operationId
            : `${e.operation.method.toUpperCase()} ${e.operation.path}`,
        type: type || 'no content type',
      }
      const report = (messageId: string, extra: Record<string, unknown> = {}) =>
        ctx.report({
          messageId,
          loc: e.target.loc,
          data: { ...data, ...extra },
          evidence: { http: exchangeEvidence(e, ['content-type']) },
        })

      const responses = api.child(operation, 'responses')
      const resolved = responses && api.resolve(responses)
      const codes = resolved && isObj(resolved.value) ? Object.keys(resolved.value) : []
      const key = responseKey(api, codes, res.status)
      if (key === undefined) {
        report('undocumented-status', { documented: codes.join(', ') || 'no responses' })
        continue
      }
      const documented = documentedResponse(api, operation, api.child(resolved!, key)!)

      const hasBody = res.body !== undefined ? res.body !== '' : !!res.bodyExcerpt
      // An empty answer without a content type (e.g. 204) carries nothing to compare.
      if (!type && !hasBody) continue
      if (documented.types !== undefined) {
        if (!documented.types.length) {
          if (hasBody) report('undocumented-type', { documented: 'no content' })
          continue
        }
        if (!type || bestMatch(documented.types, type) === undefined) {
          report('undocumented-type', { documented: documented.types.join(', ') })
          continue
        }
      }

      // A body cut off at the prober's cap cannot be parsed, let alone validated.
      if (!isJsonType(type) || res.body === undefined || res.truncated) continue
      let value: unknown
      try {
        value = JSON.parse(res.body)
      } catch (err) {
        report('not-json', { error: err instanceof Error ? err.message : String(err) })
        continue
      }
      const schema = documented.schemaFor(type)
      const compiled = schema && compiler.compile(schema, 'response')
      // A schema that does not compile is reported by the static rules, not as drift.
      if (!compiled?.validate || compiled.validate(value)) continue
      report('invalid-body', { errors: describeErrors(compiled.validate.errors ?? []) })
    }

    if (!judged) {
      const why: string[] = []
      if (denied.length)
        why.push(
          `${denied.map((e) => `${e.request.method} ${e.request.url} answered ${e.response!.status}`).join(', ')}: the service wants credentials the run did not have`,
        )
      if (unanswered.length)
        why.push(`no answer from ${unanswered.map((e) => `${e.request.url} (${e.error})`).join(', ')}`)
      if (!why.length) why.push('none of the operations called is in this description')
      ctx.notChecked(`no described operation could be judged: ${why.join('; ')}`)
    }
  },
})
