import { isIPv4, isIPv6 } from 'node:net'
import { defineRule } from '../../core/define-rule.js'
import type { Loc, Node } from '../../core/types.js'
import { environmentsOf, openApiServers, swaggerServer, urlParts } from './util-cloud.js'

interface Options {
  allowPlaceholderHosts: boolean
}

/**
 * IPv4 special-purpose ranges (IANA IPv4 Special-Purpose Address Registry, RFC 6890) that never
 * name a service on the public internet.
 */
const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, '"this network", RFC 791'],
  ['10.0.0.0', 8, 'private, RFC 1918'],
  ['100.64.0.0', 10, 'shared carrier-grade NAT space, RFC 6598'],
  ['127.0.0.0', 8, 'loopback, RFC 1122'],
  ['169.254.0.0', 16, 'link-local, RFC 3927'],
  ['172.16.0.0', 12, 'private, RFC 1918'],
  ['192.0.0.0', 24, 'IETF protocol assignments, RFC 6890'],
  ['192.0.2.0', 24, 'documentation TEST-NET-1, RFC 5737'],
  ['192.168.0.0', 16, 'private, RFC 1918'],
  ['198.18.0.0', 15, 'benchmarking, RFC 2544'],
  ['198.51.100.0', 24, 'documentation TEST-NET-2, RFC 5737'],
  ['203.0.113.0', 24, 'documentation TEST-NET-3, RFC 5737'],
  ['224.0.0.0', 4, 'multicast, RFC 5771'],
  ['240.0.0.0', 4, 'reserved, including broadcast, RFC 1112'],
]

/** IPv6 special-purpose ranges (IANA IPv6 Special-Purpose Address Registry). */
const V6_RANGES: [string, number, string][] = [
  ['::', 128, 'unspecified, RFC 4291'],
  ['::1', 128, 'loopback, RFC 4291'],
  ['100::', 64, 'discard-only, RFC 6666'],
  ['2001:db8::', 32, 'documentation, RFC 3849'],
  ['fc00::', 7, 'unique local, RFC 4193'],
  ['fe80::', 10, 'link-local, RFC 4291'],
  ['ff00::', 8, 'multicast, RFC 4291'],
]

/**
 * Names that only resolve inside a machine or an organisation's own network: `localhost` (RFC 6761
 * §6.3), `.local` (mDNS, RFC 6762), `.home.arpa` (RFC 8375), `.internal` (reserved for private use
 * by ICANN in 2024), and the common but unofficial `.lan`, `.corp`, `.intranet` and `.localdomain`.
 */
const LOCAL_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'lan',
  'corp',
  'intranet',
  'localdomain',
  'home.arpa',
]

/** RFC 2606: example.com/.net/.org and the `.example`, `.test` and `.invalid` top-level domains. */
const PLACEHOLDER_DOMAINS = ['example.com', 'example.net', 'example.org', 'example', 'test', 'invalid']

const within = (host: string, domain: string) => host === domain || host.endsWith('.' + domain)

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail or a zone id allowed). */
function v6Groups(ip: string): number[] | undefined {
  let s = ip.replace(/%.*$/, '')
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (tail) {
    const n = v4ToInt(tail[1]!)
    s = s.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const fill = 8 - head.length - rest.length
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest]
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.map((g) => parseInt(g, 16))
}

function v6InPrefix(groups: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff
    if ((groups[i]! & mask) !== (prefix[i]! & mask)) return false
  }
  return true
}

/** The special-purpose range an IP literal is in, undefined for a public address. */
export function reservedRange(ip: string): string | undefined {
  if (isIPv4(ip)) {
    const n = v4ToInt(ip)
    for (const [base, bits, label] of V4_RANGES) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0
      if ((n & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0) return `${base}/${bits} (${label})`
    }
    return undefined
  }
  const groups = v6Groups(ip)
  if (!groups) return undefined
  // An IPv4-mapped address (::ffff:0:0/96) is judged by the IPv4 address it carries.
  if (v6InPrefix(groups, v6Groups('::ffff:0:0')!, 96)) {
    const v4 = `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`
    return reservedRange(v4)
  }
  for (const [base, bits, label] of V6_RANGES)
    if (v6InPrefix(groups, v6Groups(base)!, bits)) return `${base}/${bits} (${label})`
  return undefined
}

