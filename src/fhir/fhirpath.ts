import { createRequire } from 'node:module'
import type fhirpathModule from 'fhirpath'
import type { Model } from 'fhirpath'

const require = createRequire(import.meta.url)
let lib: { fhirpath: typeof fhirpathModule; r4: Model } | undefined

/**
 * fhirpath.js and its R4 model, loaded on first use (its CommonJS build, synchronously) rather than
 * whenever a rule that might evaluate FHIRPath is: most checks have no FHIR resources at all.
 */
export function fhirpathR4(): { fhirpath: typeof fhirpathModule; r4: Model } {
  lib ??= {
    fhirpath: require('fhirpath') as typeof fhirpathModule,
    r4: require('fhirpath/fhir-context/r4') as Model,
  }
  return lib
}
