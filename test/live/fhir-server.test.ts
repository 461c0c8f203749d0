import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateResource } from '../../src/fhir/validate.js'
import {
  startFhirServer,
  startNonConformantFhirServer,
  type FhirServer,
} from '../../src/testing/fhir-server.js'
import { localhostCertificate } from '../../src/testing/local.js'

/**
 * The conformant FHIR R4 server the live FHIR checks are tested against, asked over real HTTPS on
 * 127.0.0.1 as a client would: discovery, read, search with paging, writes, errors and
 * authentication, with what it answers checked by interop's own R4 validator.
 */
const TOKEN = 'fhir-tok-3b9e1c7a5d2f'
const PERSONNUMMER = 'http://electronichealth.se/identifier/personnummer'

let server: FhirServer
let open: FhirServer
let sloppy: FhirServer
let agent: Agent

/** What the tests read of the answers; a body of another shape fails their expectations. */
interface Resource {
  resourceType: string
  id: string
  meta: { versionId: string; lastUpdated: string; profile?: string[] }
  [key: string]: unknown
}
interface Bundle extends Resource {
  type: string
  total?: number
  link: { relation: string; url: string }[]
  entry?: { fullUrl: string; resource: Resource; search?: { mode: string } }[]
}
interface Outcome extends Resource {
  issue: { severity: string; code: string }[]
}
interface Named {
  name: { family: string; given?: string[] }[]
}

