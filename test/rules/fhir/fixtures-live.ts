import type { FhirRequestRef, HttpExchange, ProbePurpose } from '../../../src/loaders/live.js'
import { exchange, live } from '../http/fixtures.js'

/** Recorded exchanges with a FHIR server at https://fhir.vardkedjan.example/r4, for the live FHIR rules. */
export const BASE = 'https://fhir.vardkedjan.example/r4'
export const manifest = {
  service: { name: 'Omsorgsjournalen', vendor: 'Vårdkedjan AB' },
  fhir: { baseUrl: BASE },
}

export const fhirExchange = (
  purpose: ProbePurpose,
  path: string,
  status: number,
  body: unknown,
  type = 'application/fhir+json; charset=utf-8',
  fhir?: FhirRequestRef,
  headers: Record<string, string> = {},
): HttpExchange => ({
  ...exchange(
    { 'content-type': type, ...headers },
    {
      purpose,
      status,
      url: /^https:/.test(path) ? path : `${BASE}/${path}`,
      body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    },
  ),
  ...(fhir ? { fhir } : {}),
})

export const capability = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-03-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  implementation: { description: 'Omsorgsjournalen FHIR API', url: BASE },
  rest: [
    {
      mode: 'server',
      security: {
        extension: [
          {
            url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
            extension: [
              { url: 'token', valueUri: 'https://login.vardkedjan.example/token' },
              { url: 'authorize', valueUri: 'https://login.vardkedjan.example/authorize' },
            ],
          },
        ],
        service: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                code: 'SMART-on-FHIR',
              },
            ],
          },
        ],
      },
      resource: [
        {
          type: 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [{ name: 'identifier', type: 'token' }],
        },
      ],
      operation: [
        { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
      ],
    },
  ],
}
export const smart = {
  issuer: 'https://login.vardkedjan.example',
  jwks_uri: 'https://login.vardkedjan.example/jwks',
  authorization_endpoint: 'https://login.vardkedjan.example/authorize',
  token_endpoint: 'https://login.vardkedjan.example/token',
  grant_types_supported: ['authorization_code', 'client_credentials'],
  capabilities: ['launch-standalone', 'client-confidential-asymmetric', 'sso-openid-connect'],
  code_challenge_methods_supported: ['S256'],
}
export const PNR = 'http://electronichealth.se/identifier/personnummer'
export const tolvan = {
  resourceType: 'Patient',
  id: 'tolvan',
  identifier: [{ system: PNR, value: '191212121212' }],
  name: [{ family: 'Tolvansson', given: ['Tolvan'] }],
  gender: 'male',
}
export const searchset = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 1,
  link: [{ relation: 'self', url: `${BASE}/Patient?_count=2` }],
  entry: [{ fullUrl: `${BASE}/Patient/tolvan`, resource: tolvan, search: { mode: 'match' } }],
}
export const outcome = {
  resourceType: 'OperationOutcome',
  issue: [
    { severity: 'error', code: 'not-found', diagnostics: 'Patient/interop-check-no-such-id is not known' },
  ],
}

/** A searchset Bundle of `resources` whose self link is `self`; `more` adds a next link. */
export const bundle = (self: string, resources: object[], o: { total?: number; next?: string } = {}) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: o.total ?? resources.length,
  link: [
    { relation: 'self', url: `${BASE}/${self}` },
    ...(o.next ? [{ relation: 'next', url: `${BASE}/${o.next}` }] : []),
  ],
  entry: resources.map((r) => ({
    fullUrl: `${BASE}/${String((r as { resourceType: string }).resourceType)}/${String((r as { id: string }).id)}`,
    resource: r,
    search: { mode: 'match' },
  })),
})

const BY_IDENTIFIER = `Patient?identifier=${encodeURIComponent(`${PNR}|191212121212`)}&_count=10`
const JOB = `${BASE}/bulkdata/job-1`
const NDJSON_FILE = `${JOB}/Patient.ndjson`

/** The exchanges the prober makes with a conformant server, by label; `over` replaces (or, with undefined, drops) some. */
export function server(over: Record<string, HttpExchange | undefined> = {}) {
  const answers: Record<string, HttpExchange | undefined> = {
    'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 200, capability),
    'fhir-smart': fhirExchange(
      'fhir-smart',
      '.well-known/smart-configuration',
      200,
      smart,
      'application/json',
    ),
    'fhir-unknown': fhirExchange('fhir-unknown', 'Patient/interop-check-no-such-id', 404, outcome),
    'fhir-unauthenticated': fhirExchange('fhir-unauthenticated', 'Patient?_count=1', 401, outcome),
    'fhir-search': fhirExchange('fhir-search', 'Patient?_count=2', 200, searchset, undefined, {
      resource: 'Patient',
      interaction: 'search-type',
    }),
    'fhir-read': fhirExchange('fhir-read', 'Patient/tolvan', 200, tolvan, undefined, {
      resource: 'Patient',
      interaction: 'read',
    }),
    'search-identifier': searchByIdentifier(200, bundle(BY_IDENTIFIER, [tolvan])),
    'fhir-export': fhirExchange('fhir-export', '$export?_type=Patient', 202, outcome, undefined, undefined, {
      'content-location': JOB,
    }),
    'fhir-export-status': exportStatus(200, {
      transactionTime: '2026-03-01T10:00:00Z',
      request: `${BASE}/$export?_type=Patient`,
      requiresAccessToken: true,
      output: [{ type: 'Patient', url: NDJSON_FILE }],
      error: [],
    }),
    'fhir-export-file': fhirExchange(
      'fhir-export-file',
      NDJSON_FILE,
      200,
      `${JSON.stringify(tolvan)}\n`,
      'application/fhir+ndjson',
      { resource: 'Patient' },
    ),
    ...over,
  }
  return live(Object.values(answers).filter((x): x is HttpExchange => x !== undefined))
}

/** The search by identifier, with the value Tolvan Tolvansson has. */
export const searchByIdentifier = (status: number, body: unknown) =>
  fhirExchange('fhir-search', BY_IDENTIFIER, status, body, undefined, {
    resource: 'Patient',
    interaction: 'search-type',
    param: 'identifier',
    value: `${PNR}|191212121212`,
    expect: 'Patient/tolvan',
  })

export const exportStatus = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  fhirExchange('fhir-export-status', JOB, status, body, 'application/json', undefined, headers)
