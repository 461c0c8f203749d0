import { describe, expect, it } from 'vitest'
import type { HttpExchange } from '../../../src/loaders/live.js'
import rule from '../../../src/rules/http/cors-live.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'
import { document, exchange, live, manifest } from './fixtures.js'

const ORIGIN = 'https://interop-check.invalid'
const BASES = { production: 'https://api.bokslut.example/v1', sandbox: 'https://sandbox.bokslut.example/v1' }
type Env = keyof typeof BASES

const withRequestHeaders = (e: HttpExchange, headers: Record<string, string>): HttpExchange => ({
  ...e,
  request: { ...e.request, headers: { ...e.request.headers, ...headers } },
})

/** The description, fetched as a browser on another origin does. */
const description = (headers: Record<string, string>, environment: Env = 'production', origin = true) =>
  withRequestHeaders(
    exchange(headers, {
      purpose: 'openapi',
      url: `${BASES[environment]}/openapi.json`,
      environment,
      body: '{"openapi": "3.1.0"}',
    }),
    origin ? { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1', origin: ORIGIN } : {},
  )

/** The CORS preflight for it. */
const preflight = (status: number, headers: Record<string, string>, environment: Env = 'production') =>
  withRequestHeaders(
    exchange(
      { 'content-type': '', ...headers },
      {
        purpose: 'cors-preflight',
        method: 'OPTIONS',
        url: `${BASES[environment]}/openapi.json`,
        environment,
        status,
      },
    ),
    { origin: ORIGIN, 'access-control-request-method': 'GET' },
  )

const ANY = { 'access-control-allow-origin': '*' }
const open = (environment: Env = 'production') => [
  preflight(204, { ...ANY, 'access-control-allow-methods': 'GET, HEAD, OPTIONS' }, environment),
  description(ANY, environment),
]

testRule(rule, {
  valid: [
    {
      name: 'Access-Control-Allow-Origin: * on the preflight and the description',
      manifest,
      document,
      live: live(open()),
    },
    {
      name: 'the origin echoed back, with Vary: Origin',
      manifest,
      document,
      live: live([
        preflight(200, { 'access-control-allow-origin': ORIGIN, vary: 'Origin' }),
        description({ 'access-control-allow-origin': ORIGIN, vary: 'Origin' }),
      ]),
    },
    {
      name: 'a preflight answer that lists no methods, or all with *',
      manifest,
      document,
      live: live([
        preflight(204, ANY),
        description(ANY),
        preflight(204, { ...ANY, 'access-control-allow-methods': '*' }, 'sandbox'),
        description(ANY, 'sandbox'),
      ]),
    },
    {
      name: 'a preflight that lists only writing methods: GET is safelisted and still goes through',
      manifest,
      document,
      live: live([preflight(204, { ...ANY, 'access-control-allow-methods': 'POST, PUT' }), description(ANY)]),
    },
    {
      name: 'methods listed in lower case',
      manifest,
      document,
      live: live([
        preflight(204, { ...ANY, 'access-control-allow-methods': 'options,get' }),
        description(ANY),
      ]),
    },
    {
      name: 'a recording of the description fetched without an Origin',
      manifest,
      document,
      live: live([preflight(204, ANY), description({}, 'production', false)]),
    },
    { name: 'open on every environment', manifest, document, live: live([...open(), ...open('sandbox')]) },
  ],
  invalid: [
    {
      name: 'the preflight is refused, the description itself is open',
      manifest,
      document,
      live: live([preflight(405, {}), description(ANY)]),
      errors: [
        {
          messageId: 'preflight-refused',
          pointer: '/apis/0/environments/production',
          source: 'interop.yaml',
        },
      ],
    },
    {
      name: 'no CORS at all',
      manifest,
      document,
      live: live([preflight(403, {}), description({})]),
      errors: [{ messageId: 'preflight-refused' }, { messageId: 'no-allow-origin' }],
    },
    {
      name: 'the preflight answers 204 without Access-Control-Allow-Origin',
      manifest,
      document,
      live: live([preflight(204, { 'access-control-allow-methods': 'GET' }), description(ANY)]),
      errors: [{ messageId: 'no-allow-origin' }],
    },
    {
      name: 'only the vendor’s own developer portal is allowed',
      manifest,
      document,
      live: live([
        preflight(204, { 'access-control-allow-origin': 'https://developer.bokslut.example' }),
        description({ 'access-control-allow-origin': 'https://developer.bokslut.example' }),
      ]),
      errors: [{ messageId: 'no-allow-origin' }, { messageId: 'no-allow-origin' }],
    },
    {
      name: 'the header sent twice, by the service and its gateway',
      manifest,
      document,
      live: live([preflight(204, ANY), description({ 'access-control-allow-origin': '*, *' })]),
      errors: [{ messageId: 'no-allow-origin' }],
    },
    {
      name: 'the sandbox is not configured for CORS',
      manifest,
      document,
      live: live([...open(), preflight(204, {}, 'sandbox'), description({}, 'sandbox')]),
      errors: [
        { messageId: 'no-allow-origin', pointer: '/apis/0/environments/sandbox' },
        { messageId: 'no-allow-origin', pointer: '/apis/0/environments/sandbox' },
      ],
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'the description was not found, so no preflight was made',
      manifest,
      document,
      live: live([
        exchange({ 'content-type': 'application/problem+json' }, { purpose: 'openapi', status: 404 }),
      ]),
    },
    {
      name: 'the preflight was not answered',
      manifest,
      document,
      live: live([{ ...preflight(204, ANY), response: undefined, error: 'ETIMEDOUT' }, description(ANY)]),
    },
  ],
})

describe('cors-live messages', () => {
  it('says which request lacked the header and what it answered', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'messages',
      manifest,
      document,
      live: live([
        preflight(204, ANY),
        description({ 'access-control-allow-origin': 'https://developer.bokslut.example' }),
      ]),
    })
    expect(outcome.findings.map((f) => f.message)).toEqual([
      `GET ${BASES.production}/openapi.json with Origin: ${ORIGIN} answered 200 with Access-Control-Allow-Origin: https://developer.bokslut.example; expected Access-Control-Allow-Origin: * (or ${ORIGIN}).`,
    ])
    expect(outcome.findings[0]!.evidence?.http).toMatchObject({
      method: 'GET',
      headers: { 'access-control-allow-origin': 'https://developer.bokslut.example' },
    })
  })

  it('names the refused preflight', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'refused',
      manifest,
      document,
      live: live([preflight(405, {}), description(ANY)]),
    })
    expect(outcome.findings[0]!.message).toBe(
      `OPTIONS ${BASES.production}/openapi.json, a CORS preflight from ${ORIGIN} for GET, answered 405; expected 2xx (e.g. 204) with Access-Control-Allow-Origin.`,
    )
  })
})