async function call<T = Resource>(
  url: string,
  init: {
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
    token?: string | null
    body?: unknown
    headers?: Record<string, string>
  } = {},
) {
  const r = await request(url, {
    dispatcher: agent,
    method: init.method ?? 'GET',
    headers: {
      accept: 'application/fhir+json',
      ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }),
      ...(init.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await r.body.text()
  const type = String(r.headers['content-type'] ?? '')
  return {
    status: r.statusCode,
    headers: r.headers,
    type,
    text,
    json: (/json/.test(type) && !/ndjson/.test(type) ? JSON.parse(text) : undefined) as T,
  }
}

const mediaType = (type: string) => type.split(';')[0]!.trim()
const linkOf = (b: Bundle, relation: string) => b.link.find((l) => l.relation === relation)?.url

beforeAll(async () => {
  const pems = await localhostCertificate()
  agent = new Agent({ connect: { ca: pems.cert } })
  server = await startFhirServer({ cert: pems.cert, key: pems.key, token: TOKEN })
  open = await startFhirServer({
    cert: pems.cert,
    key: pems.key,
    basePath: '/r4',
    resources: [{ resourceType: 'Practitioner', id: 'p1', name: [{ family: 'Läkare' }] }],
  })
  sloppy = await startNonConformantFhirServer({ cert: pems.cert, key: pems.key, token: TOKEN })
})
afterAll(async () => {
  await Promise.all([server?.close(), open?.close(), sloppy?.close()])
  await agent?.close()
})

describe('the conformant FHIR R4 test server', () => {
  it('listens on 127.0.0.1 under /fhir/r4 by default', () => {
    expect(server.baseUrl).toBe(`https://127.0.0.1:${server.port}/fhir/r4`)
    expect(open.baseUrl).toBe(`https://127.0.0.1:${open.port}/r4`)
  })

  it('publishes a valid R4 CapabilityStatement at metadata, without credentials', async () => {
    const r = await call(`${server.baseUrl}/metadata`, { token: null })
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/fhir+json')
    const cs = r.json
    expect(validateResource(cs)).toEqual([])
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      kind: 'instance',
      status: 'active',
      format: expect.arrayContaining(['json']),
      implementationGuide: expect.arrayContaining([
        'http://hl7.org/fhir/smart-app-launch/ImplementationGuide/hl7.fhir.uv.smart-app-launch',
      ]),
      rest: [
        {
          mode: 'server',
          security: {
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
            extension: [
              {
                url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                extension: [
                  { url: 'token', valueUri: `https://127.0.0.1:${server.port}/oauth2/token` },
                  { url: 'authorize', valueUri: `https://127.0.0.1:${server.port}/oauth2/authorize` },
                ],
              },
            ],
          },
          operation: [
            { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
          ],
          resource: expect.arrayContaining([
            expect.objectContaining({
              type: 'Patient',
              interaction: expect.arrayContaining([
                { code: 'read' },
                { code: 'search-type' },
                { code: 'create' },
              ]),
              searchParam: expect.arrayContaining([
                {
                  name: 'identifier',
                  definition: 'http://hl7.org/fhir/SearchParameter/Patient-identifier',
                  type: 'token',
                },
              ]),
              operation: [
                {
                  name: 'export',
                  definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
                },
              ],
            }),
            expect.objectContaining({
              type: 'Observation',
              searchParam: expect.arrayContaining([
                {
                  name: 'patient',
                  definition: 'http://hl7.org/fhir/SearchParameter/clinical-patient',
                  type: 'reference',
                },
              ]),
            }),
          ]),
        },
      ],
    })
    // The resources given in place of the fixture are what the other server declares.
    const other = await call(`${open.baseUrl}/metadata`, { token: null })
    expect(validateResource(other.json)).toEqual([])
    expect(other.json).toMatchObject({
      rest: [{ resource: expect.arrayContaining([expect.objectContaining({ type: 'Practitioner' })]) }],
    })
  })

  it('publishes its SMART configuration, without credentials', async () => {
    const r = await call<Record<string, string | string[]>>(
      `${server.baseUrl}/.well-known/smart-configuration`,
      {
        token: null,
      },
    )
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/json')
    const origin = `https://127.0.0.1:${server.port}`
    expect(r.json).toMatchObject({
      issuer: origin,
      jwks_uri: `${origin}/oauth2/jwks`,
      authorization_endpoint: `${origin}/oauth2/authorize`,
      token_endpoint: `${origin}/oauth2/token`,
      code_challenge_methods_supported: ['S256'],
    })
    expect(r.json.grant_types_supported).toContain('authorization_code')
    expect(r.json.capabilities).toContain('launch-standalone')
    expect(r.json.scopes_supported).toContain('patient/*.rs')
    const jwks = await call(`${origin}/oauth2/jwks`, { token: null })
    expect(jwks.status).toBe(200)
    expect(jwks.json).toMatchObject({ keys: [{ kty: 'EC', crv: 'P-256', use: 'sig' }] })
    const oidc = await call(`${origin}/.well-known/openid-configuration`, { token: null })
    expect(oidc.json).toMatchObject({ issuer: origin, jwks_uri: `${origin}/oauth2/jwks` })
  })

  it('reads the seeded Patient and Observation', async () => {
    const r = await call(`${server.baseUrl}/Patient/tolvan`)
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/fhir+json')
    expect(r.json).toMatchObject({
      resourceType: 'Patient',
      name: [{ family: 'Tolvansson', given: ['Tolvan'] }],
      identifier: [{ system: PERSONNUMMER, value: '191212121212' }],
    })
    expect(r.headers.etag).toBe(`W/"${r.json.meta.versionId}"`)
    expect(r.headers['last-modified']).toBeTruthy()
    // The fixture's profile survives storage; the server sets versionId and lastUpdated.
    expect(r.json.meta.profile).toEqual([
      'http://vardkedjan.example/fhir/StructureDefinition/HomecarePatient',
    ])
    const obs = await call(`${server.baseUrl}/Observation/pulse-20260301`)
    expect(obs.status).toBe(200)
    expect(obs.json.subject).toEqual({ reference: 'Patient/tolvan' })
    expect(validateResource(obs.json)).toEqual([])
  })

  it('searches by identifier into a valid searchset Bundle with a self link and full URLs', async () => {
    const r = await call<Bundle>(
      `${server.baseUrl}/Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|191212121212`)}`,
    )
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/fhir+json')
    const bundle = r.json
    expect(validateResource(bundle)).toEqual([])
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 })
    expect(linkOf(bundle, 'self')).toBe(
      `${server.baseUrl}/Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|191212121212`)}`,
    )
    expect(bundle.entry?.[0]).toMatchObject({
      fullUrl: `${server.baseUrl}/Patient/tolvan`,
      resource: { resourceType: 'Patient', id: 'tolvan' },
      search: { mode: 'match' },
    })
    const none = await call<Bundle>(
      `${server.baseUrl}/Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|0`)}`,
    )
    expect(none.json).toMatchObject({ type: 'searchset', total: 0 })
    expect(none.json.entry).toBeUndefined()
    expect(validateResource(none.json)).toEqual([])
  })

  it('creates resources and pages through a search with _count and next/previous links', async () => {
    for (const value of [60, 64, 68]) {
      const created = await call(`${server.baseUrl}/Observation`, {
        method: 'POST',
        body: {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
          subject: { reference: 'Patient/tolvan' },
          valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        },
      })
      expect(created.status).toBe(201)
      expect(mediaType(created.type)).toBe('application/fhir+json')
      expect(created.headers.location).toMatch(
        new RegExp(`^${server.baseUrl}/Observation/${created.json.id}/_history/`),
      )
    }
    // A bare id for `patient`, as R4 allows for a reference to one type.
    const first = await call<Bundle>(`${server.baseUrl}/Observation?patient=tolvan&_count=2`)
    expect(first.status).toBe(200)
    expect(validateResource(first.json)).toEqual([])
    expect(first.json.total).toBe(4)
    expect(first.json.entry).toHaveLength(2)
    expect(linkOf(first.json, 'self')).toBe(`${server.baseUrl}/Observation?patient=Patient%2Ftolvan&_count=2`)
    expect(linkOf(first.json, 'previous')).toBeUndefined()
    const next = linkOf(first.json, 'next')!
    expect(next).toMatch(/_offset=2/)
    const second = await call<Bundle>(next)
    expect(second.json.entry).toHaveLength(2)
    expect(linkOf(second.json, 'next')).toBeUndefined()
    expect(linkOf(second.json, 'previous')).toMatch(/_offset=0/)
    const ids = [...(first.json.entry ?? []), ...(second.json.entry ?? [])].map((e) => e.resource.id)
    expect(new Set(ids).size).toBe(4)
    expect(ids).toContain('pulse-20260301')
  })

  it('updates, reads versions and history, and deletes, as its CapabilityStatement declares', async () => {
    const body = {
      resourceType: 'Encounter',
      status: 'planned',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HH' },
      subject: { reference: 'Patient/tolvan' },
    }
    const created = await call(`${server.baseUrl}/Encounter`, { method: 'POST', body })
    expect(created.status).toBe(201)
    const url = `${server.baseUrl}/Encounter/${created.json.id}`
    const updated = await call(url, {
      method: 'PUT',
      body: { ...body, id: created.json.id, status: 'finished' },
    })
    expect(updated.status).toBe(200)
    expect(updated.json.meta.versionId).not.toBe(created.json.meta.versionId)
    const first = await call(`${url}/_history/${created.json.meta.versionId}`)
    expect(first.json.status).toBe('planned')
    const history = await call<Bundle>(`${url}/_history`)
    expect(history.json).toMatchObject({ resourceType: 'Bundle', type: 'history' })
    expect(history.json.entry).toHaveLength(2)
    expect((await call(url, { method: 'DELETE' })).status).toBe(200)
    const gone = await call(url)
    expect([404, 410]).toContain(gone.status)
    expect(gone.json.resourceType).toBe('OperationOutcome')
  })

  it('refuses what is not valid FHIR with an OperationOutcome', async () => {
    const r = await call<Outcome>(`${server.baseUrl}/Observation`, {
      method: 'POST',
      body: { resourceType: 'Observation', status: 'final', code: { text: 7 }, colour: 'red' },
    })
    expect(r.status).toBe(400)
    expect(mediaType(r.type)).toBe('application/fhir+json')
    expect(r.json.resourceType).toBe('OperationOutcome')
    expect(r.json.issue.length).toBeGreaterThan(0)
    expect(validateResource(r.json)).toEqual([])
    const bad = await call(`${server.baseUrl}/Observation?_count=many`)
    expect(bad.status).toBe(400)
    expect(bad.json.resourceType).toBe('OperationOutcome')
  })

  it('ignores unknown search parameters, unless asked to be strict', async () => {
    const lenient = await call<Bundle>(`${server.baseUrl}/Patient?colour=red&_count=5`)
    // Tolvan Tolvansson and the two Patients the server adds so that searches page.
    expect(lenient.json.total).toBe(3)
    expect(lenient.json.link[0]).toEqual({ relation: 'self', url: `${server.baseUrl}/Patient?_count=5` })
    const strict = await call(`${server.baseUrl}/Patient?colour=red`, {
      headers: { prefer: 'handling=strict' },
    })
    expect(strict.status).toBe(400)
    expect(strict.json.resourceType).toBe('OperationOutcome')
  })

  it('answers an unknown id, type or path with 404 and an OperationOutcome', async () => {
    for (const path of [
      `${server.baseUrl}/Patient/interop-check-no-such-id`,
      `${server.baseUrl}/Nope/1`,
      `https://127.0.0.1:${server.port}/elsewhere`,
    ]) {
      const r = await call(path)
      expect(r.status, path).toBe(404)
      expect(mediaType(r.type), path).toBe('application/fhir+json')
      expect(r.json.resourceType, path).toBe('OperationOutcome')
      expect(validateResource(r.json), path).toEqual([])
    }
    const r = await call<Outcome>(`${server.baseUrl}/Patient/interop-check-no-such-id`)
    expect(r.json.issue[0]).toMatchObject({ severity: 'error', code: 'not-found' })
  })

  it('answers 401 with an OperationOutcome without a valid bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const r = await call(`${server.baseUrl}/Patient?_count=1`, { token })
      expect(r.status).toBe(401)
      expect(mediaType(r.type)).toBe('application/fhir+json')
      expect(r.json.resourceType).toBe('OperationOutcome')
      expect(validateResource(r.json)).toEqual([])
      expect(r.headers['www-authenticate']).toMatch(/^Bearer /)
    }
    // Without a token to check, the other server serves everyone.
    const r = await call(`${open.baseUrl}/Practitioner/p1`, { token: null })
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ name: [{ family: 'Läkare' }] })
  })

  it('answers 406 to a client that takes no JSON', async () => {
    const r = await call(`${server.baseUrl}/Patient/tolvan`, { headers: { accept: 'application/fhir+xml' } })
    expect(r.status).toBe(406)
    expect(mediaType(r.type)).toBe('application/fhir+json')
  })

  it('exports the Patient compartment as bulk data', async () => {
    const kickoff = await call(`${server.baseUrl}/Patient/$export`, { headers: { prefer: 'respond-async' } })
    expect(kickoff.status).toBe(202)
    const status = await call<{ requiresAccessToken: boolean; output: { type: string; url: string }[] }>(
      String(kickoff.headers['content-location']),
    )
    expect(status.status).toBe(200)
    expect(status.json.requiresAccessToken).toBe(true)
    expect(status.json.output.map((o) => o.type)).toEqual(['Observation', 'Patient'])
    const file = await call(status.json.output[1]!.url)
    expect(mediaType(file.type)).toBe('application/fhir+ndjson')
    const lines = file.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { resourceType: string; id: string })
    expect(lines.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual([
      'Patient/tolvan',
      'Patient/vk-1002',
      'Patient/vk-1003',
    ])
    const sync = await call(`${server.baseUrl}/$export`)
    expect(sync.status).toBe(400)
  })

  it('records every request it received', () => {
    expect(server.requests).toContain('GET /fhir/r4/metadata')
    expect(server.requests).toContain('GET /fhir/r4/Patient/tolvan')
  })
})

