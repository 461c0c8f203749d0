import rule from '../../../src/rules/fhir/fhir-conformance-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { live } from '../http/fixtures.js'
import {
  bundle,
  capability,
  exportStatus,
  fhirExchange,
  manifest,
  outcome,
  searchByIdentifier,
  searchset,
  server,
  tolvan,
} from './fixtures-live.js'

const pulse = {
  resourceType: 'Observation',
  id: 'pulse',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/tolvan' },
}
const observations = {
  'observation-search': fhirExchange(
    'fhir-search',
    'Observation?_count=2',
    200,
    bundle('Observation?_count=2', [pulse]),
    undefined,
    { resource: 'Observation', interaction: 'search-type' },
  ),
  'observation-read': fhirExchange('fhir-read', 'Observation/pulse', 200, pulse, undefined, {
    resource: 'Observation',
    interaction: 'read',
  }),
  'observation-by-patient': fhirExchange(
    'fhir-search',
    'Observation?patient=Patient%2Ftolvan&_count=10',
    200,
    bundle('Observation?patient=Patient%2Ftolvan&_count=10', [pulse]),
    undefined,
    {
      resource: 'Observation',
      interaction: 'search-type',
      param: 'patient',
      value: 'Patient/tolvan',
      expect: 'Observation/pulse',
    },
  ),
}
const patient = (interaction: 'search-type' | 'read') => ({ resource: 'Patient', interaction })

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
      live: server({
        ...metadata({
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
        ...observations,
      }),
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
      name: 'a declared read that fails, and a search by identifier that the server answers 400',
      manifest,
      live: server({
        'fhir-read': fhirExchange('fhir-read', 'Patient/tolvan', 500, outcome, undefined, patient('read')),
        'search-identifier': searchByIdentifier(400, outcome),
      }),
      errors: [{ messageId: 'interaction-fails' }, { messageId: 'search-fails' }],
    },
    {
      name: 'a read that answers with another Patient',
      manifest,
      live: server({
        'fhir-read': fhirExchange(
          'fhir-read',
          'Patient/tolvan',
          200,
          { ...tolvan, id: 'other' },
          undefined,
          patient('read'),
        ),
      }),
      errors: [{ messageId: 'read-wrong' }],
    },
    {
      name: 'a search by identifier that does not find the Patient the value came from',
      manifest,
      live: server({
        'search-identifier': searchByIdentifier(
          200,
          bundle(
            'Patient?identifier=http%3A%2F%2Felectronichealth.se%2Fidentifier%2Fpersonnummer%7C191212121212',
            [],
          ),
        ),
      }),
      errors: [{ messageId: 'search-misses' }],
    },
    {
      name: 'a search whose self link shows the identifier was ignored',
      manifest,
      live: server({ 'search-identifier': searchByIdentifier(200, bundle('Patient?_count=10', [tolvan])) }),
      errors: [{ messageId: 'search-param-ignored' }],
    },
    {
      name: 'a search that matched five Patients, returned two and links to no more',
      manifest,
      live: server({
        'fhir-search': fhirExchange(
          'fhir-search',
          'Patient?_count=2',
          200,
          bundle('Patient?_count=2', [tolvan, { ...tolvan, id: 'tolvan-2' }], { total: 5 }),
          undefined,
          patient('search-type'),
        ),
      }),
      errors: [{ messageId: 'no-paging' }],
    },
    {
      name: 'a next page that fails',
      manifest,
      live: server({
        'fhir-search': fhirExchange(
          'fhir-search',
          'Patient?_count=2',
          200,
          bundle('Patient?_count=2', [tolvan, { ...tolvan, id: 'tolvan-2' }], {
            total: 5,
            next: 'Patient?_count=2&_offset=2',
          }),
          undefined,
          patient('search-type'),
        ),
        'fhir-page': fhirExchange(
          'fhir-page',
          'Patient?_count=2&_offset=2',
          500,
          outcome,
          undefined,
          patient('search-type'),
        ),
      }),
      errors: [{ messageId: 'page-fails' }],
    },
    {
      name: 'an export kick-off answered at once with 200 instead of 202 and a status to poll',
      manifest,
      live: server({
        'fhir-export': fhirExchange('fhir-export', '$export?_type=Patient', 200, searchset),
        'fhir-export-status': undefined,
        'fhir-export-file': undefined,
      }),
      errors: [{ messageId: 'export-fails' }],
    },
    {
      name: 'an export whose status fails',
      manifest,
      live: server({ 'fhir-export-status': exportStatus(500, outcome), 'fhir-export-file': undefined }),
      errors: [{ messageId: 'export-status-fails' }],
    },
    {
      name: 'an export still running after the polls',
      manifest,
      live: server({
        'fhir-export-status': exportStatus(202, undefined, {
          'x-progress': 'in progress',
          'retry-after': '120',
        }),
        'fhir-export-file': undefined,
      }),
      errors: [{ messageId: 'export-incomplete' }],
    },
    {
      name: 'an export file that is a JSON array, not NDJSON',
      manifest,
      live: server({
        'fhir-export-file': fhirExchange(
          'fhir-export-file',
          `${'https://fhir.vardkedjan.example/r4'}/bulkdata/job-1/Patient.ndjson`,
          200,
          [tolvan],
          'application/json',
          { resource: 'Patient' },
        ),
      }),
      errors: [{ messageId: 'export-not-ndjson' }],
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
      name: 'everything declared, but nothing could be tried without credentials',
      manifest,
      live: server({
        'fhir-search': fhirExchange(
          'fhir-search',
          'Patient?_count=2',
          401,
          outcome,
          undefined,
          patient('search-type'),
        ),
        'fhir-read': undefined,
        'search-identifier': undefined,
        'fhir-export': fhirExchange('fhir-export', '$export?_type=Patient', 401, outcome),
        'fhir-export-status': undefined,
        'fhir-export-file': undefined,
      }),
    },
    {
      name: 'no CapabilityStatement',
      manifest,
      live: server({ 'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 404, undefined) }),
    },
  ],
})
