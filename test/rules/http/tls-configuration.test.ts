import { describe, expect, it } from 'vitest'
import rule, { certificateCovers } from '../../../src/rules/http/tls-configuration.js'
import { testRule } from '../../../src/testing/vitest.js'
import { document, live, manifest, tls } from './fixtures.js'

const cert = (over: object) => ({
  subjectAltNames: ['api.bokslut.example'],
  validFrom: '2026-09-01T00:00:00Z',
  validTo: '2027-09-01T00:00:00Z',
  trusted: true,
  ...over,
})

testRule(rule, {
  valid: [
    { name: 'TLS 1.3, trusted certificate for the host', manifest, document, live: live([], [tls()]) },
    {
      name: 'TLS 1.2 with a wildcard certificate',
      manifest,
      document,
      live: live(
        [],
        [tls({ protocol: 'TLSv1.2', certificate: cert({ subjectAltNames: ['*.bokslut.example'] }) })],
      ),
    },
  ],
  invalid: [
    {
      name: 'TLS 1.1 negotiated, TLS 1.0 still accepted',
      manifest,
      document,
      live: live([], [tls({ protocol: 'TLSv1.1', legacyAccepted: ['TLSv1', 'TLSv1.1'] })]),
      errors: [
        {
          messageId: 'old-protocol',
          pointer: '/apis/0/environments/production',
          source: 'interop.yaml',
          line: 8,
        },
        { messageId: 'legacy-accepted', pointer: '/apis/0/environments/production' },
      ],
    },
    {
      name: 'self-signed certificate for another name',
      manifest,
      document,
      live: live(
        [],
        [
          tls({
            certificate: cert({
              trusted: false,
              trustError: 'self-signed certificate',
              subjectAltNames: ['localhost'],
            }),
          }),
        ],
      ),
      errors: [{ messageId: 'untrusted' }, { messageId: 'name-mismatch' }],
    },
    {
      name: 'a certificate expiring in 10 days, and an expired one on the sandbox',
      manifest,
      document,
      live: live(
        [],
        [
          tls({ certificate: cert({ validTo: '2026-12-04T12:00:00Z' }) }),
          tls(
            {
              certificate: cert({
                subjectAltNames: ['sandbox.bokslut.example'],
                validTo: '2026-11-01T00:00:00Z',
              }),
            },
            'sandbox',
          ),
        ],
      ),
      errors: [
        { messageId: 'expiring', pointer: '/apis/0/environments/production' },
        { messageId: 'expired', pointer: '/apis/0/environments/sandbox', line: 9 },
      ],
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'no host answered',
      manifest,
      document,
      live: live([], [tls({ error: 'connect ECONNREFUSED', protocol: undefined })]),
    },
  ],
})

describe('certificate names', () => {
  it('match exactly or through one wildcard label', () => {
    expect(certificateCovers('*.example.org', 'api.example.org')).toBe(true)
    expect(certificateCovers('*.example.org', 'a.b.example.org')).toBe(false)
    expect(certificateCovers('API.example.org', 'api.example.org')).toBe(true)
    expect(certificateCovers('example.org', 'api.example.org')).toBe(false)
  })
})