describe('the non-conformant FHIR test server (node-fhir-server-core)', () => {
  it('serves R4 under /4_0_1 by default', () => {
    expect(sloppy.baseUrl).toBe(`https://127.0.0.1:${sloppy.port}/4_0_1`)
  })

  it('answers metadata with a CapabilityStatement as application/json', async () => {
    const r = await call(`${sloppy.baseUrl}/metadata`, { token: null })
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/json')
    expect(r.json.resourceType).toBe('CapabilityStatement')
  })

  it('reads a Patient as application/json', async () => {
    const r = await call<Resource & Named>(`${sloppy.baseUrl}/Patient/tolvan`)
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/json')
    expect(r.json.name[0]?.family).toBe('Tolvansson')
  })

  it('returns a bare array from search, not a Bundle', async () => {
    const r = await call<Resource[]>(
      `${sloppy.baseUrl}/Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|191212121212`)}`,
    )
    expect(r.status).toBe(200)
    expect(mediaType(r.type)).toBe('application/json')
    expect(Array.isArray(r.json)).toBe(true)
    expect(r.json.map((p) => p.id)).toEqual(['tolvan'])
    const none = await call(`${sloppy.baseUrl}/Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|0`)}`)
    expect(none.json).toEqual([])
    const page = await call(`${sloppy.baseUrl}/Observation?patient=tolvan&_count=0`)
    expect(page.json).toEqual([])
    const obs = await call<Resource[]>(`${sloppy.baseUrl}/Observation?patient=tolvan`)
    expect(obs.json.map((p) => p.id)).toEqual(['pulse-20260301'])
  })

  it('answers an unknown id with a plain-text 404, no OperationOutcome', async () => {
    const r = await call(`${sloppy.baseUrl}/Patient/interop-check-no-such-id`)
    expect(r.status).toBe(404)
    expect(r.json).toBeUndefined()
    expect(r.text).toBe('Not Found')
  })

  it('answers 401 in plain text without a valid bearer token', async () => {
    const r = await call(`${sloppy.baseUrl}/Patient?_count=1`, { token: null })
    expect(r.status).toBe(401)
    expect(mediaType(r.type)).toBe('text/plain')
    expect(sloppy.requests).toContain('GET /4_0_1/Patient?_count=1')
  })
})
