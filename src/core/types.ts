import type { LiveArtifact } from '../loaders/live.js'
import type { FhirArtifact } from '../loaders/fhir.js'
import type { DeclarationsArtifact, ManifestArtifact, SchemasArtifact } from '../loaders/manifest.js'
import type { OpenApiArtifact } from '../loaders/openapi.js'

export type Severity = 'error' | 'warn' | 'info'
export type SeveritySetting = Severity | 'off'
export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info']

/** How a result was established: from documents, observed on the running service, or the vendor's word. */
export type Establishment = 'static' | 'live' | 'declared'

export type RuleStatus = 'pass' | 'fail' | 'not-checked' | 'not-applicable' | 'error'

/**
 * The inputs rules can require. A rule that requires one that is absent is not-checked.
 * Later loaders add kinds here.
 */
export interface Artifacts {
  /** One OpenAPI description; with several APIs, rules that require it run once per API. */
  openapi?: OpenApiArtifact
  /** The service manifest (absent when a plain OpenAPI description was checked). */
  manifest?: ManifestArtifact
  /** The manifest's `declarations`: what the vendor states. */
  declarations?: DeclarationsArtifact
  /** JSON Schemas of the data formats, with their sample payloads. */
  schemas?: SchemasArtifact
  /** Observations of the running service (`--live`, or replayed with `--from-inputs`). */
  live?: LiveArtifact
  /** FHIR resources and Bundles the manifest names (`fhir.resources`). */
  fhir?: FhirArtifact
}
export type ArtifactKind = keyof Artifacts

/** A place in a source document: the document's URI and a JSON pointer into it. */
export interface Loc {
  uri: string
  pointer: string
}

/** A value of a document together with where it lives. */
export interface Node<T = unknown> {
  value: T
  loc: Loc
}

/** A finding's location as written to reports: a display path plus the position. */
export interface Location {
  source: string
  pointer: string
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
}

export interface Evidence {
  /** A short excerpt of the source around the finding. */
  excerpt?: string
  /** The HTTP exchange or TLS handshake observed, with secrets redacted. */
  http?: {
    method?: string
    url: string
    status?: number
    headers?: Record<string, string>
    bodyExcerpt?: string
    tls?: {
      protocol?: string
      legacyAccepted?: string[]
      certificateValidTo?: string
      subjectAltNames?: string[]
    }
  }
}

export interface Finding {
  ruleId: string
  rulesetId: string
  severity: Severity
  messageId: string
  message: string
  /** One sentence on how to fix it. */
  fix?: string
  location: Location
  evidence?: Evidence
  establishedBy: Establishment
  docsUrl?: string
  /** With --baseline: whether the baseline has this finding already. */
  baseline?: 'new' | 'known'
}

export interface Source {
  title: string
  url: string
}
