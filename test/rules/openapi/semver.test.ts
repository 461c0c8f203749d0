import rule from '../../../src/rules/openapi/semver.js'
import { testRule } from '../../../src/testing/vitest.js'

const oas = (info: object) => ({ openapi: '3.1.0', info: { title: 't', ...info }, paths: {} })

testRule(rule, {
  valid: [
    { name: 'plain version', document: oas({ version: '1.0.0' }) },
    { name: 'pre-release and build metadata', document: oas({ version: '2.1.0-rc.1+build.5' }) },
    { name: 'zero major', document: oas({ version: '0.3.12' }) },
    {
      name: 'Swagger 2',
      document: { swagger: '2.0', info: { title: 't', version: '10.20.30' }, paths: {} },
    },
    {
      name: 'info in another file',
      document: { openapi: '3.0.3', info: { $ref: 'info.yaml' }, paths: {} },
      files: { 'info.yaml': { title: 't', version: '1.0.0-alpha' } },
    },
  ],
  invalid: [
    {
      name: 'major.minor only (NL ADR test case semver-incorrect)',
      document: oas({ version: '1.2' }),
      errors: [{ messageId: 'invalid', pointer: '/info/version' }],
    },
    {
      name: 'underscore suffix (NL ADR test case semver-patch-incorrect)',
      document: oas({ version: '1.0.1_incorrect' }),
      errors: [{ messageId: 'invalid', pointer: '/info/version' }],
    },
    {
      name: 'leading v',
      document: oas({ version: 'v1.0.0' }),
      errors: [{ messageId: 'invalid', pointer: '/info/version' }],
    },
    {
      name: 'leading zero',
      document: oas({ version: '1.02.0' }),
      errors: [{ messageId: 'invalid', pointer: '/info/version' }],
    },
    { name: 'date as version', document: oas({ version: '2024-01-31' }), errors: [{ messageId: 'invalid' }] },
    {
      name: 'number in YAML',
      document: 'openapi: 3.1.0\ninfo:\n  title: t\n  version: 1.0\npaths: {}\n',
      errors: [{ messageId: 'not-string', pointer: '/info/version', line: 4 }],
    },
    { name: 'missing version', document: oas({}), errors: [{ messageId: 'missing', pointer: '/info' }] },
    {
      name: 'empty version',
      document: oas({ version: '' }),
      errors: [{ messageId: 'missing', pointer: '/info/version' }],
    },
    {
      name: 'points into the referenced file',
      document: { openapi: '3.0.3', info: { $ref: 'info.yaml' }, paths: {} },
      files: { 'info.yaml': { title: 't', version: '1.0' } },
      errors: [{ messageId: 'invalid', pointer: '/version', source: 'info.yaml', line: 2 }],
    },
  ],
})
