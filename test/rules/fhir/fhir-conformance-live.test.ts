import rule from '../../../src/rules/fhir/fhir-conformance-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { live } from '../http/fixtures.js'
import { capability, fhirExchange, manifest, server } from './fixtures-live.js'

const metadata = (body: unknown) => ({
  'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 200, body),
})
const rest = capability.rest[0]!

testRule(rule, {
  valid: [
    {
      name: 'Patient read and search by identifier, and $export, as the default asks',
      manifest,
      live: server(),
    },
    {
      name: 'a municipality that asks for Observation search by patient and the Swedish base profiles',
      manifest,
      live: server(
        metadata({
          ...capability,
          implementationGuide: ['http://hl7.se/fhir/ig/base/ImplementationGuide/hl7.fhir.se.base|1.0.0'],
          rest: [
            {
              ...rest,
              resource: [
                ...rest.resource,
                {
                  type: 'Observation',
                  interaction: [{ code: 'search-type' }],
                  searchParam: [{ name: 'patient', type: 'reference' }],
                },
              ],
            },
          ],
        }),
      ),
      options: {
        require: [{ resource: 'Observation', interactions: ['search-type'], searchParams: ['patient'] }],
        implementationGuides: ['http://hl7.se/fhir/ig/base/ImplementationGuide/hl7.fhir.se.base'],
      },
    },
  ],
  invalid: [
    {
      name: 'no Patient search by identifier and no $export',
      manifest,
      live: server(
        metadata({
          ...capability,
          rest: [
            {
              ...rest,
              operation: undefined,
              resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }],
            },
          ],
        }),
      ),
      errors: [{ messageId: 'no-interaction' }, { messageId: 'no-search-param' }, { messageId: 'no-export' }],
    },
    {
      name: 'no Observation at all, and not the required guide',
      manifest,
      live: server(),
      options: {
        require: [{ resource: 'Observation', interactions: ['search-type'] }],
        implementationGuides: ['http://hl7.se/fhir/ig/base/ImplementationGuide/hl7.fhir.se.base'],
      },
      errors: [{ messageId: 'no-resource' }, { messageId: 'no-guide' }],
    },
  ],
  notApplicable: [{ name: 'no FHIR endpoint was probed', manifest, live: live([]) }],
  notChecked: [
    {
      name: 'no CapabilityStatement',
      manifest,
      live: server({ 'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 404, undefined) }),
    },
  ],
})
