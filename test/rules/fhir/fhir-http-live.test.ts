import rule from '../../../src/rules/fhir/fhir-http-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { live } from '../http/fixtures.js'
import { fhirExchange, manifest, searchset, server, tolvan } from './fixtures-live.js'

testRule(rule, {
  valid: [
    { name: 'a conformant server', manifest, live: server() },
    {
      name: 'an unknown id behind authentication',
      manifest,
      live: server({
        'fhir-unknown': fhirExchange('fhir-unknown', 'Patient/x', 401, {
          resourceType: 'OperationOutcome',
          issue: [],
        }),
      }),
    },
  ],
  invalid: [
    {
      name: 'plain JSON, a bare array from search and a plain-text 404',
      manifest,
      live: server({
        'fhir-search': fhirExchange('fhir-search', 'Patient?_count=2', 200, [tolvan], 'application/json'),
        'fhir-unknown': fhirExchange('fhir-unknown', 'Patient/x', 404, undefined, 'text/plain'),
      }),
      errors: [{ messageId: 'not-fhir-json' }, { messageId: 'no-outcome' }, { messageId: 'not-searchset' }],
    },
    {
      name: 'a 200 for an id that cannot exist',
      manifest,
      live: server({ 'fhir-unknown': fhirExchange('fhir-unknown', 'Patient/x', 200, tolvan) }),
      errors: [{ messageId: 'not-found' }],
    },
    {
      name: 'an invalid resource in the search result',
      manifest,
      live: server({
        'fhir-search': fhirExchange('fhir-search', 'Patient?_count=2', 200, {
          ...searchset,
          entry: [
            {
              fullUrl: 'https://fhir.vardkedjan.example/r4/Patient/tolvan',
              resource: { ...tolvan, gender: 'M' },
            },
          ],
        }),
      }),
      errors: [{ messageId: 'invalid-resource' }],
    },
    {
      name: 'an exported Patient with an impossible birth date, and a next page that is not a searchset',
      manifest,
      live: server({
        'fhir-export-file': fhirExchange(
          'fhir-export-file',
          'bulkdata/job-1/Patient.ndjson',
          200,
          `${JSON.stringify(tolvan)}\n${JSON.stringify({ ...tolvan, id: 'b', birthDate: '2023-02-30' })}\n`,
          'application/fhir+ndjson',
        ),
        'fhir-page': fhirExchange('fhir-page', 'Patient?_count=2&_offset=2', 200, tolvan),
      }),
      errors: [{ messageId: 'invalid-resource' }, { messageId: 'not-searchset' }],
    },
  ],
  notApplicable: [{ name: 'no FHIR endpoint was probed', manifest, live: live([]) }],
  notChecked: [
    {
      name: 'the server did not answer',
      manifest,
      live: live([
        { ...fhirExchange('fhir-metadata', 'metadata', 200, {}), response: undefined, error: 'ETIMEDOUT' },
      ]),
    },
  ],
})