export default defineRule<Options>({
  meta: {
    id: 'public-hostnames',
    title: 'Servers are named by public host names',
    failureTitle: 'Servers are named by IP addresses, local names or placeholders',
    description:
      'A municipality can only connect to a cloud service at a stable public host name with a certificate issued for it; an IP address changes with the hosting and cannot carry a normal certificate, and localhost, .local or private addresses only work inside the vendor’s own network. ' +
      'Give every server (and every environment in the manifest) the public DNS name the service is reached at.',
    fix: 'Replace the IP address, local or placeholder host by the public DNS name of the service.',
    sources: [
      {
        title: 'RFC 6761 Special-Use Domain Names',
        url: 'https://www.rfc-editor.org/rfc/rfc6761',
      },
      { title: 'RFC 2606 Reserved Top Level DNS Names', url: 'https://www.rfc-editor.org/rfc/rfc2606' },
      {
        title: 'RFC 1918 Address Allocation for Private Internets',
        url: 'https://www.rfc-editor.org/rfc/rfc1918',
      },
      {
        title: 'RFC 6890 Special-Purpose IP Address Registries',
        url: 'https://www.rfc-editor.org/rfc/rfc6890',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Server Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#server-object',
      },
    ],
    requires: ['openapi'],
    optional: ['manifest'],
    messages: {
      'ip-literal': '{{where}} names the server by the IP address {{host}} instead of a host name.',
      'private-address':
        '{{where}} uses the address {{host}}, which is in {{range}} and not reachable from the internet.',
      'local-name': '{{where}} uses the host "{{host}}", which only resolves {{reason}}.',
      'placeholder-host':
        '{{where}} uses the host "{{host}}", a name reserved for examples (RFC 2606), not the real one.',
    },
    options: {
      type: 'object',
      properties: {
        allowPlaceholderHosts: {
          type: 'boolean',
          // This project's own fixtures and many tutorials use *.example hosts; a ruleset judging
          // descriptions about to be deployed can turn this off.
          default: true,
          description:
            'Accept example.com/.org/.net and the .example, .test and .invalid domains (RFC 2606).',
        },
      },
      additionalProperties: false,
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const allowPlaceholders = ctx.options.allowPlaceholderHosts ?? true
    let judged = 0

    const judge = (
      where: string,
      hostOrUrl: string,
      at: { node?: Node<unknown>; loc?: Loc },
      isHost = false,
    ) => {
      const parts = isHost ? urlParts(`//${hostOrUrl}`) : urlParts(hostOrUrl)
      // Relative URLs are served from wherever the description is; an unexpanded variable is not a name.
      if (!parts || !parts.host || /[{}]/.test(parts.host)) return
      judged++
      const host = parts.host
      const report = (messageId: string, data: Record<string, unknown>) =>
        ctx.report({ messageId, ...at, data: { where, host, ...data } })
      // (An IPv6 address has a colon; asked first, since net's test for one is a regular expression
      // that takes milliseconds to compile the first time.)
      if (isIPv4(host) || (host.includes(':') && isIPv6(host))) {
        const range = reservedRange(host)
        if (range) report('private-address', { range })
        else report('ip-literal', {})
        return
      }
      const local = LOCAL_SUFFIXES.find((s) => within(host, s))
      if (local)
        return report('local-name', {
          reason: local === 'localhost' ? 'on the machine itself' : `inside a local network (.${local})`,
        })
      // A single-label name such as `apiserver` is resolved through the local search domain only.
      if (!host.includes('.'))
        return report('local-name', { reason: 'inside a local network (a name without a domain)' })
      if (!allowPlaceholders && PLACEHOLDER_DOMAINS.some((d) => within(host, d)))
        report('placeholder-host', {})
    }

    return {
      Document(root) {
        if (api.kind === 'swagger') {
          const { host } = swaggerServer(api, root)
          if (host) judge(`host "${host.value}"`, host.value, { node: host }, true)
        } else
          for (const server of openApiServers(api, root))
            judge(`Server URL "${server.url}"`, server.url, { node: server.node })
        for (const env of environmentsOf(ctx.artifacts.manifest, api))
          judge(`The manifest's ${env.kind} environment "${env.url}"`, env.url, { loc: env.loc })
        if (!judged)
          ctx.notApplicable(
            'The description names no server host (relative URLs only), nor does the manifest.',
          )
      },
    }
  },
})
