import type { Credentials } from '../manifest.js'

/**
 * Secrets the run has seen (tokens, keys, client secrets). Everything the prober records, logs or
 * reports passes through `scrub`, so that a secret a server echoes back does not leak either.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  add(secret: string | undefined): void {
    // Very short values would redact ordinary text; no real credential is this short.
    if (secret && secret.length >= 4) this.secrets.add(secret)
  }

  scrub(text: string): string {
    let out = text
    for (const s of this.secrets) out = out.split(s).join('[redacted]')
    return out
  }

  scrubHeaders(h: Record<string, string>, sensitive: ReadonlySet<string>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(h))
      out[k] = sensitive.has(k.toLowerCase()) ? '[redacted]' : this.scrub(v)
    return out
  }
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
      redactor.add(basicAuth(clientId, clientSecret))
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
