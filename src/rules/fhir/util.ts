import type { RuleContext } from '../../core/define-rule.js'
import type { ArtifactKind } from '../../core/types.js'
import type { FhirArtifact } from '../../loaders/fhir.js'
import { validateResource, type FhirCheck, type FhirIssue } from '../../fhir/validate.js'
import type { SourceDocument } from '../../loaders/source.js'

const cache = new WeakMap<SourceDocument, FhirIssue[]>()

/** The validation issues of a resource file, computed once however many rules ask. */
export function issuesOf(doc: SourceDocument): FhirIssue[] {
  let issues = cache.get(doc)
  if (!issues) cache.set(doc, (issues = validateResource(doc.value)))
  return issues
}

/**
 * The body of the rules that each report one part of FHIR validation: every issue of that part,
 * at the element in the resource file, with its FHIRPath.
 */
export function reportIssues(
  ctx: RuleContext,
  check: FhirCheck,
  select: (i: FhirIssue) => boolean = () => true,
): void {
  const fhir = fhirOf(ctx)
  if (!fhir) return
  for (const { doc } of fhir.files)
    for (const issue of issuesOf(doc))
      if (issue.check === check && select(issue))
        ctx.report({
          messageId: 'issue',
          loc: { uri: doc.uri, pointer: issue.pointer },
          data: { expression: issue.expression, message: issue.message },
        })
}

export const FHIR_SOURCES = {
  json: { title: 'FHIR R4 (4.0.1): JSON representation', url: 'https://hl7.org/fhir/R4/json.html' },
  validation: {
    title: 'FHIR R4 (4.0.1): Validating resources',
    url: 'https://hl7.org/fhir/R4/validation.html',
  },
}

/**
 * The service's FHIR resources; a service whose manifest says nothing of FHIR is not one the fhir
 * rules apply to, while one that names a FHIR endpoint but no resources leaves them not checked.
 */
export function fhirOf(ctx: RuleContext): FhirArtifact | undefined {
  if (ctx.artifacts.fhir) return ctx.artifacts.fhir
  if (!ctx.artifacts.manifest?.value.fhir)
    ctx.notApplicable('the service manifest names no FHIR endpoint or resources')
  else ctx.notChecked('the manifest names no FHIR resources to validate (fhir.resources)')
  return undefined
}

/** Rules over the FHIR resources need the manifest and use the resources when it names any. */
export const FHIR_REQUIRES = {
  requires: ['manifest'] as ArtifactKind[],
  optional: ['fhir'] as ArtifactKind[],
}
