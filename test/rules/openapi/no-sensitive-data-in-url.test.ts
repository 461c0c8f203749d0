import { describe, expect, it } from 'vitest'
import rule, { classifyName } from '../../../src/rules/openapi/no-sensitive-data-in-url.js'
import {
  danishCprNumber,
  findIdentityNumbers,
  finnishIdentityCode,
  luhnValid,
  norwegianBirthNumber,
  swedishPersonalNumber,
} from '../../../src/rules/openapi/util-cloud.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const ok = { '200': { description: 'ok' } }
const str = { type: 'string' }
const doc = (paths: object, extra: object = {}) => ({ openapi: '3.1.0', info, paths, ...extra })
const get = (parameters: object[], path = '/people') => ({ [path]: { get: { parameters, responses: ok } } })
const query = (name: string, extra: object = {}) => ({ name, in: 'query', schema: str, ...extra })

testRule(rule, {
  valid: [
    {
      name: 'names about secrets, and keys that are not credentials (as in GitHub’s API)',
      document: doc({
        ...get(
          [query('secret_type'), query('hide_secret'), query('exclude_secret_types'), query('key')],
          '/alerts',
        ),
        ...get([{ name: 'secret_name', in: 'path', required: true, schema: str }], '/secrets/{secret_name}'),
        ...get([{ name: 'key', in: 'path', required: true, schema: str }], '/codes-of-conduct/{key}'),
      }),
    },
    {
      name: 'identity numbers and credentials in headers and bodies',
      document: doc({
        '/people/search': {
          post: {
            parameters: [{ name: 'Authorization', in: 'header', schema: str }],
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { personnummer: str } },
                  example: { personnummer: '19121212-1212' },
                },
              },
            },
            responses: ok,
          },
        },
      }),
    },
    {
      name: 'ordinary ids, pagination tokens and keys that are not credentials',
      document: doc(
        get([
          query('pageToken'),
          query('nextPageToken'),
          query('sortKey'),
          query('keyword'),
          query('sessionDate'),
          query('tokenType'),
          query('orderId', { example: '1212121212' }),
          query('phone', { example: '0701234567' }),
        ]),
      ),
    },
    {
      name: 'numbers that fail the check digits or the date are not identity numbers',
      document: doc(
        get([
          query('ref', { example: '19121212-1213' }),
          query('code', { example: '19121312-1212' }),
          query('n', { example: '01019012058' }),
          query('k', { example: '310299-1234' }),
        ]),
      ),
    },
    {
      name: 'API keys in a header',
      document: doc(get([]), {
        components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'Api-Key' } } },
      }),
    },
    {
      name: 'Swagger 2 with an identity number in a body parameter',
      document: {
        swagger: '2.0',
        info,
        securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'Api-Key' } },
        paths: {
          '/people': {
            post: {
              parameters: [
                { name: 'body', in: 'body', schema: { type: 'object', properties: { ssn: str } } },
              ],
              responses: ok,
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'identity numbers as path and query parameters',
      document: doc({
        '/people/{personnummer}': {
          get: {
            parameters: [
              { name: 'personnummer', in: 'path', required: true, schema: str, example: '19121212-1212' },
              query('patient_ssn'),
              query('fødselsnummer'),
              query('d-nummer'),
              query('personalIdentityNumber'),
              query('cprNumber'),
              query('hetu'),
            ],
            responses: ok,
          },
        },
      }),
      errors: [0, 1, 2, 3, 4, 5, 6].map((i) => ({
        messageId: 'identity-number',
        pointer: `/paths/~1people~1{personnummer}/get/parameters/${i}/name`,
      })),
    },
    {
      name: 'secrets as query parameters',
      document: doc(
        get([
          query('password'),
          query('client_secret'),
          query('access_token'),
          query('api_key'),
          query('subscription-key'),
          query('sessionId'),
          query('token'),
        ]),
      ),
      errors: [0, 1, 2, 3, 4, 5, 6].map((i) => ({
        messageId: 'secret',
        pointer: `/paths/~1people/get/parameters/${i}/name`,
      })),
    },
    {
      name: 'example values that are Nordic identity numbers',
      document: doc(
        get([
          query('id', { example: '811218-9876' }),
          query('who', { schema: { type: 'string', example: 191212121212 } }),
          query('subject', { examples: { a: { value: '15076500050' } } }),
          query('ref', { schema: { type: 'string', enum: ['070761-4285'] } }),
          query('q', { example: ['131052-308T'] }),
          query('s', { example: '701063-2383' }),
        ]),
      ),
      errors: [
        { messageId: 'identity-number-example', pointer: '/paths/~1people/get/parameters/0/example' },
        { messageId: 'identity-number-example', pointer: '/paths/~1people/get/parameters/1/schema/example' },
        {
          messageId: 'identity-number-example',
          pointer: '/paths/~1people/get/parameters/2/examples/a/value',
        },
        { messageId: 'identity-number-example', pointer: '/paths/~1people/get/parameters/3/schema/enum' },
        { messageId: 'identity-number-example', pointer: '/paths/~1people/get/parameters/4/example' },
        { messageId: 'identity-number-example', pointer: '/paths/~1people/get/parameters/5/example' },
      ],
    },
    {
      name: 'an identity number in a path and in a server URL with an API key',
      document: doc(
        { '/people/19121212-1212': { get: { responses: ok } } },
        { servers: [{ url: 'https://api.bokslut.example/v1?apikey=abc' }] },
      ),
      errors: [
        { messageId: 'identity-number-example', pointer: '/paths/~1people~119121212-1212' },
        { messageId: 'secret', pointer: '/servers/0/url' },
      ],
    },
    {
      name: 'API keys in the query string and in a cookie',
      document: doc(get([]), {
        components: {
          securitySchemes: {
            queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
            cookieKey: { type: 'apiKey', in: 'cookie', name: 'key' },
          },
        },
      }),
      errors: [
        { messageId: 'api-key-in-query', pointer: '/components/securitySchemes/queryKey/in' },
        { messageId: 'api-key-in-query', pointer: '/components/securitySchemes/cookieKey/in' },
      ],
    },
    {
      name: 'Swagger 2 query parameters and API key',
      document: {
        swagger: '2.0',
        info,
        securityDefinitions: { key: { type: 'apiKey', in: 'query', name: 'key' } },
        paths: {
          '/people/{pnr}': {
            get: {
              parameters: [
                { name: 'pnr', in: 'path', required: true, type: 'string' },
                { name: 'ref', in: 'query', type: 'string', 'x-example': '19121212-1212' },
                { name: 'passwd', in: 'query', type: 'string' },
              ],
              responses: ok,
            },
          },
        },
      },
      errors: [
        { messageId: 'api-key-in-query', pointer: '/securityDefinitions/key/in' },
        { messageId: 'identity-number', pointer: '/paths/~1people~1{pnr}/get/parameters/0/name' },
        {
          messageId: 'identity-number-example',
          pointer: '/paths/~1people~1{pnr}/get/parameters/1/x-example',
        },
        { messageId: 'secret', pointer: '/paths/~1people~1{pnr}/get/parameters/2/name' },
      ],
    },
  ],
})

