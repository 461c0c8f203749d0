import type { Loc } from '../core/types.js'
import type { SourceDocument } from './source.js'

/**
 * What was observed on the running service: HTTP exchanges and TLS handshakes. The prober (the
 * live checks) produces it; `--save-inputs` records it and `--from-inputs` replays it, so the live
 * rules are pure functions of it like every other rule. Secrets are redacted before it is built.
 */

/** Where the probed base URL is named: an API environment in the manifest. */
export interface ProbeTarget {
  /** The API's name in the manifest. */
  api: string
  /** production, sandbox, … */
  environment: string
  baseUrl: string
  loc: Loc
}

export interface HttpExchange {
  target: ProbeTarget
  /** Why the call was made, e.g. `health`, `openapi`, `unknown-path`. */
  purpose: string
  request: {
    method: string
    url: string
    /** Request headers; credentials appear as `[redacted]`. */
    headers: Record<string, string>
    /** True when the request carried credentials. */
    authenticated: boolean
  }
  response?: {
    status: number
    /** Response header names in lower case. */
    headers: Record<string, string>
    /** The start of the body, for evidence. */
    bodyExcerpt?: string
    /** The body as read, up to the prober's cap, for rules that judge its content. */
    body?: string
  }
  /** Why there is no response: a timeout, a refused connection … */
  error?: string
}

export interface TlsObservation {
  target: ProbeTarget
  host: string
  port: number
  /** The protocol the handshake settled on, e.g. `TLSv1.3`. */
  protocol?: string
  /** Protocols older than TLS 1.2 that the server accepted when offered alone. */
  legacyAccepted: string[]
  certificate?: {
    subjectAltNames: string[]
    validFrom: string
    validTo: string
    issuer?: string
    /** Whether the chain verified against the trusted roots. */
    trusted: boolean
    trustError?: string
  }
  /** Why no handshake could be made. */
  error?: string
}

export class LiveArtifact {
  readonly documents: ReadonlyMap<string, SourceDocument> = new Map()
  constructor(
    readonly exchanges: readonly HttpExchange[],
    readonly tls: readonly TlsObservation[],
    /** When the observations were made (ISO 8601); expiry is judged against it, not the clock. */
    readonly observedAt: string,
  ) {}
}
