import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ErrorObject } from 'ajv'
import { InputError } from '../core/errors.js'
import { schemaProblemLine, shippedSchema } from '../core/schemas.js'
import { FhirArtifact, type FhirResourceFile } from './fhir.js'
import type { Loc } from '../core/types.js'
import { createDiskReader, RefusedError, toFileUri, type DocumentReader } from './reader.js'
import { joinPointer, parseRead, positionOf, type SourceDocument } from './source.js'

/** File names `interop check DIR` looks for. */
export const MANIFEST_NAMES = ['interop.yaml', 'interop.yml', 'interop.json']

export interface Contact {
  name?: string
  email?: string
  url?: string
}

export interface Declarations {
  hosting?: {
    provider?: string
    processingCountries?: string[]
    storageCountries?: string[]
    subProcessorsOutsideEea?: { name: string; country: string; purpose?: string; safeguards?: string }[]
  }
  dataExport?: {
    formats?: string[]
    method?: string
    leadTime?: string
    cost?: 'included' | { amount: number; currency: string; per?: string }
  }
  exitPlan?: string
  sla?: { availability?: number; supportHours?: string; url?: string }
  identity?: { protocols?: string[]; federations?: string[] }
  sourceLicense?: string
  conformance?: { standard: string; version?: string; url?: string }[]
}

export type EnvironmentKind = 'production' | 'test' | 'sandbox' | 'staging' | 'acceptance'

/** How the live checks authenticate; each names environment variables, never a secret. */
export type Credentials =
  | { type: 'bearer'; tokenEnv: string }
  | { type: 'apiKey'; header: string; valueEnv: string }
  | {
      type: 'oauth2-client-credentials'
      tokenUrl: string
      clientIdEnv: string
      clientSecretEnv: string
      scope?: string
    }

export interface Manifest {
  service: {
    name: string
    vendor: string
    version?: string
    description?: string
    contact?: Contact
    website?: string
    changelog?: string
  }
  apis?: {
    name?: string
    openapi: string
    environments?: Partial<Record<EnvironmentKind, string>>
    examples?: Record<string, Record<string, unknown>>
    openapiUrl?: string
    credentials?: Partial<Record<EnvironmentKind, Credentials>>
  }[]
  dataFormats?: {
    schemas?: { name?: string; schema: string; samples?: string[] }[]
    formats?: string[]
  }
  fhir?: {
    baseUrl?: string
    version?: string
    resources?: string[]
    packages?: string[]
    credentials?: Credentials
  }
  declarations?: Declarations
}

export interface ApiEntry {
  /** The name given, or the description's file name. */
  name: string
  /** Resolved URI of the OpenAPI description. */
  uri: string
  environments: NonNullable<NonNullable<Manifest['apis']>[number]['environments']>
  /** Example parameter values by operationId, for the live checks. */
  examples: Record<string, Record<string, unknown>>
  /** Where the service publishes the description, when the manifest says. */
  openapiUrl?: string
  credentials: Partial<Record<EnvironmentKind, Credentials>>
  /** Where the entry is written in the manifest. */
  loc: Loc
}

/** A JSON Schema and the sample payloads that must validate against it. */
export interface SchemaSamples {
  name: string
  schema: SourceDocument
  samples: SourceDocument[]
  loc: Loc
}

/** The service manifest, parsed with positions and validated against schemas/manifest.schema.json. */
export class ManifestArtifact {
  readonly documents: ReadonlyMap<string, SourceDocument>

  constructor(
    readonly doc: SourceDocument,
    readonly value: Manifest,
    readonly apis: ApiEntry[],
  ) {
    this.documents = new Map([[doc.uri, doc]])
  }

  get uri(): string {
    return this.doc.uri
  }

  /** A location in the manifest, by JSON pointer. */
  loc(pointer: string): Loc {
    return { uri: this.doc.uri, pointer }
  }
}