describe('identity number checks', () => {
  it('Swedish personnummer: Luhn check digit, valid date, samordningsnummer adds 60 to the day', () => {
    expect(luhnValid('8112189876')).toBe(true)
    expect(luhnValid('8112189875')).toBe(false)
    expect(swedishPersonalNumber('811218-9876')).toBe('personnummer')
    expect(swedishPersonalNumber('19811218-9876')).toBe('personnummer')
    expect(swedishPersonalNumber('198112189876')).toBe('personnummer')
    expect(swedishPersonalNumber('121212+1212')).toBe('personnummer')
    expect(swedishPersonalNumber('701063-2383')).toBe('samordningsnummer')
    expect(swedishPersonalNumber('8112189876')).toBeUndefined() // no separator: too ambiguous
    expect(swedishPersonalNumber('811318-9876')).toBeUndefined() // month 13
    expect(swedishPersonalNumber('19000229-0000')).toBeUndefined() // 1900 is not a leap year
  })
  it('Norwegian fødselsnummer: both mod 11 control digits and the date', () => {
    expect(norwegianBirthNumber('15076500050')).toBe('fødselsnummer')
    expect(norwegianBirthNumber('41019012040')).toBe('D-nummer')
    expect(norwegianBirthNumber('01819012012')).toBe('fødselsnummer') // synthetic test number, month + 80
    expect(norwegianBirthNumber('15076500051')).toBeUndefined() // second control digit
    expect(norwegianBirthNumber('15076500150')).toBeUndefined() // first control digit
    expect(norwegianBirthNumber('1507650005')).toBeUndefined()
  })
  it('Danish CPR: a valid date', () => {
    expect(danishCprNumber('070761-4285')).toBe(true)
    expect(danishCprNumber('290200-1234')).toBe(true)
    expect(danishCprNumber('290201-1234')).toBe(false)
    expect(danishCprNumber('310499-1234')).toBe(false)
    expect(danishCprNumber('0707614285')).toBe(false)
  })
  it('Finnish henkilötunnus: century sign and check character', () => {
    expect(finnishIdentityCode('131052-308T')).toBe(true)
    expect(finnishIdentityCode('010594Y9032')).toBe(true)
    expect(finnishIdentityCode('131052-308U')).toBe(false)
  })
  it('finds numbers inside longer texts, not inside longer digit runs', () => {
    expect(findIdentityNumbers('/people/19121212-1212/loans').map((m) => m.kind)).toEqual([
      'Swedish personnummer',
    ])
    expect(findIdentityNumbers('9191212121212')).toEqual([])
  })
  it('classifies names', () => {
    expect(classifyName('userSSN')).toEqual({ messageId: 'identity-number' })
    expect(classifyName('x-api-key')).toEqual({ messageId: 'secret', what: 'an API key' })
    expect(classifyName('continuationToken')).toBeUndefined()
    expect(classifyName('diarienummer')).toBeUndefined()
  })
})
