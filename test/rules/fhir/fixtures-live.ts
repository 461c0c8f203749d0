import type { HttpExchange, ProbePurpose } from '../../../src/loaders/live.js'
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
): HttpExchange =>
  exchange(
    { 'content-type': type },
    { purpose, status, url: `${BASE}/${path}`, body: body === undefined ? '' : JSON.stringify(body) },
  )

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
export const tolvan = {
  resourceType: 'Patient',
  id: 'tolvan',
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

/** A conformant server's answers; `over` replaces the answers of some purposes. */
export function server(over: Partial<Record<ProbePurpose, HttpExchange>> = {}) {
  const answers: Partial<Record<ProbePurpose, HttpExchange>> = {
    'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 200, capability),
    'fhir-smart': fhirExchange(
      'fhir-smart',
      '.well-known/smart-configuration',
      200,
      smart,
      'application/json',
    ),
    'fhir-search': fhirExchange('fhir-search', 'Patient?_count=2', 200, searchset),
    'fhir-read': fhirExchange('fhir-read', 'Patient/tolvan', 200, tolvan),
    'fhir-unknown': fhirExchange('fhir-unknown', 'Patient/interop-check-no-such-id', 404, outcome),
    'fhir-unauthenticated': fhirExchange('fhir-unauthenticated', 'Patient?_count=1', 401, outcome),
    ...over,
  }
  return live(Object.values(answers))
}
