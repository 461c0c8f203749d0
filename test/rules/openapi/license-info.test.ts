import rule from '../../../src/rules/openapi/license-info.js'
import { testRule } from '../../../src/testing/vitest.js'

const doc = (license?: unknown, openapi = '3.1.0') => ({
  openapi,
  info: { title: 'Library', version: '1.0.0', ...(license === undefined ? {} : { license }) },
  paths: {},
})
const swagger = (license?: object) => ({
  swagger: '2.0',
  info: { title: 'Cases', version: '1.0.0', ...(license ? { license } : {}) },
  paths: {},
})

testRule(rule, {
  valid: [
    {
      name: 'SPDX identifier (OpenAPI 3.1)',
      document: doc({ name: 'European Union Public Licence 1.2', identifier: 'EUPL-1.2' }),
    },
    {
      name: 'URL',
      document: doc({ name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' }, '3.0.3'),
    },
    {
      name: 'Swagger 2 with URL',
      document: swagger({ name: 'Apache 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }),
    },
  ],
  invalid: [
    { name: 'no licence', document: doc(), errors: [{ messageId: 'missing', pointer: '/info', line: 2 }] },
    {
      name: 'Swagger 2 without licence',
      document: swagger(),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'name only',
      document: doc({ name: 'Proprietary' }),
      errors: [{ messageId: 'incomplete', pointer: '/info/license', line: 5 }],
    },
    {
      name: 'identifier without name',
      document: doc({ identifier: 'MIT' }),
      errors: [{ messageId: 'incomplete', pointer: '/info/license' }],
    },
    {
      name: 'identifier is not enough before OpenAPI 3.1',
      document: doc({ name: 'MIT', identifier: 'MIT' }, '3.0.3'),
      errors: [{ messageId: 'incomplete', pointer: '/info/license' }],
    },
    {
      name: 'licence that is not an object',
      document: doc('EUPL-1.2'),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
  ],
})
