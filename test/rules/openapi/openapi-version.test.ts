import rule from '../../../src/rules/openapi/openapi-version.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const oas = (openapi: string) => ({ openapi, info, paths: {} })
const swagger = (version: string) => ({ swagger: version, info, paths: {} })

testRule(rule, {
  valid: [
    { name: 'OpenAPI 3.0.3', document: oas('3.0.3') },
    { name: 'OpenAPI 3.1.0', document: oas('3.1.0') },
    { name: 'OpenAPI 3.2.0 is a 3.x version', document: oas('3.2.0') },
    { name: 'OpenAPI 3.1.1 with minimum 3.1', document: oas('3.1.1'), options: { minimum: '3.1' } },
    { name: 'pre-release suffix allowed by the 3.x schemas', document: oas('3.1.0-rc1') },
    { name: 'JSON document', document: oas('3.0.0'), filename: 'openapi.json' },
  ],
  invalid: [
    {
      name: 'no openapi field, but shaped like OpenAPI',
      document: { info, paths: {} },
      errors: [{ messageId: 'missing', pointer: '' }],
    },
    {
      name: 'Swagger 2.0',
      document: swagger('2.0'),
      errors: [{ messageId: 'swagger2', pointer: '/swagger', line: 1 }],
    },
    {
      name: 'Swagger 2.0 with minimum 3.1',
      document: swagger('2.0'),
      options: { minimum: '3.1' },
      errors: [{ messageId: 'swagger2', pointer: '/swagger' }],
    },
    {
      name: 'Swagger 1.2 is not Swagger 2',
      document: swagger('1.2'),
      errors: [{ messageId: 'unsupported', pointer: '/swagger' }],
    },
    {
      name: 'OpenAPI 4.0',
      document: oas('4.0'),
      errors: [{ messageId: 'unsupported', pointer: '/openapi' }],
    },
    { name: 'bare major 3', document: oas('3'), errors: [{ messageId: 'unsupported', pointer: '/openapi' }] },
    {
      name: 'minor only 3.0',
      document: oas('3.0'),
      errors: [{ messageId: 'unsupported', pointer: '/openapi' }],
    },
    {
      name: 'unpublished 3.7.0',
      document: oas('3.7.0'),
      errors: [{ messageId: 'unsupported', pointer: '/openapi' }],
    },
    {
      name: 'leading zero 3.01.0',
      document: oas('3.01.0'),
      errors: [{ messageId: 'unsupported', pointer: '/openapi' }],
    },
    { name: 'garbage', document: oas('latest'), errors: [{ messageId: 'unsupported', pointer: '/openapi' }] },
    {
      name: 'OpenAPI 3.0.3 when 3.1 is the minimum',
      document: oas('3.0.3'),
      options: { minimum: '3.1' },
      errors: [{ messageId: 'prefer31', pointer: '/openapi', line: 1 }],
    },
    {
      name: 'position in a JSON document',
      document: { info, openapi: '3.0.3', paths: {} },
      filename: 'openapi.json',
      options: { minimum: '3.1' },
      errors: [{ messageId: 'prefer31', pointer: '/openapi', line: 6 }],
    },
  ],
})
