import rule from '../../../src/rules/fhir/fhir-smart-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { live } from '../http/fixtures.js'
import { capability, fhirExchange, manifest, outcome, searchset, server, smart } from './fixtures-live.js'

const config = (body: unknown, status = 200) => ({
  'fhir-smart': fhirExchange(
    'fhir-smart',
    '.well-known/smart-configuration',
    status,
    body,
    'application/json',
  ),
})

testRule(rule, {
  valid: [{ name: 'a complete configuration, agreeing with metadata, enforced', manifest, live: server() }],
  invalid: [
    {
      name: 'SMART declared but no configuration published',
      manifest,
      live: server(config(outcome, 404)),
      errors: [{ messageId: 'no-configuration' }],
    },
    {
      name: 'no token endpoint or jwks_uri, plain PKCE, another token URL than metadata',
      manifest,
      live: server(
        config({
          ...smart,
          token_endpoint: undefined,
          jwks_uri: undefined,
          authorization_endpoint: 'https://login.vardkedjan.example/oauth/authorize',
          code_challenge_methods_supported: ['S256', 'plain'],
        }),
      ),
      errors: [{ messageId: 'missing-fields' }, { messageId: 'pkce' }, { messageId: 'disagrees' }],
    },
    {
      name: 'patients served without a token',
      manifest,
      live: server({
        'fhir-unauthenticated': fhirExchange('fhir-unauthenticated', 'Patient?_count=1', 200, searchset),
      }),
      errors: [{ messageId: 'no-auth-required' }],
    },
  ],
  notApplicable: [
    { name: 'no FHIR endpoint was probed', manifest, live: live([]) },
    {
      name: 'a server without SMART',
      manifest,
      live: server({
        'fhir-metadata': fhirExchange('fhir-metadata', 'metadata', 200, {
          ...capability,
          rest: [{ mode: 'server' }],
        }),
        ...config(undefined, 404),
      }),
    },
  ],
})
