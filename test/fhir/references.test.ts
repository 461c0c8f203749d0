import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { r4 } from '../../src/fhir/r4.js'
import { validateReferences } from '../../src/fhir/references.js'

const PATIENT_UUID = 'urn:uuid:3f2c9a1e-8b4d-4c7e-9a56-2d1f0e7b8c43'
const OTHER_UUID = 'urn:uuid:9b1d7c52-0e4a-4f3b-8d26-71c5e0a4b9f8'

/** Where each issue is, its code, and its message, for short expectations. */
const found = (resource: unknown, pointer?: string) =>
  validateReferences(resource, pointer).map((i) => ({ pointer: i.pointer, code: i.code, message: i.message }))

const observation = (subject: object, extra: object = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'Heart rate' },
  subject,
  ...extra,
})
const bundle = (type: string, entry: object[], extra: object = {}) => ({
  resourceType: 'Bundle',
  type,
  ...extra,
  entry,
})
const patientEntry = (fullUrl = PATIENT_UUID, id?: string) => ({
  fullUrl,
  resource: { resourceType: 'Patient', ...(id ? { id } : {}), name: [{ family: 'Tolvansson' }] },
})
const composition = (subject: string, extra: object = {}) => ({
  resourceType: 'Composition',
  status: 'final',
  type: { text: 'Discharge summary' },
  date: '2024-05-01',
  title: 'Discharge summary',
  author: [{ display: 'Dr. Ek' }],
  subject: { reference: subject },
  ...extra,
})

