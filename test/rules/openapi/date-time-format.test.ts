import rule from '../../../src/rules/openapi/date-time-format.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Permits', version: '1.0.0' }
const P = '/paths/~1permits/get/responses/200/content/application~1json/schema/properties'
const doc = (properties: object, extra: object = {}) => ({
  openapi: '3.0.3',
  info,
  paths: {
    '/permits': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties } } },
          },
        },
      },
    },
  },
  ...extra,
})

testRule(rule, {
  valid: [
    {
      name: 'dates as date, instants as date-time with offset examples',
      document: doc({
        date: { type: 'string', format: 'date' },
        datum: { type: 'string', format: 'date' },
        birthDate: { type: 'string', format: 'date', example: '1990-04-12' },
        expiration_date: { type: 'string', format: 'date' },
        createdAt: { type: 'string', format: 'date-time', example: '2024-05-01T12:30:00Z' },
        updated_at: { type: 'string', format: 'date-time', example: '2024-05-01T14:30:00+02:00' },
        timestamp: { type: 'string', format: 'date-time', default: '1970-01-01T00:00:00Z' },
        openingTime: { type: 'string', format: 'time-local' },
      }),
    },
    {
      name: 'names that only look like dates and non-string instants',
      document: doc({
        update: { type: 'string' },
        mandate: { type: 'string' },
        candidate: { type: 'string' },
        updated: { type: 'boolean' },
        responseTime: { type: 'integer', description: 'milliseconds' },
        validity: { type: 'object', properties: { fromDate: { type: 'string', format: 'date' } } },
        status: { type: 'string', enum: ['open', 'closed'] },
      }),
    },
    {
      name: 'format through allOf of a shared schema in another file',
      document: doc({
        decisionDate: { allOf: [{ $ref: 'common.yaml#/Date' }], description: 'Day of the decision' },
        closedAt: { $ref: 'common.yaml#/Instant' },
      }),
      files: {
        'common.yaml': {
          Date: { type: 'string', format: 'date' },
          Instant: {
            type: 'string',
            format: 'date-time',
            pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
          },
        },
      },
    },
    {
      name: 'nullable date in OpenAPI 3.1 through oneOf',
      document: {
        ...doc({ endDate: { oneOf: [{ type: 'string', format: 'date' }, { type: 'null' }] } }),
        openapi: '3.1.0',
      },
    },
    {
      name: 'HTTP date headers are not RFC 3339',
      document: {
        openapi: '3.0.3',
        info,
        paths: {
          '/permits': {
            get: {
              parameters: [{ name: 'If-Modified-Date', in: 'header', schema: { type: 'string' } }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    },
    {
      name: 'Swagger 2 query parameter with format date',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/permits': {
            get: {
              parameters: [{ name: 'fromDate', in: 'query', type: 'string', format: 'date' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      },
    },
  ],
  invalid: [
    {
      name: 'date fields typed date-time (NL ADR test case shapes)',
      document: doc(
        {
          date: { type: 'string', format: 'date-time' },
          geboorteDatum: { type: 'string', format: 'date-time' },
          expiration_Date: { type: 'string', format: 'date-time' },
          meerdereDatum: { type: 'string', allOf: [{ $ref: '#/components/schemas/LocalDateTimeIncorrect' }] },
          missingFormatDate: { nullable: true },
        },
        { components: { schemas: { LocalDateTimeIncorrect: { type: 'string', format: 'date-time' } } } },
      ),
      errors: [
        { messageId: 'date-time-for-date', pointer: `${P}/date/format` },
        { messageId: 'date-time-for-date', pointer: `${P}/geboorteDatum/format` },
        { messageId: 'date-time-for-date', pointer: `${P}/expiration_Date/format` },
        { messageId: 'date-time-for-date', pointer: '/components/schemas/LocalDateTimeIncorrect/format' },
        { messageId: 'missing-format', pointer: `${P}/missingFormatDate` },
      ],
    },
    {
      name: 'instants as plain strings',
      document: doc({
        createdAt: { type: 'string' },
        start_time: { type: 'string', description: 'When the permit starts' },
        modified: { type: 'string' },
        timestamp: { type: 'string' },
      }),
      errors: [
        { messageId: 'missing-format', pointer: `${P}/createdAt` },
        { messageId: 'missing-format', pointer: `${P}/start_time` },
        { messageId: 'missing-format', pointer: `${P}/modified` },
        { messageId: 'missing-format', pointer: `${P}/timestamp` },
      ],
    },
    {
      name: 'date-times without an offset: local format, pattern and examples',
      document: doc({
        'date-time-local': { type: 'string', format: 'date-time-local' },
        appointment: { type: 'string', format: 'local-date-time' },
        issuedAt: {
          type: 'string',
          format: 'date-time',
          pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$',
          example: '2024-05-01T12:30:00',
        },
        receivedAt: { type: 'string', format: 'date-time', example: '2024-05-01T12:30:00Z' },
      }),
      errors: [
        { messageId: 'no-timezone', pointer: `${P}/date-time-local/format` },
        { messageId: 'no-timezone', pointer: `${P}/appointment/format` },
        { messageId: 'no-timezone', pointer: `${P}/issuedAt/pattern` },
        { messageId: 'no-timezone', pointer: `${P}/issuedAt/example` },
      ],
    },
    {
      name: 'examples list in OpenAPI 3.1',
      document: {
        ...doc({
          closedAt: {
            type: 'string',
            format: 'date-time',
            examples: ['2024-05-01T12:30:00+02:00', '2024-05-01 12:30'],
          },
        }),
        openapi: '3.1.0',
      },
      errors: [{ messageId: 'no-timezone', pointer: `${P}/closedAt/examples/1` }],
    },
    {
      name: 'time of day and home-made formats',
      document: doc({
        opensAt: { type: 'string', format: 'time' },
        decidedOn: { type: 'string', format: 'datetime' },
        registered: { type: 'string', format: 'iso8601' },
        lastSeen: { type: 'integer', format: 'timestamp' },
        dueDate: { type: 'string', format: 'Date' },
        published_at: { type: 'string', format: 'date_time' },
      }),
      errors: [
        { messageId: 'time-without-offset', pointer: `${P}/opensAt/format` },
        { messageId: 'unknown-format', pointer: `${P}/decidedOn/format` },
        { messageId: 'unknown-format', pointer: `${P}/registered/format` },
        { messageId: 'unknown-format', pointer: `${P}/lastSeen/format` },
        { messageId: 'unknown-format', pointer: `${P}/dueDate/format` },
        { messageId: 'unknown-format', pointer: `${P}/published_at/format` },
      ],
    },
    {
      name: 'shared schema in another file used by two date properties is reported once there',
      document: doc({
        startDate: { $ref: 'common.yaml#/Moment' },
        endDate: { allOf: [{ $ref: 'common.yaml#/Moment' }] },
      }),
      files: { 'common.yaml': { Moment: { type: 'string', format: 'date-time' } } },
      errors: [
        { messageId: 'date-time-for-date', pointer: '/Moment/format', source: 'common.yaml', line: 3 },
      ],
    },
    {
      name: 'Swagger 2 parameter and definition',
      document: {
        swagger: '2.0',
        info,
        paths: {
          '/permits': {
            get: {
              parameters: [
                { name: 'fromDate', in: 'query', type: 'string' },
                {
                  name: 'changedSince',
                  in: 'query',
                  type: 'string',
                  format: 'date-time',
                  'x-example': '2024-05-01T00:00',
                },
              ],
              responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Permit' } } },
            },
          },
        },
        definitions: {
          Permit: { type: 'object', properties: { birthDate: { type: 'string', format: 'date-time' } } },
        },
      },
      errors: [
        { messageId: 'missing-format', pointer: '/paths/~1permits/get/parameters/0' },
        { messageId: 'no-timezone', pointer: '/paths/~1permits/get/parameters/1/x-example' },
        { messageId: 'date-time-for-date', pointer: '/definitions/Permit/properties/birthDate/format' },
      ],
    },
  ],
})
