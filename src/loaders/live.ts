import type { Loc } from '../core/types.js'
import type { SourceDocument } from './source.js'

/**
 * What was observed on the running service: HTTP exchanges and TLS handshakes. The prober (the
 * live checks) produces it; `--save-inputs` records it and `--from-inputs` replays it, so the live
 * rules are pure functions of it like every other rule. Secrets are redacted before it is built.
 */

/** Where the probed base URL is named: an API environment, or the FHIR endpoint, in the manifest. */
export interface ProbeTarget {
  /** The API's name in the manifest; FHIR_API for the manifest's FHIR base URL. */
  api: string
  /** production, sandbox, … */
  environment: string
  baseUrl: string
  loc: Loc
}

/**
 * Why a request was made:
 * - `base`: GET on the base URL;
 * - `health`: GET on the health endpoint the description names;
 * - `unknown-path`: GET on a path that cannot exist;
 * - `invalid-request`: a described operation called with a parameter value its schema forbids
 *   (or, with unsafe methods allowed, a malformed JSON body);
 * - `openapi`: GET where the description may be published, without credentials (tried in order
 *   until one answers 2xx);
 * - `cors-preflight`: OPTIONS on the published description, as a browser on another origin sends it;
 * - `operation`: a described GET operation, with the manifest's example parameter values;
 * - `auth-metadata`: GET on a security scheme's OpenID Connect discovery or OAuth metadata URL;
 * - `fhir-…`: at the manifest's FHIR base URL: the CapabilityStatement (`metadata`), the SMART
 *   configuration, a read of an id that cannot exist and a search without credentials
 *   (`fhir-unknown`, `fhir-unauthenticated`); for each resource type the ruleset requires, a search
 *   (`fhir-search`, also by each required parameter), its next page (`fhir-page`), a read of what it
 *   found (`fhir-read`) and the other read interactions required (`fhir-interaction`: vread,
 *   history); a bulk data export's kick-off, status polls and first file (`fhir-export…`).
 */
export type ProbePurpose =
  | 'base'
  | 'health'
  | 'unknown-path'
  | 'invalid-request'
  | 'openapi'
  | 'cors-preflight'
  | 'operation'
  | 'auth-metadata'
  | 'fhir-metadata'
  | 'fhir-smart'
  | 'fhir-search'
  | 'fhir-read'
  | 'fhir-unknown'
  | 'fhir-unauthenticated'
  | 'fhir-page'
  | 'fhir-interaction'
  | 'fhir-export'
  | 'fhir-export-status'
  | 'fhir-export-file'

/** The FHIR interactions the prober exercises (GET only). */
export type FhirInteraction = 'read' | 'vread' | 'history-instance' | 'history-type' | 'search-type'

/** What a request to a FHIR server exercises. */
export interface FhirRequestRef {
  resource: string
  interaction?: FhirInteraction
  /** A search by one parameter … */
  param?: string
  /** … with this value, taken from … */
  value?: string
  /** … this resource (`Patient/123`), which the matches should include. */
  expect?: string
}

/** The described operation a request exercises: its path template as written under `paths`. */
export interface OperationRef {
  method: string
  path: string
  operationId?: string
}

export interface HttpExchange {
  target: ProbeTarget
  purpose: ProbePurpose
  /** `operation` and `invalid-request`: the operation called. */
  operation?: OperationRef
  /** `invalid-request`: what was wrong with the request. */
  invalid?: { in: 'path' | 'query' | 'body'; name: string; value: string }
  /** `auth-metadata`: the security scheme whose metadata was asked for. */
  scheme?: { name: string; type: 'openIdConnect' | 'oauth2'; tokenUrl?: string }
  /** `fhir-…`: the resource type, interaction and search exercised. */
  fhir?: FhirRequestRef
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
    /** The body was longer than the cap and was cut off. */
    truncated?: boolean
  }
  /** Why there is no response: a timeout, a refused connection, a spent time budget … */
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

/** How the observations were made, for the report. */
export interface LiveSettings {
  /** Unsafe methods (POST with a malformed body) were allowed. */
  allowUnsafe: boolean
  /** Things the reader should know, e.g. credentials that could not be obtained. */
  notes: string[]
}

export class LiveArtifact {
  readonly documents: ReadonlyMap<string, SourceDocument> = new Map()
  /**
   * Takes the run's credentials out of a value (strings deep): set by the prober, never recorded.
   * What rules make of the observations passes through it before it reaches a report. (A replay
   * reads no credentials, so has none: a manifest's variables are read only to call its service.)
   */
  redact?: <T>(value: T) => T
  constructor(
    readonly exchanges: readonly HttpExchange[],
    readonly tls: readonly TlsObservation[],
    /** When the observations were made (ISO 8601); expiry is judged against it, not the clock. */
    readonly observedAt: string,
    readonly settings: LiveSettings = { allowUnsafe: false, notes: [] },
  ) {}

  /** The observations of one API's base URLs. */
  forApi(api: string): LiveArtifact {
    return new LiveArtifact(
      this.exchanges.filter((e) => e.target.api === api),
      this.tls.filter((t) => t.target.api === api),
      this.observedAt,
      this.settings,
    )
  }
}

/** The name the manifest's FHIR endpoint goes by among the probed targets (no API can be named so). */
export const FHIR_API = '(fhir)'
