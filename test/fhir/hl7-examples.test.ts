import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateReferences } from '../../src/fhir/references.js'
import { validateResource } from '../../src/fhir/validate.js'

/**
 * Zero false findings on the official HL7 FHIR R4 examples (npm hl7.fhir.r4.examples): every
 * clinical and administrative example validates without an issue. The package also holds the
 * specification's own definitions (StructureDefinitions, ValueSets …, and Bundles of them); those
 * are conformance resources, not examples of data a service exchanges, and are left out.
 */
const DIR = path.dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'))
const CONFORMANCE = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'SearchParameter',
  'ConceptMap',
  'OperationDefinition',
  'CapabilityStatement',
  'ImplementationGuide',
  'CompartmentDefinition',
  'NamingSystem',
  'StructureMap',
  'GraphDefinition',
  'MessageDefinition',
  'TerminologyCapabilities',
  'ExampleScenario',
])
/**
 * Examples that the R4 specification itself publishes invalid, with what is wrong in them. The
 * test asserts that exactly these problems, and nothing else, are reported for them.
 */
const KNOWN_INVALID: Record<string, { check: string; expression: RegExp; why: string }> = {
  'DeviceMetric-example.json': {
    check: 'reference',
    expression: /^DeviceMetric\.parent\.reference$/,
    why: 'parent refers to a DeviceDefinition; R4 allows only Device',
  },
  'DeviceUseStatement-example.json': {
    check: 'reference',
    expression: /^DeviceUseStatement\.reasonReference\[0\]\.reference$/,
    why: 'reasonReference refers to a Procedure, which R4 does not allow there',
  },
  'MedicationRequest-medrx0301.json': {
    check: 'reference',
    expression: /^MedicationRequest\.dispenseRequest\.performer\.reference$/,
    why: 'dispenseRequest.performer refers to a Practitioner; R4 allows only Organization',
  },
  'Observation-clinical-gender.json': {
    check: 'reference',
    expression: /^Observation\.performer\[0\]\.reference$/,
    why: 'performer refers to an Encounter, which R4 does not allow there',
  },
  'Questionnaire-qs1.json': {
    check: 'cardinality',
    expression: /^Questionnaire(\.item\[\d+\])+\.linkId$/,
    why: 'nested items have no linkId, which Questionnaire.item.linkId (1..1) requires',
  },
}

const examples = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.'))
  .map((f) => ({
    file: f,
    resource: JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as Record<string, unknown>,
  }))
  .filter(({ resource: r }) => {
    const type = r.resourceType as string | undefined
    if (!type || CONFORMANCE.has(type)) return false
    const entries = (r.entry ?? []) as { resource?: { resourceType?: string } }[]
    return !(
      type === 'Bundle' &&
      entries.length &&
      entries.every((e) => CONFORMANCE.has(e.resource?.resourceType ?? ''))
    )
  })

describe('the HL7 FHIR R4 examples', () => {
  it('are about 700 clinical and administrative resources', () => {
    expect(examples.length).toBeGreaterThan(650)
    expect(new Set(examples.map((e) => e.resource.resourceType)).size).toBeGreaterThan(100)
  })

  it('validate with no false findings', () => {
    const unexpected: string[] = []
    for (const { file, resource } of examples) {
      const known = KNOWN_INVALID[file]
      for (const issue of [...validateResource(resource), ...validateReferences(resource)])
        if (!known || issue.check !== known.check || !known.expression.test(issue.expression))
          unexpected.push(`${file}: ${issue.expression}: ${issue.message}`)
    }
    expect(unexpected).toEqual([])
  })

  it('still finds what is wrong in the examples the specification publishes invalid', () => {
    for (const [file, known] of Object.entries(KNOWN_INVALID)) {
      const { resource } = examples.find((e) => e.file === file)!
      const issues = [...validateResource(resource), ...validateReferences(resource)]
      expect(issues.length, known.why).toBeGreaterThan(0)
      expect(issues.every((i) => i.check === known.check)).toBe(true)
    }
  })
})
