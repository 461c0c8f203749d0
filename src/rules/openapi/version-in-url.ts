import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { PATH_ITEM_METHODS, type Obj } from '../../loaders/openapi-walker.js'

interface Options {
  style: 'uri' | 'none'
  matchInfoVersion: boolean
}

// A major-version segment: `v1`, also with a stability label as in `v2beta1`.
const MAJOR_SEGMENT = /^v(\d+)([a-z][a-z0-9]*)?$/i
// A segment with more than the major version: `v1.2`, `v1.2.3`, `1.0`.
const FULL_SEGMENT = /^v?(\d+)(?:\.\d+)+$/i

interface VersionSegment {
  segment: string
  major: string
  full: boolean
  /** A stability label follows the major version, as in `v1beta2`. */
  label: boolean
}

/** The path segments of a server URL (absolute, or relative like `/api/v1`), without query or fragment. */
function pathSegments(url: string): string[] {
  let rest = url.replace(/[?#].*$/, '')
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(rest)
  if (abs) rest = rest.slice(abs[0].length)
  return rest.split('/').filter(Boolean)
}

function findVersion(url: string): VersionSegment | undefined {
  for (const segment of pathSegments(url)) {
    const major = MAJOR_SEGMENT.exec(segment)
    if (major) return { segment, major: String(Number(major[1])), full: false, label: major[2] !== undefined }
    const full = FULL_SEGMENT.exec(segment)
    if (full) return { segment, major: String(Number(full[1])), full: true, label: false }
  }
  return undefined
}

/** Replaces `{name}` server variables by their defaults (OAS 3 Server Object). */
function expandVariables(url: string, server: unknown): string {
  const vars = server && typeof server === 'object' ? (server as Obj).variables : undefined
  if (!vars || typeof vars !== 'object') return url
  return url.replace(/\{([^}]+)\}/g, (m, name: string) => {
    const v = (vars as Obj)[name]
    const def = v && typeof v === 'object' ? (v as Obj).default : undefined
    return typeof def === 'string' ? def : m
  })
}

export default defineRule<Options>({
  meta: {
    id: 'version-in-url',
    title: 'The major version is in the server URL',
    failureTitle: 'The major version is not in the server URL as the guidelines ask',
    description:
      'A breaking change must not break the clients of the previous version, so both versions have to be reachable side by side; the NL API Design Rules do this with the major version in the URI (e.g. /v1) and only the major version there. ' +
      'Put `/v<major>` in every server URL, or, where the guidelines version APIs in a header instead, keep versions out of the URL.',
    fix: 'End the server URL (or the Swagger 2 basePath) with the major version segment, e.g. https://api.example.org/v1.',
    sources: [
      {
        title: 'NL API Design Rules: /core/uri-version',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/uri-version',
      },
      {
        title: 'REST API-profil (DIGG): Versionshantering',
        url: 'https://dev.dataportal.se/rest-api-profil/versionhantering',
      },
      { title: 'Semantic Versioning 2.0.0', url: 'https://semver.org/spec/v2.0.0.html' },
    ],
    requires: ['openapi'],
    messages: {
      missing: '{{where}} has no major version segment such as /v1.',
      'full-version':
        '{{where}} has the version segment "{{segment}}"; only the major version (/v{{major}}) belongs in the URI.',
      mismatch:
        '{{where}} is for major version {{major}}, but info.version {{version}} is major version {{infoMajor}}.',
      forbidden:
        '{{where}} has the version segment "{{segment}}"; this ruleset keeps versions out of the URL.',
    },
    options: {
      type: 'object',
      properties: {
        style: {
          enum: ['uri', 'none'],
          default: 'uri',
          description: "'uri': the server URL holds /v<major>; 'none': the server URL holds no version.",
        },
        matchInfoVersion: {
          type: 'boolean',
          default: true,
          description: "With style 'uri', the URL's major version must equal info.version's major version.",
        },
      },
      additionalProperties: false,
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const style = ctx.options.style ?? 'uri'
    const matchInfo = ctx.options.matchInfoVersion ?? true
    const infoVersion = api.child(api.node(api.rootLoc), 'info', 'version')?.value
    const infoMajor = typeof infoVersion === 'string' ? /^v?(\d+)(?:\.|$)/i.exec(infoVersion)?.[1] : undefined
    /** Server URLs; `scope` is the path whose path item or operation declares them, none for the root. */
    const servers: { url: string; node: Node<unknown>; scope?: string }[] = []
    const paths = new Map<string, { node: Node<unknown>; version?: VersionSegment; ownServers: boolean }>()

    /** A version segment that does not belong (style none) or is more than the major version. */
    const checkSegment = (where: string, found: VersionSegment, node: Node<unknown>, key = false) => {
      if (style === 'none')
        ctx.report({ messageId: 'forbidden', node, key, data: { where, segment: found.segment } })
      else if (found.full) ctx.report({ messageId: 'full-version', node, key, data: { where, ...found } })
      else if (
        matchInfo &&
        infoMajor !== undefined &&
        String(Number(infoMajor)) !== found.major &&
        // A pre-release such as /v1beta2 may still carry a 0.y.z version (initial development, SemVer §4).
        !(found.label && Number(infoMajor) === 0)
      )
        ctx.report({
          messageId: 'mismatch',
          node,
          key,
          data: { where, major: found.major, version: infoVersion, infoMajor: String(Number(infoMajor)) },
        })
    }

    /** Path-item and operation `servers` override the root ones (OAS 3). */
    const collectServers = (owner: Node<Obj>, scope: string): boolean => {
      const list = api.child(owner, 'servers')
      if (!list || !Array.isArray(list.value) || list.value.length === 0) return false
      list.value.forEach((_, i) => {
        const server = api.child(list, i)
        const url = server && api.child(server, 'url')
        if (url && typeof url.value === 'string')
          servers.push({ url: expandVariables(url.value, api.resolve(server)?.value), node: url, scope })
      })
      return true
    }

    return {
      Server(server) {
        const holder = server.node.loc.pointer.replace(/\/url$/, '')
        const serverObj =
          api.kind === 'openapi' ? api.valueAt({ uri: server.node.loc.uri, pointer: holder }) : undefined
        servers.push({ url: expandVariables(server.url, serverObj), node: server.node })
      },
      PathItem(path, node) {
        if (paths.has(path)) return
        let ownServers = false
        if (api.kind === 'openapi') {
          ownServers = collectServers(node, path)
          const ops = PATH_ITEM_METHODS.map((m) => api.child<Obj>(node, m)).filter((o) => !!o)
          // Servers of every operation also replace the root ones for this path.
          const opServers = ops.map((o) => collectServers(api.resolve<Obj>(o) ?? o, path))
          ownServers ||= ops.length > 0 && opServers.every(Boolean)
        }
        const key = api.child(api.node(api.rootLoc), 'paths', path)
        paths.set(path, { node: key ?? node, version: findVersion(path), ownServers })
      },
      DocumentExit() {
        if (servers.length === 0) {
          ctx.notApplicable(
            api.kind === 'swagger'
              ? 'the description has no host or basePath'
              : 'the description lists no servers',
          )
          return
        }
        // Some descriptions keep the version in every path (`/v2/droplets`) rather than in the server
        // URL; the full URL then still carries it.
        const rootPaths = [...paths].filter(([, p]) => !p.ownServers).map(([path]) => path)
        const relyOnPaths = new Set<string>()
        for (const { url, node, scope } of servers) {
          const where = `Server URL "${url}"`
          const found = findVersion(url)
          if (found) {
            checkSegment(where, found, node)
            continue
          }
          if (style === 'none') continue
          const served = scope === undefined ? rootPaths : [scope]
          if (served.length > 0 && served.every((p) => paths.get(p)?.version))
            served.forEach((p) => relyOnPaths.add(p))
          else ctx.report({ messageId: 'missing', node, data: { where } })
        }
        for (const [path, p] of paths)
          if (p.version && (style === 'none' || relyOnPaths.has(path)))
            checkSegment(`Path "${path}"`, p.version, p.node, true)
      },
    }
  },
})
