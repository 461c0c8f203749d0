import type { ProbePurpose } from '../../../src/loaders/live.js'
import rule from '../../../src/rules/http/api-version-live.js'
import { testRule } from '../../../src/testing/vitest.js'
import { exchange, live, manifest } from './fixtures.js'

const BASE = 'https://api.bokslut.example/v1'
const SANDBOX = 'https://sandbox.bokslut.example/v1'
const AT = { pointer: '/apis/0/environments/production', source: 'interop.yaml' }

const document = {
  openapi: '3.1.0',
  info: { title: 'Open Loans', version: '1.4.0' },
  servers: [{ url: BASE }],
  paths: {},
}

const answer = (
  headers: Record<string, string>,
  purpose: ProbePurpose,
  path: string,
  over: { status?: number; environment?: 'production' | 'sandbox' } = {},
) =>
  exchange(headers, {
    purpose,
    url: `${over.environment === 'sandbox' ? SANDBOX : BASE}${path}`,
    status: over.status ?? 200,
    ...(over.environment ? { environment: over.environment } : {}),
  })

const v = (version: string) => ({ 'api-version': version })

testRule(rule, {
  valid: [
    {
      name: 'every answer of the API names 1.4.0, errors included',
      manifest,
      document,
      live: live([
        answer(v('1.4.0'), 'base', ''),
        answer(v('1.4.0'), 'health', '/health'),
        answer(v('1.4.0'), 'unknown-path', '/interop-check-no-such-path', { status: 404 }),
        answer(v('1.4.0'), 'invalid-request', '/loans?limit=-1', { status: 400 }),
        answer(v('1.4.0'), 'operation', '/loans', { status: 401 }),
      ]),
    },
    {
      name: 'surrounding whitespace in the header value',
      manifest,
      document,
      live: live([answer(v(' 1.4.0 '), 'base', '')]),
    },
    {
      name: 'the published description and the identity provider are not the API',
      manifest,
      document,
      live: live([
        answer(v('1.4.0'), 'base', ''),
        answer({}, 'openapi', '/openapi.json'),
        answer({}, 'cors-preflight', '/openapi.json', { status: 204 }),
        answer({}, 'auth-metadata', '/.well-known/openid-configuration'),
      ]),
    },
    {
      name: 'another header name, as an option',
      manifest,
      document,
      options: { header: 'Api-Version-Full' },
      live: live([answer({ 'api-version-full': '1.4.0', 'api-version': '1' }, 'base', '')]),
    },
    {
      name: 'a call without an answer beside one that answered',
      manifest,
      document,
      live: live([
        { ...answer({}, 'health', '/health'), response: undefined, error: 'timeout after 10 s' },
        answer(v('1.4.0'), 'base', ''),
      ]),
    },
  ],
  invalid: [
    {
      name: 'no API-Version header, reported once per base URL',
      manifest,
      document,
      live: live([
        answer({}, 'base', ''),
        answer({}, 'unknown-path', '/interop-check-no-such-path', { status: 404 }),
        answer({}, 'base', '', { environment: 'sandbox' }),
      ]),
      errors: [
        { messageId: 'missing', ...AT },
        { messageId: 'missing', pointer: '/apis/0/environments/sandbox' },
      ],
    },
    {
      name: 'an empty API-Version header',
      manifest,
      document,
      live: live([answer(v(''), 'base', '')]),
      errors: [{ messageId: 'missing' }],
    },
    {
      name: 'only the major version',
      manifest,
      document,
      live: live([answer(v('1'), 'operation', '/loans')]),
      errors: [{ messageId: 'mismatch', ...AT }],
    },
    {
      name: 'a v prefix is not the version of the description',
      manifest,
      document,
      live: live([answer(v('v1.4.0'), 'base', '')]),
      errors: [{ messageId: 'mismatch' }],
    },
    {
      name: 'the sandbox runs a newer release, and an error page lacks the header',
      manifest,
      document,
      live: live([
        answer(v('1.4.0'), 'base', ''),
        answer({}, 'unknown-path', '/interop-check-no-such-path', { status: 404 }),
        answer(v('1.5.0-rc.1'), 'base', '', { environment: 'sandbox' }),
        answer(v('1.5.0-rc.1'), 'health', '/health', { environment: 'sandbox' }),
      ]),
      errors: [
        { messageId: 'missing', ...AT },
        { messageId: 'mismatch', pointer: '/apis/0/environments/sandbox' },
      ],
    },
    {
      name: 'the default header is not looked for under another option',
      manifest,
      document,
      options: { header: 'Api-Version-Full' },
      live: live([answer(v('1.4.0'), 'base', '')]),
      errors: [{ messageId: 'missing' }],
    },
  ],
  notApplicable: [
    {
      name: 'the description has no info.version',
      manifest,
      document: { ...document, info: { title: 'Open Loans' } },
      live: live([answer({}, 'base', '')]),
    },
    {
      name: 'info.version is a number, not a version string',
      manifest,
      document: 'openapi: 3.1.0\ninfo:\n  title: Open Loans\n  version: 1.4\npaths: {}\n',
      live: live([answer(v('1.4'), 'base', '')]),
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'only the description and the identity provider were asked',
      manifest,
      document,
      live: live([answer({}, 'openapi', '/openapi.json')]),
    },
    {
      name: 'nothing answered',
      manifest,
      document,
      live: live([{ ...answer({}, 'base', ''), response: undefined, error: 'ECONNREFUSED' }]),
    },
  ],
})
