import rule from '../../../src/rules/openapi/path-style.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 'Library', version: '1.0.0' }
const item = { get: { responses: { '200': { description: 'OK' } } } }
const doc = (...paths: string[]) => ({
  openapi: '3.0.3',
  info,
  paths: Object.fromEntries(paths.map((p) => [p, item])),
})
const at = (path: string) => `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`

testRule(rule, {
  valid: [
    {
      name: 'root, kebab-case and parameters in any style',
      document: doc(
        '/',
        '/books',
        '/opening-hours',
        '/branches/{branchId}/opening-hours',
        '/organisations/{organisation_id}/v2-archive',
      ),
    },
    {
      name: 'file extension in the last segment',
      document: doc('/openapi.json', '/exports/{exportId}/report.csv', '/files/{name}.{ext}'),
    },
    {
      name: 'underscore-prefixed search endpoint',
      document: doc('/_zoek', '/books/_search', '/branches/{id}/nested/_zoek'),
    },
    {
      name: 'extension keys under paths are skipped',
      document: { ...doc('/books'), paths: { '/books': item, 'x-Internal_Note': { a: 1 } } },
    },
    {
      name: 'Swagger 2 with path items in another file',
      document: { swagger: '2.0', info, paths: { '/loans/{loanId}': { $ref: 'paths.yaml#/Loan' } } },
      files: { 'paths.yaml': { Loan: item } },
    },
  ],
  invalid: [
    {
      name: 'camelCase segment',
      document: doc('/camelCasePath', '/books'),
      errors: [{ messageId: 'not-kebab-case', pointer: at('/camelCasePath') }],
    },
    {
      name: 'each offending segment is named',
      document: doc('/Documents/{docId}/Download', '/case_files', '/GetCases'),
      errors: [
        { messageId: 'not-kebab-case', pointer: at('/Documents/{docId}/Download') },
        { messageId: 'not-kebab-case', pointer: at('/Documents/{docId}/Download') },
        { messageId: 'not-kebab-case', pointer: at('/case_files') },
        { messageId: 'not-kebab-case', pointer: at('/GetCases') },
      ],
    },
    {
      name: 'dots, doubled hyphens and custom-method colons',
      document: doc('/v1.0/books', '/books--old', '/books/{id}:publish', '/-books'),
      errors: [
        { messageId: 'not-kebab-case', pointer: at('/v1.0/books') },
        { messageId: 'not-kebab-case', pointer: at('/books--old') },
        { messageId: 'not-kebab-case', pointer: at('/books/{id}:publish') },
        { messageId: 'not-kebab-case', pointer: at('/-books') },
      ],
    },
    {
      name: 'trailing slashes, also after a search segment',
      document: doc('/suffix-slash/', '/nested-slash/with-suffix/', '/_zoek/', '/prefix-slash'),
      errors: [
        { messageId: 'trailing-slash', pointer: at('/suffix-slash/'), line: 6 },
        { messageId: 'trailing-slash', pointer: at('/nested-slash/with-suffix/') },
        { messageId: 'trailing-slash', pointer: at('/_zoek/') },
      ],
    },
    {
      name: 'underscore prefix only in the last segment',
      document: doc('/_internal/books'),
      errors: [{ messageId: 'not-kebab-case', pointer: at('/_internal/books') }],
    },
    {
      name: 'empty segments',
      document: doc('/books//authors', '//books'),
      errors: [
        { messageId: 'empty-segment', pointer: at('/books//authors') },
        { messageId: 'empty-segment', pointer: at('//books') },
      ],
    },
    {
      name: 'checked even when the path item cannot be resolved',
      document: { openapi: '3.0.3', info, paths: { '/Books': { $ref: 'paths.yaml#/Missing' } } },
      files: { 'paths.yaml': { Books: item } },
      errors: [{ messageId: 'not-kebab-case', pointer: at('/Books') }],
    },
    {
      name: 'Swagger 2 path whose item is in another file',
      document: { swagger: '2.0', info, paths: { '/case_files/{id}/': { $ref: 'paths.yaml#/CaseFile' } } },
      files: { 'paths.yaml': { CaseFile: item } },
      errors: [
        { messageId: 'trailing-slash', pointer: at('/case_files/{id}/'), source: 'openapi.yaml' },
        { messageId: 'not-kebab-case', pointer: at('/case_files/{id}/'), source: 'openapi.yaml' },
      ],
    },
  ],
})
