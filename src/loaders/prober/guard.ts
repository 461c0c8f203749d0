import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Which hosts the live checks may contact. A municipal CI runner sits inside internal networks, so
 * a vendor's manifest must not be able to point it at them: only hosts named in the manifest (or
 * allowed on the command line) are called, and never addresses in private, loopback, link-local or
 * other special ranges unless the user allows private addresses (tests on 127.0.0.1 do).
 */
export interface HostPolicy {
  allowedHosts: ReadonlySet<string>
  allowPrivate: boolean
}

// RFC 6890 special-purpose ranges and their IPv6 counterparts: none is a public service address.
const special = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  special.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  special.addSubnet(net, prefix, 'ipv6')

export function isSpecialAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  if (family === 6 && /^::ffff:/i.test(address)) {
    // An IPv4-mapped address is judged as the IPv4 address it carries.
    const v4 = address.slice(7)
    if (isIP(v4) === 4) return special.check(v4, 'ipv4')
  }
  return special.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

export class RefusedHostError extends Error {
  constructor(
    readonly host: string,
    reason: string,
  ) {
    super(`refused to contact ${host}: ${reason}`)
    this.name = 'RefusedHostError'
  }
}

/**
 * Throws when the policy does not allow calling this host at all. IP literals are judged here,
 * because sockets connect to them without a lookup; names are judged again after resolution.
 */
export function assertHostAllowed(policy: HostPolicy, host: string): void {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (!policy.allowedHosts.has(bare))
    throw new RefusedHostError(host, 'it is not named in the manifest nor allowed with --allow-host')
  if (!policy.allowPrivate && isSpecialAddress(bare))
    throw new RefusedHostError(host, 'it is a private or special address (allow with --allow-private)')
}

/**
 * A DNS lookup for sockets that refuses special addresses after resolution, so that neither an IP
 * literal nor a name that resolves (or is re-bound) to an internal address gets a connection.
 */
export function guardedLookup(policy: HostPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      const list = addresses as LookupAddress[]
      if (!policy.allowPrivate) {
        const bad = list.find((a) => isSpecialAddress(a.address))
        if (bad) {
          const e = new RefusedHostError(
            hostname,
            `it resolves to ${bad.address}, a private or special address (allow with --allow-private)`,
          ) as Error & { code?: string }
          e.code = 'EREFUSEDHOST'
          return callback(e, [])
        }
      }
      if (options.all) return callback(null, list)
      const first = list[0]
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), [])
      callback(null, first.address, first.family)
    })
  }
}
