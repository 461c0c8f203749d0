import rule from '../../../src/rules/fhir/fhir-capability-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { live } from '../http/fixtures.js'
import { capability, fhirExchange, manifest, server } from './fixtures-live.js'

const metadata = (body: unknown, status = 200) => ({
  'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', status, body),
})

testRule(rule, {
  valid: [
    { name: 'a valid R4 CapabilityStatement', manifest, live: server() },
    {
      name: 'a server of another FHIR version, when the ruleset asks for it',
      manifest,
      live: server(metadata({ ...capability, fhirVersion: '4.0.0' })),
      options: { fhirVersion: '4.0.0' },
    },
  ],
  invalid: [
    {
      name: 'metadata answers 404',
      manifest,
      live: server(metadata(undefined, 404)),
      errors: [{ messageId: 'no-metadata' }],
    },
    {
      name: 'metadata answers with a Patient',
      manifest,
      live: server(metadata({ resourceType: 'Patient' })),
      errors: [{ messageId: 'not-capability' }],
    },
    {
      name: 'an STU3 server of kind capability, XML only, invalid',
      manifest,
      live: server(
        metadata({
          ...capability,
          fhirVersion: '3.0.2',
          kind: 'capability',
          format: ['xml'],
          status: 'live',
        }),
      ),
      errors: [
        { messageId: 'invalid' },
        { messageId: 'wrong-version' },
        { messageId: 'not-instance' },
        { messageId: 'no-json' },
      ],
    },
  ],
  notApplicable: [{ name: 'no FHIR endpoint was probed', manifest, live: live([]) }],
  notChecked: [
    { name: 'without the live checks', manifest },
    {
      name: 'metadata did not answer',
      manifest,
      live: server({
        'fhir-metadata': {
          ...fhirExchange('fhir-metadata', 'metadata', 200, {}),
          response: undefined,
          error: 'ECONNREFUSED',
        },
      }),
    },
  ],
})
