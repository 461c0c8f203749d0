import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { Obj, OperationInfo } from '../../loaders/openapi-walker.js'
import { objChild } from './util-style.js'
import { mediaTypeEssence } from './util-style.js'

/**
 * Last path segments of health endpoints: /health (draft-inadarei-api-health-check), the Kubernetes
 * conventions /healthz, /livez and /readyz, and the common /status, /ping and /healthcheck.
 */
const HEALTH_SEGMENTS = new Set([
  'health',
  'healthz',
  'healthcheck',
  'health-check',
  'status',
  'ping',
  'livez',
  'readyz',
])
/** MicroProfile Health and Spring Boot probes: /health/live, /health/ready, /health/liveness … */
const HEALTH_PROBES = new Set(['live', 'ready', 'started', 'liveness', 'readiness'])
/** REST API-profil VER.06: information about an API SHALL be available at the resource api-info under its root. */
const API_INFO_PATHS = new Set(['/api-info', '/apiinfo'])

const HEALTH_JSON = 'application/health+json'

function segments(path: string): string[] {
  return path.toLowerCase().replace(/\/+$/, '').split('/').filter(Boolean)
}

/**
 * A path a monitor can call as is: no path parameters (`/orders/{id}/status` is a resource's status,
 * not the service's), ending in a health segment.
 */
export function isHealthPath(path: string): boolean {
  if (path.includes('{')) return false
  const segs = segments(path)
  const last = segs.at(-1)
  if (!last) return false
  return (
    HEALTH_SEGMENTS.has(last) ||
    (HEALTH_PROBES.has(last) && ['health', 'healthz'].includes(segs.at(-2) ?? ''))
  )
}

interface JsonMedia {
  node: Node<unknown>
  key: boolean
}

export default defineRule({
  meta: {
    id: 'health-endpoint',
    title: 'A health endpoint or api-info resource is described',
    failureTitle: 'No health endpoint or api-info resource is described',
    description:
      'A municipality monitors the services its residents depend on and has to tell a vendor’s outage from its own; that needs an endpoint a monitor can call without side effects. ' +
      'Describe a GET health endpoint (such as /health, answering application/health+json), or the api-info resource the Swedish REST API-profil requires.',
    fix: 'Add GET /health answering application/health+json (draft-inadarei-api-health-check), or GET /api-info.',
    sources: [
      {
        title: 'IETF draft-inadarei-api-health-check: Health Check Response Format for HTTP APIs',
        url: 'https://datatracker.ietf.org/doc/draft-inadarei-api-health-check/',
      },
      {
        title: 'REST API-profil (DIGG): Versionshantering, VER.06 (api-info)',
        url: 'https://dev.dataportal.se/rest-api-profil/versionhantering',
      },
    ],
    requires: ['openapi'],
    messages: {
      missing:
        'No GET health endpoint (/health, /healthz, /status, /ping …) or /api-info resource is described.',
      'not-health-json':
        'The health endpoint {{path}} answers {{type}}; use application/health+json (draft-inadarei-api-health-check) so monitors can read its status.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const rootProduces = (api.valueAt(api.rootLoc) as Obj).produces
    let found = false
    let healthJson = false
    const plainJson: { op: OperationInfo; type: string; media: JsonMedia }[] = []

    /** The response media types of a health check's answers: 2xx, and 503 when it is unhealthy. */
    const media = (op: OperationInfo): { type: string; media: JsonMedia }[] => {
      if (api.kind === 'swagger') {
        const own = Array.isArray(op.node.value.produces)
        const list = own ? api.child(op.node, 'produces') : api.child(api.node(api.rootLoc), 'produces')
        const values = own
          ? (op.node.value.produces as unknown[])
          : Array.isArray(rootProduces)
            ? rootProduces
            : []
        return values.flatMap((t, i) =>
          typeof t === 'string' && list
            ? [{ type: t, media: { node: api.child(list, i)!, key: false } }]
            : [],
        )
      }
      return op.responses
        .filter((r) => /^2(\d\d|XX)$/i.test(r.status) || r.status === '503')
        .flatMap((r) => {
          const content = objChild(api, r.node, 'content')
          return Object.keys(content?.value ?? {}).map((type) => ({
            type,
            media: { node: api.child(content!, type)!, key: true },
          }))
        })
    }

    return {
      Operation(op) {
        if (op.method !== 'get') return
        if (API_INFO_PATHS.has(op.path.toLowerCase().replace(/\/+$/, ''))) {
          found = true
          return
        }
        if (!isHealthPath(op.path)) return
        found = true
        for (const m of media(op)) {
          const type = mediaTypeEssence(m.type)
          if (type === HEALTH_JSON) healthJson = true
          else if (type === 'application/json') plainJson.push({ op, ...m })
        }
      },
      DocumentExit(root) {
        if (!found) {
          const paths = api.child(root, 'paths')
          ctx.report({ messageId: 'missing', node: paths ?? root, key: !!paths })
          return
        }
        // application/health+json is preferred; once one health endpoint offers it, others (a plain
        // /status resource, say) may answer what they like.
        if (healthJson) return
        for (const { op, type, media } of plainJson)
          ctx.report({
            messageId: 'not-health-json',
            node: media.node,
            key: media.key,
            data: { path: op.path, type },
          })
      },
    }
  },
})
