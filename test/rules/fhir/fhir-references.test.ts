import references from '../../../src/rules/fhir/fhir-references.js'
import { testRule } from '../../../src/testing/vitest.js'
import { observation, patient, valid, notChecked, notApplicable, one } from './fixtures.js'

const PATIENT = 'urn:uuid:3f2c9a1e-8b4d-4c7e-9a56-2d1f0e7b8c43'
const OBSERVATION = 'urn:uuid:9b1d7c52-0e4a-4f3b-8d26-71c5e0a4b9f8'

testRule(references, {
  valid: [
    valid,
    one('a Bundle whose urn:uuid reference matches an entry', {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: PATIENT, resource: patient },
        { fullUrl: OBSERVATION, resource: { ...observation, subject: { reference: PATIENT } } },
      ],
    }),
  ],
  invalid: [
    {
      ...one('a urn:uuid reference no entry carries, and a local reference with nothing contained', {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { fullUrl: PATIENT, resource: patient },
          {
            fullUrl: OBSERVATION,
            resource: {
              ...observation,
              subject: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
              performer: [{ reference: '#author' }],
            },
          },
        ],
      }),
      errors: [
        { messageId: 'issue', pointer: '/entry/1/resource/subject/reference', source: 'fhir/r.json' },
        { messageId: 'issue', pointer: '/entry/1/resource/performer/0/reference', source: 'fhir/r.json' },
      ],
    },
    {
      ...one('a reference to an unknown type, and a Reference.type that disagrees', {
        ...observation,
        subject: { reference: 'Patient/p1', type: 'Group' },
        performer: [{ reference: 'Practicioner/d1' }],
      }),
      errors: [
        { messageId: 'issue', pointer: '/subject/type' },
        { messageId: 'issue', pointer: '/performer/0/reference' },
      ],
    },
  ],
  notChecked,
  notApplicable,
})