/** What the vendor declares, from the manifest's `declarations`. */
export class DeclarationsArtifact {
  readonly documents: ReadonlyMap<string, SourceDocument>
  constructor(
    readonly manifest: ManifestArtifact,
    readonly value: Declarations,
  ) {
    this.documents = manifest.documents
  }

  /** A location under `/declarations`, e.g. loc('hosting', 'storageCountries'). */
  loc(...segments: (string | number)[]): Loc {
    return this.manifest.loc(joinPointer('/declarations', ...segments))
  }
}

/** JSON Schemas of the service's data formats with their sample payloads. */
export class SchemasArtifact {
  readonly documents: ReadonlyMap<string, SourceDocument>
  constructor(readonly entries: SchemaSamples[]) {
    const docs = new Map<string, SourceDocument>()
    for (const e of entries) for (const d of [e.schema, ...e.samples]) docs.set(d.uri, d)
    this.documents = docs
  }
}

/** True when a document looks like a service manifest rather than an OpenAPI description. */
export function looksLikeManifest(file: string, text: string): boolean {
  if (MANIFEST_NAMES.includes(path.basename(file))) return true
  const head = text.slice(0, 65536)
  if (/^\s*["']?(openapi|swagger)["']?\s*:/m.test(head)) return false
  return /^\s*["']?service["']?\s*:/m.test(head)
}

export interface LoadedManifest {
  manifest: ManifestArtifact
  declarations?: DeclarationsArtifact
  schemas?: SchemasArtifact
  fhir?: FhirArtifact
}

/**
 * Loads a manifest: validates it (every problem at once, each with line and property path), checks
 * that the files it names exist under its folder, and reads the data-format schemas and samples.
 * OpenAPI descriptions are loaded by the caller from `manifest.apis`.
 */
export async function loadManifest(file: string, reader?: DocumentReader): Promise<LoadedManifest> {
  const abs = path.resolve(file)
  const rootDir = path.dirname(abs)
  const read = reader ?? createDiskReader({ rootDir, allowedHosts: [] })
  const uri = toFileUri(abs)
  const doc = parseRead(read, uri, await read.read(uri))
  const value = checkManifest(doc)

  const problems: string[] = []
  const at = (pointer: string) => {
    const pos = positionOf(doc, pointer)
    return `${doc.displayPath}${pos ? `:${pos.line}:${pos.column}` : ''}`
  }
  const readNamed = async (rel: string, pointer: string): Promise<SourceDocument | undefined> => {
    const target = new URL(rel, uri).href
    try {
      return parseRead(read, target, await read.read(target))
    } catch (e) {
      if (e instanceof RefusedError)
        problems.push(
          `${at(pointer)}: '${rel}' is outside the manifest's folder; only files in it or below it are read.`,
        )
      else if (e instanceof InputError)
        problems.push(
          `${at(pointer)}: '${rel}' ${e.message === 'File not found.' ? 'does not exist' : `cannot be read: ${e.describe().replace(/\.$/, '')}`}.`,
        )
      else throw e
      return undefined
    }
  }

  const apis: ApiEntry[] = []
  for (const [i, api] of (value.apis ?? []).entries()) {
    const pointer = `/apis/${i}/openapi`
    let target: string
    try {
      target = new URL(api.openapi, uri).href
    } catch {
      problems.push(`${at(pointer)}: '${api.openapi}' is neither a relative path nor a URL.`)
      continue
    }
    if (target.startsWith('file:')) {
      // Only existence here; the OpenAPI loader reads and reports the rest.
      try {
        await read.read(target)
      } catch (e) {
        if (e instanceof RefusedError)
          problems.push(
            `${at(pointer)}: '${api.openapi}' is outside the manifest's folder; only files in it or below it are read.`,
          )
        else if (e instanceof InputError)
          // Too large or not UTF-8 is no reason to say it is missing.
          problems.push(
            `${at(pointer)}: '${api.openapi}' ${e.message === 'File not found.' ? 'does not exist' : `cannot be read: ${e.describe().replace(/\.$/, '')}`}.`,
          )
        else throw e
        continue
      }
    }
    apis.push({
      name: api.name ?? path.basename(new URL(target).pathname),
      uri: target,
      environments: api.environments ?? {},
      examples: api.examples ?? {},
      ...(api.openapiUrl ? { openapiUrl: api.openapiUrl } : {}),
      credentials: api.credentials ?? {},
      loc: { uri, pointer: `/apis/${i}` },
    })
  }

  const entries: SchemaSamples[] = []
  for (const [i, s] of (value.dataFormats?.schemas ?? []).entries()) {
    const schema = await readNamed(s.schema, `/dataFormats/schemas/${i}/schema`)
    const samples: SourceDocument[] = []
    for (const [j, sample] of (s.samples ?? []).entries()) {
      const d = await readNamed(sample, `/dataFormats/schemas/${i}/samples/${j}`)
      if (d) samples.push(d)
    }
    if (schema)
      entries.push({
        name: s.name ?? path.basename(s.schema),
        schema,
        samples,
        loc: { uri, pointer: `/dataFormats/schemas/${i}` },
      })
  }

  // FHIR resources: paths or globs, read (and parsed with positions) like every other input.
  const fhirFiles: FhirResourceFile[] = []
  for (const [i, pattern] of (value.fhir?.resources ?? []).entries()) {
    const pointer = `/fhir/resources/${i}`
    const isGlob = /[*?[\]{}]/.test(pattern) && read.list
    if (isGlob && (pattern.startsWith('/') || pattern.split('/').includes('..'))) {
      problems.push(
        `${at(pointer)}: '${pattern}' reaches outside the manifest's folder; only files in it or below it are read.`,
      )
      continue
    }
    const targets = isGlob ? await read.list!(pattern, uri) : [new URL(pattern, uri).href]
    if (isGlob && !targets.length) problems.push(`${at(pointer)}: '${pattern}' matches no file.`)
    for (const target of targets) {
      const rel = isGlob
        ? path
            .relative(path.dirname(fileURLToPath(uri)), fileURLToPath(target))
            .split(path.sep)
            .join('/')
        : pattern
      const doc = await readNamed(rel, pointer)
      if (doc) fhirFiles.push({ doc, loc: { uri, pointer } })
    }
  }

  if (problems.length)
    throw new InputError(
      `The manifest names ${problems.length === 1 ? 'a file' : 'files'} that cannot be used:\n  ${problems.join('\n  ')}`,
    )

  const manifest = new ManifestArtifact(doc, value, apis)
  return {
    manifest,
    ...(value.declarations ? { declarations: new DeclarationsArtifact(manifest, value.declarations) } : {}),
    ...(entries.length ? { schemas: new SchemasArtifact(entries) } : {}),
    ...(fhirFiles.length ? { fhir: new FhirArtifact(fhirFiles, value.fhir?.version ?? '4.0.1') } : {}),
  }
}

/** Validates a manifest against its schema, reporting every problem with its line and property path. */
function checkManifest(doc: SourceDocument): Manifest {
  const validate = shippedSchema('manifest')
  if (validate(doc.value)) return doc.value as Manifest
  // A key that breaks `propertyNames` gets one error about itself, at the key.
  // An `if` only says that its `then` failed, which has its own errors.
  const errors = pruneAlternatives(validate.errors ?? []).filter(
    (e) => e.keyword !== 'propertyNames' && e.keyword !== 'if',
  )
  const lines = errors.map((e) => schemaProblemLine(doc, e))
  throw new InputError(
    `The manifest is not valid against schemas/manifest.schema.json (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n  ${[...new Set(lines)].join('\n  ')}`,
  )
}

/** For a value that matches no alternative of a oneOf, one summary instead of every branch's complaint. */
function pruneAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const summaries = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
  return errors.filter(
    (e) =>
      e.keyword === 'oneOf' ||
      e.keyword === 'anyOf' ||
      !summaries.some(
        (s) => e.schemaPath.startsWith(s.schemaPath + '/') && e.instancePath.startsWith(s.instancePath),
      ),
  )
}
