import { someText } from '../../core/some-text.js'
import type { Credentials } from '../manifest.js'

/**
 * Secrets the run has seen (tokens, keys, client secrets). Everything the prober records, logs or
 * reports passes through `scrub`, so that a secret a server echoes back does not leak either: as
 * it was sent, in other letter case (HTTP lower-cases header names), and as servers commonly
 * re-encode it on the way back (JSON and YAML string escapes such as `\/` or `\u002B`,
 * percent-encoding in a URL, HTML character references), which a rule that parses the body, or a
 * reader, would decode again.
 */
export class Redactor {
  private readonly secrets = new Map<string, RegExp>()

  add(secret: string | undefined): void {
    // Very short values would redact ordinary text; no real credential is this short.
    if (secret && secret.length >= 4 && !this.secrets.has(secret))
      this.secrets.set(secret, encodedForms(secret))
  }

  /**
   * The text with every secret replaced by `[redacted]`. A text cut off at a cap (`truncated`) also
   * loses a secret's beginning at its very end, which the cut left behind.
   */
  scrub(text: string, o: { truncated?: boolean } = {}): string {
    let out = text
    for (const [s, pattern] of this.secrets) {
      out = out.replace(pattern, '[redacted]')
      if (!o.truncated) continue
      const tail = out.slice(-s.length).toLowerCase()
      for (let k = s.length - 1; k >= 4; k--)
        if (tail.endsWith(s.slice(0, k).toLowerCase())) {
          out = out.slice(0, -k) + '[redacted]'
          break
        }
    }
    return out
  }

  /** Headers with the sensitive ones redacted whole, and secrets scrubbed from the others' names and values. */
  scrubHeaders(h: Record<string, string>, sensitive: ReadonlySet<string>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(h))
      out[this.scrub(k)] = sensitive.has(k.toLowerCase()) ? '[redacted]' : this.scrub(v)
    return out
  }

  /** How many secrets there are to redact. */
  get size(): number {
    return this.secrets.size
  }

  /** Whether a string of a value (a key or a value, however deep) holds a secret, in any letter case. */
  finds(value: unknown): boolean {
    const wanted = [...this.secrets.keys()].map((s) => s.toLowerCase())
    return someText(value, (s) => wanted.some((w) => s.toLowerCase().includes(w)))
  }

  /** A value's strings, deep, scrubbed (objects and arrays are copied, other values kept). */
  scrubDeep<T>(value: T): T {
    if (!this.secrets.size) return value
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v)
      if (Array.isArray(v)) return v.map(walk)
      if (v !== null && typeof v === 'object') {
        const out: Record<string, unknown> = {}
        for (const [k, x] of Object.entries(v)) out[this.scrub(k)] = walk(x)
        return out
      }
      return v
    }
    return walk(value) as T
  }
}

const NAMED: Record<string, string> = {
  '&': 'amp',
  '"': 'quot',
  '<': 'lt',
  '>': 'gt',
  '/': 'sol',
  '+': 'plus',
  '=': 'equals',
}

/**
 * A pattern for the secret in any letter case, with any of its characters written as an escape:
 * JSON `\uXXXX` (and `\/`, `\"`, `\\`), YAML and JavaScript `\xXX`, URL `%XX`, HTML `&#NN;`,
 * `&#xXX;` and the named references of URL and base64 punctuation.
 */
function encodedForms(secret: string): RegExp {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
  const parts = [...secret].map((c) => {
    const code = c.codePointAt(0)!
    const alternatives = [c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')]
    if (code <= 0xffff) alternatives.push(`\\\\u${hex(code, 4)}`)
    if (code < 0x80) {
      alternatives.push(`\\\\x${hex(code, 2)}`, `%${hex(code, 2)}`)
      if ('/"\\'.includes(c)) alternatives.push(`\\\\\\${c}`)
    }
    alternatives.push(`&#0*${code};`, `&#x0*${hex(code, 1)};`)
    if (NAMED[c]) alternatives.push(`&${NAMED[c]};`)
    return `(?:${alternatives.join('|')})`
  })
  return new RegExp(parts.join(''), 'gi')
}

/** Credentials ready to send: the headers, or why there are none. */
export type ResolvedCredentials =
  | { headers: Record<string, string> }
  | { missing: string }
  | {
      clientCredentials: {
        tokenUrl: string
        clientId: string
        clientSecret: string
        scope?: string
      }
    }

/** The prefix of the variables any manifest may name for its credentials. */
export const CREDENTIAL_ENV_PREFIX = 'INTEROP_'

/**
 * The variables credentials name that may not be read: all but those starting with INTEROP_ and
 * those the run allows (`--credential-env`). The manifest is the vendor's; were any variable
 * allowed, it could name the runner's CI token and have it sent to its own server.
 */
export function unreadableVariables(c: Credentials, allowed: readonly string[]): string[] {
  const names =
    c.type === 'bearer'
      ? [c.tokenEnv]
      : c.type === 'apiKey'
        ? [c.valueEnv]
        : [c.clientIdEnv, c.clientSecretEnv]
  return names.filter((n) => !n.startsWith(CREDENTIAL_ENV_PREFIX) && !allowed.includes(n))
}

/**
 * Reads the environment variables a manifest's credentials name. A variable that is not set is
 * not an error: the run goes on without credentials and says so.
 */
export function readCredentials(
  c: Credentials,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): ResolvedCredentials {
  const need = (name: string): string | undefined => {
    const v = env[name]
    redactor.add(v)
    return v === undefined || v === '' ? undefined : v
  }
  switch (c.type) {
    case 'bearer': {
      const token = need(c.tokenEnv)
      return token ? { headers: { authorization: `Bearer ${token}` } } : { missing: c.tokenEnv }
    }
    case 'apiKey': {
      const key = need(c.valueEnv)
      return key ? { headers: { [c.header.toLowerCase()]: key } } : { missing: c.valueEnv }
    }
    case 'oauth2-client-credentials': {
      const clientId = need(c.clientIdEnv)
      const clientSecret = need(c.clientSecretEnv)
      if (!clientId) return { missing: c.clientIdEnv }
      if (!clientSecret) return { missing: c.clientSecretEnv }
      // As sent to the token endpoint, and as plain `id:secret` in base64 (the same unless either
      // needs form-encoding).
      redactor.add(basicAuth(clientId, clientSecret))
      redactor.add(Buffer.from(`${clientId}:${clientSecret}`).toString('base64'))
      return {
        clientCredentials: {
          tokenUrl: c.tokenUrl,
          clientId,
          clientSecret,
          ...(c.scope ? { scope: c.scope } : {}),
        },
      }
    }
  }
}

/** The header names that carry these credentials, redacted wherever requests are shown. */
export function credentialHeaders(c: Credentials): string[] {
  return c.type === 'apiKey' ? [c.header.toLowerCase()] : ['authorization']
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded, then sent as HTTP Basic credentials. */
export function basicAuth(id: string, secret: string): string {
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, '+')
  return Buffer.from(`${form(id)}:${form(secret)}`).toString('base64')
}
