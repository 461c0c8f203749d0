import rule from '../../../src/rules/openapi/iso-codes.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Payments', version: '1.0.0' }
const S = '/components/schemas/Payment/properties'
const doc = (properties: object, extra: object = {}) => ({
  openapi: '3.1.0',
  info,
  paths: {},
  components: { schemas: { Payment: { type: 'object', properties } } },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'patterns, enums and descriptions that name the standard',
      document: doc({
        country: { type: 'string', pattern: '^[A-Z]{2}$' },
        countryCode: { type: 'string', enum: ['SE', 'NO', 'DK', 'FI', 'IS'] },
        residenceCountry: { type: 'string', description: 'ISO 3166-1 alpha-3 code, e.g. SWE' },
        language: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' },
        locale: { type: 'string', enum: ['sv-SE', 'en-GB', 'se', 'fi'] },
        preferred_language: { type: 'string', description: 'A BCP 47 language tag' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        valuta: { type: 'string', enum: ['SEK', 'EUR', null] },
        priceCurrency: { type: 'string', description: 'Currency code per ISO 4217.' },
        amount: { type: 'string' },
        landscape: { type: 'string' },
      }),
    },
    {
      name: 'shared code schemas in another file and a description beside the $ref',
      document: doc({
        land: { $ref: 'codes.yaml#/CountryCode' },
        taal: { allOf: [{ $ref: 'codes.yaml#/LanguageTag' }] },
        currencyCode: { $ref: 'codes.yaml#/Text', description: 'ISO 4217 currency code' },
        billingCountry: { type: 'object', properties: { code: { $ref: 'codes.yaml#/CountryCode' } } },
      }),
      files: {
        'codes.yaml': {
          CountryCode: { type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$' },
          LanguageTag: { type: 'string', format: 'bcp47' },
          Text: { type: 'string' },
        },
      },
    },
    {
      name: 'query parameter with an ISO pattern and Accept-Language header',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/rates': {
            get: {
              parameters: [
                { name: 'currency', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{3}$' } },
                {
                  name: 'lang',
                  in: 'query',
                  description: 'Language of the texts (BCP 47)',
                  schema: { type: 'string' },
                },
                { name: 'Accept-Language', in: 'header', schema: { type: 'string' } },
              ],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    },
    {
      name: 'Swagger 2 definition with a currency enum',
      document: {
        swagger: '2.0',
        info,
        paths: {},
        definitions: {
          Price: { type: 'object', properties: { currency: { type: 'string', enum: ['SEK', 'NOK'] } } },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'unconstrained strings of each kind',
      document: doc({
        country: { type: 'string' },
        language: { type: 'string', description: 'The language of the payer' },
        currency: { type: 'string', maxLength: 10 },
        birth_country_code: { type: 'string', pattern: '^[A-Za-z ]+$' },
      }),
      errors: [
        { messageId: 'country', pointer: `${S}/country` },
        { messageId: 'language', pointer: `${S}/language` },
        { messageId: 'currency', pointer: `${S}/currency` },
        { messageId: 'country', pointer: `${S}/birth_country_code` },
      ],
    },
    {
      name: 'enums with names instead of codes',
      document: doc({
        country: { type: 'string', enum: ['Sweden', 'Norway'] },
        countryCode: { type: 'string', enum: ['SE', 'SWE '] },
        language: { type: 'string', enum: ['swedish', 'english'] },
        locale: { type: 'string', enum: ['sv_SE'] },
        currency: { type: 'string', enum: ['SEK', 'kr'] },
      }),
      errors: [
        { messageId: 'non-iso-values', pointer: `${S}/country/enum` },
        { messageId: 'non-iso-values', pointer: `${S}/countryCode/enum` },
        { messageId: 'non-iso-values', pointer: `${S}/language/enum` },
        { messageId: 'non-iso-values', pointer: `${S}/locale/enum` },
        { messageId: 'non-iso-values', pointer: `${S}/currency/enum` },
      ],
    },
    {
      name: 'numeric codes',
      document: doc({ countryCode: { type: 'integer', example: 752 }, currency: { type: 'number' } }),
      errors: [
        { messageId: 'numeric-code', pointer: `${S}/countryCode/type` },
        { messageId: 'numeric-code', pointer: `${S}/currency/type` },
      ],
    },
    {
      name: 'shared schemas in another file',
      document: doc({
        land: { $ref: 'codes.yaml#/Text' },
        valutaCode: { $ref: 'codes.yaml#/Currency' },
      }),
      files: {
        'codes.yaml': { Text: { type: 'string' }, Currency: { type: 'string', enum: ['SEK', 'Euro'] } },
      },
      errors: [
        { messageId: 'country', pointer: `${S}/land` },
        { messageId: 'non-iso-values', pointer: '/Currency/enum', source: 'codes.yaml' },
      ],
    },
    {
      name: 'query and path parameters',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/countries/{country}/holidays': {
            get: {
              parameters: [
                { name: 'country', in: 'path', required: true, schema: { type: 'string' } },
                { name: 'lang', in: 'query', schema: { type: 'string' } },
              ],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
      errors: [
        { messageId: 'country', pointer: '/paths/~1countries~1{country}~1holidays/get/parameters/0' },
        { messageId: 'language', pointer: '/paths/~1countries~1{country}~1holidays/get/parameters/1' },
      ],
    },
    {
      name: 'Swagger 2 query parameter and definition',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/rates': {
            get: {
              parameters: [{ name: 'currency', in: 'query', type: 'string' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
        definitions: {
          Address: { type: 'object', properties: { country: { type: 'string', enum: ['Sverige'] } } },
        },
      },
      errors: [
        { messageId: 'currency', pointer: '/paths/~1rates/get/parameters/0' },
        { messageId: 'non-iso-values', pointer: '/definitions/Address/properties/country/enum' },
      ],
    },
  ],
})
