import { expect, it } from 'vitest'
import type { HttpExchange } from '../../../src/loaders/live.js'
import rule from '../../../src/rules/http/problem-details-live.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'
import { document, exchange, live, manifest } from './fixtures.js'

const BASE = 'https://api.bokslut.example/v1'

const unknown = (status: number, type: string, body = '') =>
  exchange(
    { 'content-type': type },
    {
      purpose: 'unknown-path',
      status,
      body,
      url: `${BASE}/interop-check-no-such-path`,
    },
  )

const PROBLEM = '{"type": "about:blank", "title": "Bad Request", "status": 400}'

/** GET /loans with a limit its schema forbids (minimum 1). */
const badQuery = (status: number, type: string, body = PROBLEM, authenticated = false) =>
  exchange(
    { 'content-type': type },
    {
      purpose: 'invalid-request',
      operation: { method: 'GET', path: '/loans', operationId: 'listLoans' },
      invalid: { in: 'query', name: 'limit', value: '-1' },
      url: `${BASE}/loans?limit=-1`,
      status,
      body,
      authenticated,
    },
  )
/** GET /loans/{loanId} with a loan id that is not the UUID its schema asks for. */
const badPath = (status: number, type: string, body = PROBLEM) =>
  exchange(
    { 'content-type': type },
    {
      purpose: 'invalid-request',
      operation: { method: 'GET', path: '/loans/{loanId}', operationId: 'getLoan' },
      invalid: { in: 'path', name: 'loanId', value: 'not-a-uuid' },
      url: `${BASE}/loans/not-a-uuid`,
      status,
      body,
    },
  )
/** POST /loans with a body that is not JSON. */
const badBody = (status: number, type: string, body = PROBLEM) =>
  exchange(
    { 'content-type': type },
    {
      purpose: 'invalid-request',
      method: 'POST',
      operation: { method: 'POST', path: '/loans', operationId: 'createLoan' },
      invalid: { in: 'body', name: '', value: '{"bookId": ' },
      url: `${BASE}/loans`,
      status,
      body,
    },
  )
const unanswered = (e: HttpExchange, error: string): HttpExchange => ({ ...e, response: undefined, error })

testRule(rule, {
  valid: [
    {
      name: '404 with problem+json',
      manifest,
      document,
      live: live([unknown(404, 'application/problem+json; charset=utf-8')]),
    },
    {
      name: 'an authentication challenge as problem+json',
      manifest,
      document,
      live: live([unknown(401, 'application/problem+json')]),
    },
    {
      name: 'an invalid query value rejected with 400 and problem+json',
      manifest,
      document,
      live: live([
        unknown(404, 'application/problem+json'),
        badQuery(400, 'application/problem+json; charset=utf-8'),
      ]),
    },
    {
      name: 'a malformed body rejected with 422 and problem+xml',
      manifest,
      document,
      live: live([badBody(422, 'application/problem+xml', '<problem><status>422</status></problem>')]),
    },
    {
      name: 'an invalid path value may be answered 404',
      manifest,
      document,
      live: live([badPath(404, 'application/problem+json')]),
    },
    {
      name: 'a challenge to an unauthenticated invalid request is skipped',
      manifest,
      document,
      live: live([
        unknown(404, 'application/problem+json'),
        badQuery(401, 'text/html', '<html>Login</html>'),
      ]),
    },
    {
      name: 'a rate-limited invalid request is skipped',
      manifest,
      document,
      live: live([unknown(404, 'application/problem+json'), badQuery(429, 'text/plain', 'slow down')]),
    },
    {
      name: 'only the invalid requests answered',
      manifest,
      document,
      live: live([unanswered(unknown(404, 'x'), 'timeout'), badPath(400, 'application/problem+json')]),
    },
  ],
  invalid: [
    {
      name: 'a soft 404: 200 with an HTML page',
      manifest,
      document,
      live: live([unknown(200, 'text/html', '<html>Not found</html>')]),
      errors: [
        { messageId: 'not-an-error', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
      ],
    },
    {
      name: '404 with a proprietary JSON error',
      manifest,
      document,
      live: live([unknown(404, 'application/json', '{"errorCode": 17}')]),
      errors: [{ messageId: 'not-problem-json' }],
    },
    {
      name: 'a negative limit accepted',
      manifest,
      document,
      live: live([badQuery(200, 'application/json', '{"items": []}')]),
      errors: [
        { messageId: 'invalid-accepted', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
      ],
    },
    {
      name: 'an authenticated invalid request accepted',
      manifest,
      document,
      live: live([badQuery(200, 'application/json', '{"items": []}', true)]),
      errors: [{ messageId: 'invalid-accepted' }],
    },
    {
      name: 'a 400 with a proprietary JSON error',
      manifest,
      document,
      live: live([badQuery(400, 'application/json', '{"errorCode": 17}')]),
      errors: [{ messageId: 'invalid-not-problem' }],
    },
    {
      name: 'a 404 without a content type for a bad path value',
      manifest,
      document,
      live: live([{ ...badPath(404, ''), response: { status: 404, headers: {} } }]),
      errors: [{ messageId: 'invalid-not-problem' }],
    },
    {
      name: 'a malformed body crashes the service',
      manifest,
      document,
      live: live([badBody(500, 'text/html', '<html>Internal Server Error</html>')]),
      errors: [{ messageId: 'invalid-server-error' }],
    },
    {
      name: 'a bad query value answered 404 with problem+json',
      manifest,
      document,
      live: live([badQuery(404, 'application/problem+json')]),
      errors: [{ messageId: 'invalid-wrong-status' }],
    },
    {
      name: 'a malformed body answered 409 with plain text',
      manifest,
      document,
      live: live([badBody(409, 'text/plain', 'conflict')]),
      errors: [{ messageId: 'invalid-wrong-status' }, { messageId: 'invalid-not-problem' }],
    },
    {
      name: 'both kinds fail on both environments',
      manifest,
      document,
      live: live([
        unknown(200, 'text/html'),
        badQuery(200, 'application/json'),
        { ...badQuery(200, 'application/json'), target: exchange({}, { environment: 'sandbox' }).target },
      ]),
      errors: [
        { messageId: 'not-an-error' },
        { messageId: 'invalid-accepted', pointer: '/apis/0/environments/production' },
        { messageId: 'invalid-accepted', pointer: '/apis/0/environments/sandbox' },
      ],
    },
  ],
  notChecked: [
    { name: 'without the live checks', manifest, document },
    {
      name: 'nothing answered',
      manifest,
      document,
      live: live([{ ...unknown(404, 'x'), response: undefined, error: 'ECONNREFUSED' }]),
    },
    {
      name: 'neither kind answered',
      manifest,
      document,
      live: live([unanswered(unknown(404, 'x'), 'timeout'), unanswered(badQuery(400, 'x'), 'timeout')]),
    },
    {
      name: 'invalid requests only challenged, unknown path not answered',
      manifest,
      document,
      live: live([unanswered(unknown(404, 'x'), 'ECONNRESET'), badQuery(403, 'application/problem+json')]),
    },
    {
      name: 'no such request made',
      manifest,
      document,
      live: live([exchange({}, { purpose: 'base' })]),
    },
  ],
})

it('names the errors when neither kind was answered', async () => {
  const outcome = await runRuleCase(rule, {
    name: 'reason',
    manifest,
    document,
    live: live([unanswered(unknown(404, 'x'), 'ECONNRESET'), badQuery(403, 'application/problem+json')]),
  })
  expect(outcome.reason).toContain('no request for an unknown path was answered (ECONNRESET)')
  expect(outcome.reason).toContain('answered only with 403 before any validation')
})
