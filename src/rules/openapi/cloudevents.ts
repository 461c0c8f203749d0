import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { PATH_ITEM_METHODS, type Obj } from '../../loaders/openapi-walker.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { contentMedia } from './util-closed.js'
import { locKey } from './util-http.js'
import { isObj, mediaTypeEssence, objChild } from './util-style.js'

/** CloudEvents 1.0 structured-mode media types (JSON event format §4, HTTP binding §3.2, §3.3). */
const CLOUDEVENTS_TYPES = new Set(['application/cloudevents+json', 'application/cloudevents-batch+json'])

/** The REQUIRED context attributes of CloudEvents 1.0 (spec §3.1). */
const REQUIRED_ATTRIBUTES = ['specversion', 'id', 'source', 'type']

/** Property names and required names of a schema, through allOf (and a batch's array items). */
function attributesOf(api: OpenApiArtifact, raw: Node<unknown>, depth = 0): Set<string> {
  const names = new Set<string>()
  const schema = objChild(api, raw)
  if (!schema || depth > 4) return names
  const s = schema.value
  if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') names.add(r)
  if (isObj(s.properties)) for (const p of Object.keys(s.properties)) names.add(p)
  const parts: Node<unknown>[] = []
  const allOf = api.child(schema, 'allOf')
  if (allOf && Array.isArray(allOf.value)) allOf.value.forEach((_, i) => parts.push(api.child(allOf, i)!))
  const items = api.child(schema, 'items')
  if (items) parts.push(items)
  for (const p of parts) for (const n of attributesOf(api, p, depth + 1)) names.add(n)
  return names
}

export default defineRule({
  meta: {
    id: 'cloudevents',
    title: 'Events and webhooks use CloudEvents',
    failureTitle: 'Events and webhooks do not use CloudEvents',
    description:
      'A municipality routes events from many services through one event broker or integration platform; events in each vendor’s own envelope need a custom adapter per vendor. ' +
      'Send webhooks and callbacks as CloudEvents (application/cloudevents+json, or the ce- headers of the HTTP binary mode), with specversion, id, source and type.',
    fix: 'Describe the webhook’s request body as application/cloudevents+json, or a schema with the CloudEvents attributes specversion, id, source and type.',
    sources: [
      {
        title: 'CloudEvents specification 1.0',
        url: 'https://github.com/cloudevents/spec/blob/main/cloudevents/spec.md',
      },
      { title: 'CloudEvents', url: 'https://cloudevents.io/' },
      {
        title: 'CloudEvents HTTP protocol binding',
        url: 'https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/http-protocol-binding.md',
      },
      {
        title: 'OpenAPI Specification 3.1.0: webhooks and Callback Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#callback-object',
      },
    ],
    requires: ['openapi'],
    messages: {
      'not-cloudevents':
        '{{kind}} "{{name}}" ({{method}}) sends {{what}}, not a CloudEvent; use application/cloudevents+json or a schema with specversion, id, source and type.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    let events = 0
    const seen = new Set<string>()

    const checkOperation = (kind: string, name: string, method: string, op: Node<Obj>) => {
      if (seen.has(locKey(op.loc))) return
      seen.add(locKey(op.loc))
      events++
      // HTTP binary content mode: the attributes travel as ce- headers (HTTP binding §3.1.3).
      const params = api.child(op, 'parameters')
      const headers = new Set<string>()
      if (params && Array.isArray(params.value))
        params.value.forEach((_, i) => {
          const p = objChild(api, params, i)
          if (p?.value.in === 'header' && typeof p.value.name === 'string')
            headers.add(p.value.name.toLowerCase())
        })
      if (REQUIRED_ATTRIBUTES.every((a) => headers.has(`ce-${a}`))) return
      const body = objChild(api, op, 'requestBody')
      const media = body ? contentMedia(api, body) : []
      if (media.some((m) => CLOUDEVENTS_TYPES.has(mediaTypeEssence(m.name)))) return
      if (
        media.some((m) => m.schema && REQUIRED_ATTRIBUTES.every((a) => attributesOf(api, m.schema!).has(a)))
      )
        return
      ctx.report({
        messageId: 'not-cloudevents',
        node: body ? (api.child(body, 'content') ?? body) : op,
        key: !body,
        data: {
          kind,
          name,
          method: method.toUpperCase(),
          what: media.length ? media.map((m) => m.name).join(', ') : 'no body',
        },
      })
    }

    const checkPathItem = (kind: string, name: string, raw: Node<unknown>) => {
      const item = objChild(api, raw)
      if (!item) return
      for (const method of PATH_ITEM_METHODS) {
        const op = objChild(api, item, method)
        if (op) checkOperation(kind, name, method, op)
      }
    }

    return {
      Document(root) {
        // OpenAPI 3.1 webhooks (§4.8.1): path items the service calls, by name.
        const webhooks = objChild(api, root, 'webhooks')
        for (const name of Object.keys(webhooks?.value ?? {}))
          if (!name.startsWith('x-')) checkPathItem('Webhook', name, api.child(webhooks!, name)!)
      },
      Operation(op) {
        // Callbacks (OpenAPI 3.0 and 3.1): by name, then runtime expression, then path item.
        const callbacks = objChild(api, op.node, 'callbacks')
        for (const name of Object.keys(callbacks?.value ?? {})) {
          const callback = objChild(api, callbacks!, name)
          if (!callback) continue
          for (const expr of Object.keys(callback.value))
            if (!expr.startsWith('x-')) checkPathItem('Callback', name, api.child(callback, expr)!)
        }
      },
      DocumentExit() {
        if (!events) ctx.notApplicable('the description has no webhooks or callbacks')
      },
    }
  },
})
