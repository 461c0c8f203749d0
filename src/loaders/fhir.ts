import type { Loc } from '../core/types.js'
import type { ProfileSet } from '../fhir/profiles.js'
import type { SourceDocument } from './source.js'

/** A FHIR JSON resource or Bundle the vendor supplies, and where the manifest names it. */
export interface FhirResourceFile {
  doc: SourceDocument
  /** The manifest entry (`fhir.resources/N`) that named the file. */
  loc: Loc
}

/** The FHIR resources of the service, read with source positions, for the fhir ruleset. */
export class FhirArtifact {
  readonly documents: ReadonlyMap<string, SourceDocument>
  constructor(
    readonly files: readonly FhirResourceFile[],
    /** The FHIR version the manifest states (default 4.0.1). */
    readonly version: string,
    /** Profiles from the FHIR packages given (manifest fhir.packages, --fhir-package). */
    public profiles: ProfileSet = new Map(),
  ) {
    this.documents = new Map(files.map((f) => [f.doc.uri, f.doc]))
  }
}