describe('validateReferences: Bundle-local references', () => {
  it('resolves a urn:uuid reference to the entry with that fullUrl', () => {
    const b = bundle('collection', [
      patientEntry(),
      { fullUrl: OTHER_UUID, resource: observation({ reference: PATIENT_UUID }) },
    ])
    expect(found(b)).toEqual([])
  })

  it('reports a urn:uuid reference that no entry carries, at the reference', () => {
    const b = bundle('collection', [
      patientEntry(),
      {
        fullUrl: OTHER_UUID,
        resource: observation({ reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' }),
      },
    ])
    expect(found(b)).toEqual([
      {
        pointer: '/entry/1/resource/subject/reference',
        code: 'not-found',
        message: expect.stringContaining(
          '"urn:uuid:00000000-0000-4000-8000-000000000000" matches no entry\'s fullUrl',
        ),
      },
    ])
  })

  it('reports a urn:uuid reference in a resource that is not in a Bundle', () => {
    expect(found(observation({ reference: PATIENT_UUID }))).toEqual([
      {
        pointer: '/subject/reference',
        code: 'not-found',
        message: expect.stringContaining('only be resolved inside a Bundle'),
      },
    ])
  })

  it('resolves urn:oid references too, and reports an unresolved one', () => {
    const oid = 'urn:oid:1.2.752.129.2.1.4.1'
    const b = bundle('collection', [
      patientEntry(oid),
      { fullUrl: OTHER_UUID, resource: observation({ reference: oid }) },
    ])
    expect(found(b)).toEqual([])
    const missing = bundle('collection', [{ fullUrl: OTHER_UUID, resource: observation({ reference: oid }) }])
    expect(found(missing).map((i) => i.code)).toEqual(['not-found'])
  })

  it('resolves a relative reference by the type and id of an entry, whatever its fullUrl', () => {
    const b = bundle('document', [
      { fullUrl: OTHER_UUID, resource: composition('Patient/p1') },
      patientEntry(PATIENT_UUID, 'p1'),
    ])
    expect(found(b)).toEqual([])
  })

  it("resolves a relative reference against the base of the entry's RESTful fullUrl", () => {
    const b = bundle('document', [
      {
        fullUrl: 'https://fhir.example.se/r4/Composition/c1',
        resource: { ...composition('Patient/p1'), id: 'c1' },
      },
      patientEntry('https://fhir.example.se/r4/Patient/p1'),
    ])
    expect(found(b)).toEqual([])
  })

  it("reports a relative reference from a document's Composition that the Bundle does not include", () => {
    const b = bundle('document', [
      { fullUrl: OTHER_UUID, resource: composition('Patient/p1') },
      patientEntry(),
    ])
    expect(found(b)).toEqual([
      {
        pointer: '/entry/0/resource/subject/reference',
        code: 'not-found',
        message: expect.stringContaining('"Patient/p1" matches no entry in the document Bundle'),
      },
    ])
  })

  it('reports an absolute URL from the Composition that no entry has as fullUrl', () => {
    const b = bundle('document', [
      { fullUrl: OTHER_UUID, resource: composition('https://fhir.example.se/r4/Patient/p1') },
    ])
    expect(found(b).map((i) => i.pointer)).toEqual(['/entry/0/resource/subject/reference'])
  })

  it('accepts what the Composition says of other documents (relatesTo), and references from other entries', () => {
    const b = bundle('document', [
      {
        fullUrl: OTHER_UUID,
        resource: composition(PATIENT_UUID, {
          relatesTo: [{ code: 'replaces', targetReference: { reference: 'Composition/older' } }],
        }),
      },
      {
        fullUrl: PATIENT_UUID,
        resource: { resourceType: 'Patient', managingOrganization: { reference: 'Organization/o1' } },
      },
    ])
    expect(found(b)).toEqual([])
  })

  it("reports a message's focus that the Bundle does not include, not other references", () => {
    const b = bundle('message', [
      {
        fullUrl: OTHER_UUID,
        resource: {
          resourceType: 'MessageHeader',
          eventCoding: { system: 'http://example.org/events', code: 'admin-notify' },
          source: { endpoint: 'https://fhir.example.se/r4' },
          sender: { reference: 'Organization/o1' },
          focus: [{ reference: 'Patient/p1' }],
        },
      },
    ])
    expect(found(b).map((i) => i.pointer)).toEqual(['/entry/0/resource/focus/0/reference'])
  })

  it('accepts a relative reference another kind of Bundle does not include: it may be on the server', () => {
    for (const type of ['collection', 'searchset', 'transaction', 'batch', 'history'])
      expect(
        found(bundle(type, [{ fullUrl: OTHER_UUID, resource: observation({ reference: 'Patient/p1' }) }])),
      ).toEqual([])
  })

  it('matches a version-specific reference by meta.versionId', () => {
    const entry = {
      fullUrl: PATIENT_UUID,
      resource: { resourceType: 'Patient', id: 'p1', meta: { versionId: '2' } },
    }
    const doc = (ref: string) =>
      bundle('document', [{ fullUrl: OTHER_UUID, resource: composition(ref) }, entry])
    expect(found(doc('Patient/p1/_history/2'))).toEqual([])
    expect(found(doc('Patient/p1/_history/1')).map((i) => i.code)).toEqual(['not-found'])
  })

  it('resolves references in a Bundle within a Bundle against the inner one, then the outer', () => {
    const inner = bundle('collection', [
      { fullUrl: OTHER_UUID, resource: observation({ reference: PATIENT_UUID }) },
    ])
    expect(
      found(
        bundle('collection', [
          patientEntry(),
          { fullUrl: 'urn:uuid:5e8f3a21-7c9d-4b6e-a1f0-2d3c4b5a6978', resource: inner },
        ]),
      ),
    ).toEqual([])
    expect(found(inner).map((i) => i.pointer)).toEqual(['/entry/0/resource/subject/reference'])
  })

  it('accepts a conditional reference in a transaction only', () => {
    const ref = {
      reference: 'Patient?identifier=http://electronichealth.se/identifier/personnummer|191212121212',
    }
    const entry = {
      fullUrl: OTHER_UUID,
      resource: observation(ref),
      request: { method: 'POST', url: 'Observation' },
    }
    expect(found(bundle('transaction', [entry]))).toEqual([])
    expect(found(observation(ref))).toEqual([
      {
        pointer: '/subject/reference',
        code: 'value',
        message: expect.stringContaining('only a transaction Bundle may carry'),
      },
    ])
  })
})

describe('validateReferences: contained resources', () => {
  const contained = [{ resourceType: 'Patient', id: 'pat', name: [{ family: 'Tolvansson' }] }]

  it('resolves #id to a contained resource, and # to the container', () => {
    expect(found(observation({ reference: '#pat' }, { contained }))).toEqual([])
    // '#' resolves to the container, an Observation here, so its type is judged: Patient.link.other
    // may refer only to a Patient or RelatedPerson.
    const withBack = [{ ...contained[0], link: [{ other: { reference: '#' }, type: 'seealso' }] }]
    expect(found(observation({ reference: '#pat' }, { contained: withBack }))).toEqual([
      {
        code: 'structure',
        message:
          'The reference "#" is to an Observation, but only Patient or RelatedPerson may be referenced here',
        pointer: '/contained/0/link/0/other/reference',
      },
    ])
  })

  it('reports #id with no contained resource of that id, naming the ids there are', () => {
    expect(found(observation({ reference: '#patient' }, { contained }))).toEqual([
      {
        pointer: '/subject/reference',
        code: 'not-found',
        message: 'The local reference "#patient" matches no contained resource (the ids contained are "pat")',
      },
    ])
    expect(found(observation({ reference: '#pat' }))[0]?.message).toContain('the resource contains none')
  })

  it("resolves #id in a contained resource among its container's contained resources", () => {
    const org = { resourceType: 'Organization', id: 'org', name: 'Vårdcentralen' }
    const pat = { resourceType: 'Patient', id: 'pat', managingOrganization: { reference: '#org' } }
    expect(found(observation({ reference: '#pat' }, { contained: [pat, org] }))).toEqual([])
  })

  it("resolves #id in a Bundle entry against that entry's own contained resources", () => {
    const entry = { fullUrl: OTHER_UUID, resource: observation({ reference: '#pat' }, { contained }) }
    expect(
      found(
        bundle('collection', [
          entry,
          { fullUrl: PATIENT_UUID, resource: observation({ reference: '#pat' }) },
        ]),
      ).map((i) => i.pointer),
    ).toEqual(['/entry/1/resource/subject/reference'])
  })
})

describe('validateReferences: syntax', () => {
  const at = (ref: string) => found(observation({ reference: ref }))

  it('accepts [type]/[id], [type]/[id]/_history/[version] and absolute URLs', () => {
    for (const ref of [
      'Patient/p1',
      'Patient/1.2-x',
      'Patient/p1/_history/3',
      'https://fhir.example.se/r4/Patient/p1',
      'http://example.org/any/path',
    ])
      expect(at(ref), ref).toEqual([])
  })

  it('reports a urn:uuid that is not a UUID', () => {
    for (const ref of ['urn:uuid:1234', 'urn:uuid:3F2C9A1E-8B4D-4C7E-9A56-2D1F0E7B8C43'])
      expect(at(ref), ref).toEqual([
        {
          pointer: '/subject/reference',
          code: 'value',
          message: expect.stringContaining('is not a valid UUID'),
        },
      ])
    expect(at('urn:oid:1.2.x')[0]?.message).toContain('is not a valid OID')
  })

  it('reports a relative reference not of the form [type]/[id]', () => {
    for (const ref of ['Patient', 'Patient/p1/extra', '/Patient/p1', 'Patient/p1/_history/'])
      expect(at(ref), ref).toEqual([
        {
          pointer: '/subject/reference',
          code: 'value',
          message: expect.stringContaining('is not a valid reference'),
        },
      ])
  })

  it('reports a type that is not an R4 resource type', () => {
    expect(at('Patiënt/p1')).toEqual([
      {
        pointer: '/subject/reference',
        code: 'value',
        message: 'The reference "Patiënt/p1" names "Patiënt", which is not an R4 resource type',
      },
    ])
    // Abstract types and data types name no resource either.
    expect(at('DomainResource/p1').map((i) => i.code)).toEqual(['value'])
    expect(at('HumanName/p1').map((i) => i.code)).toEqual(['value'])
  })

  it('reports an id or version that is not a FHIR id', () => {
    expect(at('Patient/p_1')[0]?.message).toContain('has an invalid id "p_1"')
    expect(at(`Patient/${'x'.repeat(65)}`).map((i) => i.code)).toEqual(['value'])
    expect(at('Patient/p1/_history/v 2')[0]?.message).toContain('invalid version')
  })

  it('finds References wherever the model puts them: data types, choice types, extensions, nested items', () => {
    const resource = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      _authored: { extension: [{ url: 'http://example.org/by', valueReference: { reference: 'Bad' } }] },
      author: { reference: 'Practitioner/p1', identifier: { value: '1', assigner: { reference: 'Bad' } } },
      item: [{ linkId: '1', item: [{ linkId: '1.1', answer: [{ valueReference: { reference: 'Bad' } }] }] }],
    }
    expect(found(resource).map((i) => i.pointer)).toEqual([
      '/_authored/extension/0/valueReference/reference',
      '/author/identifier/assigner/reference',
      '/item/0/item/0/answer/0/valueReference/reference',
    ])
  })

  it('offsets pointers by where the resource sits, and names the element by FHIRPath', () => {
    const [issue] = validateReferences(observation({ reference: 'Bad' }), '/resources/2')
    expect(issue).toMatchObject({
      check: 'reference',
      severity: 'error',
      pointer: '/resources/2/subject/reference',
      expression: 'Observation.subject.reference',
    })
  })
})

describe('validateReferences: Reference.type', () => {
  it('accepts a type that agrees with the reference, by name or by StructureDefinition URL', () => {
    expect(found(observation({ reference: 'Patient/p1', type: 'Patient' }))).toEqual([])
    const url = 'http://hl7.org/fhir/StructureDefinition/Patient'
    expect(found(observation({ reference: 'Patient/p1', type: url }))).toEqual([])
    // Another absolute URL names a logical model, which has no resource type to compare.
    expect(found(observation({ reference: 'Patient/p1', type: 'http://example.org/Model' }))).toEqual([])
  })

  it('reports a type that disagrees with the type the reference names', () => {
    expect(found(observation({ reference: 'Patient/p1', type: 'Practitioner' }))).toEqual([
      {
        pointer: '/subject/type',
        code: 'structure',
        message:
          'The type "Practitioner" does not agree with the reference "Patient/p1", which is to a Patient',
      },
    ])
  })

  it('reports a type that disagrees with the resource the reference resolves to', () => {
    const b = bundle('collection', [
      patientEntry(),
      { fullUrl: OTHER_UUID, resource: observation({ reference: PATIENT_UUID, type: 'Group' }) },
    ])
    expect(found(b).map((i) => i.pointer)).toEqual(['/entry/1/resource/subject/type'])
  })
})

describe('validateReferences: target types', () => {
  // The generated model carries targets once scripts/build-fhir.js copies them from the
  // StructureDefinitions' targetProfile; the test gives Observation.subject R4's own list if not.
  const subject = r4().types.Observation!.children.Observation!.find((d) => d.name === 'subject')!
  const saved = subject.targets
  beforeAll(() => {
    subject.targets ??= ['Patient', 'Group', 'Device', 'Location']
  })
  afterAll(() => {
    subject.targets = saved
  })

  it('accepts a reference to a type the element allows', () => {
    expect(found(observation({ reference: 'Patient/p1' }))).toEqual([])
    expect(found(observation({ reference: 'https://fhir.example.se/r4/Group/g1' }))).toEqual([])
  })

  it('reports a reference whose text names a type the element does not allow', () => {
    expect(found(observation({ reference: 'Practitioner/pr1' }))).toEqual([
      {
        pointer: '/subject/reference',
        code: 'structure',
        message:
          'The reference "Practitioner/pr1" is to a Practitioner, but only Patient, Group, Device or Location may be referenced here',
      },
    ])
  })

  it('reports a reference that resolves to a resource of a type the element does not allow', () => {
    const practitioner = { resourceType: 'Practitioner', id: 'pr' }
    expect(
      found(observation({ reference: '#pr' }, { contained: [practitioner] })).map((i) => i.code),
    ).toEqual(['structure'])
    const b = bundle('collection', [
      { fullUrl: PATIENT_UUID, resource: practitioner },
      { fullUrl: OTHER_UUID, resource: observation({ reference: PATIENT_UUID }) },
    ])
    expect(found(b).map((i) => i.pointer)).toEqual(['/entry/1/resource/subject/reference'])
  })

  it('reports the type of a logical reference (identifier only) the element does not allow', () => {
    expect(found(observation({ type: 'Practitioner', identifier: { value: '1' } }))).toEqual([
      {
        pointer: '/subject/type',
        code: 'structure',
        message: expect.stringContaining('"Practitioner" is not allowed'),
      },
    ])
  })
})
