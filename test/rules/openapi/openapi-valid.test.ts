import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveRuleOptions } from '../../../src/core/options.js'
import { runRules } from '../../../src/core/runner.js'
import { loadOpenApi } from '../../../src/loaders/openapi.js'
import rule from '../../../src/rules/openapi/openapi-valid.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'

const info = { title: 't', version: '1.0.0' }
const ok = { description: 'ok' }
const oas30 = (responses: object, extra: object = {}) => ({
  openapi: '3.0.3',
  info,
  paths: { '/books': { get: { responses } } },
  ...extra,
})

// The in-memory reader of the table cannot refuse files outside the folder: that message is tested
// on real files below.
const { 'outside-folder': _outside, ...tableMessages } = rule.meta.messages
testRule(
  { ...rule, meta: { ...rule.meta, messages: tableMessages } },
  {
    valid: [
      { name: 'minimal 3.0', document: oas30({ '200': ok }) },
      {
        name: '3.1 with a local $ref',
        document: {
          openapi: '3.1.0',
          info,
          paths: { '/books': { get: { responses: { '200': { $ref: '#/components/responses/Ok' } } } } },
          components: { responses: { Ok: ok } },
        },
      },
      {
        name: '3.1 schema referenced by $anchor',
        document: {
          openapi: '3.1.0',
          info,
          paths: {
            '/books': {
              get: {
                responses: {
                  '200': {
                    description: 'ok',
                    content: { 'application/json': { schema: { $ref: '#Book' } } },
                  },
                },
              },
            },
          },
          components: { schemas: { Book: { $anchor: 'Book', type: 'object' } } },
        },
      },
      {
        name: 'multi-file with a $ref into another file',
        document: oas30({ '200': { $ref: 'responses.yaml#/Ok' } }),
        files: { 'responses.yaml': { Ok: ok } },
      },
      {
        name: 'Swagger 2',
        document: { swagger: '2.0', info, paths: { '/a': { get: { responses: { '200': ok } } } } },
      },
      {
        name: '$ref inside an example, default or extension is data',
        document: oas30(
          {
            '200': {
              description: 'a JSON Schema',
              content: {
                'application/schema+json': {
                  schema: { type: 'object', properties: { example: { $ref: '#/components/schemas/S' } } },
                  example: { properties: { a: { $ref: '#/definitions/A' } } },
                },
                'application/json': { examples: { one: { value: { $ref: '#/x' } } } },
              },
            },
          },
          {
            'x-meta': { $ref: '#/nowhere' },
            components: { schemas: { S: { type: 'object', default: { $ref: '#/nowhere' } } } },
          },
        ),
      },
    ],
    invalid: [
      {
        name: 'response without description (3.0)',
        document: oas30({ '200': {} }),
        errors: [{ messageId: 'structural', pointer: '/paths/~1books/get/responses/200' }],
      },
      {
        name: 'unknown property at the root',
        document: oas30({ '200': ok }, { colour: 'blue' }),
        errors: [{ messageId: 'structural', pointer: '/colour', line: 11 }],
      },
      {
        name: 'structural problem inside a referenced file',
        document: oas30({ '200': { $ref: 'responses.yaml#/Ok' } }),
        files: { 'responses.yaml': { Ok: { descripton: 'typo' } } },
        errors: [
          { messageId: 'structural', pointer: '/Ok', source: 'responses.yaml' },
          { messageId: 'structural', pointer: '/Ok/descripton', source: 'responses.yaml', line: 2 },
        ],
      },
      {
        name: 'one finding for a value that fits none of the alternatives',
        document: {
          openapi: '3.0.3',
          info,
          paths: {
            '/a': {
              get: {
                parameters: [{ name: 'id', in: 'body', schema: { type: 'string' } }],
                responses: { '200': ok },
              },
            },
          },
        },
        errors: [{ messageId: 'structural', pointer: '/paths/~1a/get/parameters/0/in' }],
      },
      {
        name: 'duplicate operationId (semantic check)',
        document: {
          swagger: '2.0',
          info,
          paths: {
            '/a': {
              get: { operationId: 'x', responses: { '200': ok } },
              post: { operationId: 'x', responses: { '200': ok } },
            },
          },
        },
        errors: [{ messageId: 'structural' }],
      },
      {
        name: '$ref to a missing anchor in the same file',
        document: oas30({ '200': { $ref: '#/components/responses/Missing' } }),
        errors: [{ messageId: 'missing-target', pointer: '/paths/~1books/get/responses/200/$ref' }],
      },
      {
        name: '$ref to a missing anchor in another file',
        document: oas30({ '200': { $ref: 'responses.yaml#/Nope' } }),
        files: { 'responses.yaml': { Ok: ok } },
        errors: [{ messageId: 'missing-target', pointer: '/paths/~1books/get/responses/200/$ref' }],
      },
      {
        name: 'broken $ref inside the other file points into that file',
        document: oas30({ '200': { $ref: 'responses.yaml#/Ok' } }),
        files: { 'responses.yaml': { Ok: { $ref: '#/Gone' } } },
        errors: [{ messageId: 'missing-target', pointer: '/Ok/$ref', source: 'responses.yaml', line: 2 }],
      },
      {
        name: 'plain-name fragment in 3.0',
        document: oas30({ '200': { $ref: '#Ok' } }),
        errors: [{ messageId: 'missing-target', pointer: '/paths/~1books/get/responses/200/$ref' }],
      },
      {
        name: 'remote $ref is not followed',
        document: oas30({ '200': { $ref: 'https://example.com/common.yaml#/Ok' } }),
        errors: [{ messageId: 'remote-not-allowed', pointer: '/paths/~1books/get/responses/200/$ref' }],
      },
      {
        name: 'not a URI reference',
        document: oas30({ '200': { $ref: 'http://[broken/x.yaml' } }),
        errors: [{ messageId: 'invalid-ref', pointer: '/paths/~1books/get/responses/200/$ref' }],
      },
    ],
  },
)

describe('rule openapi-valid: messages and files on disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'interop-openapi-valid-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const run = async (file: string) => {
    const api = await loadOpenApi(file)
    const { options } = resolveRuleOptions(rule, undefined)
    return runRules([{ rule, rulesetId: 'test', severity: 'error', options }], { openapi: api })[0]!
  }

  it('reports a $ref outside the folder of the description', async () => {
    mkdirSync(path.join(dir, 'api'))
    writeFileSync(path.join(dir, 'outside.yaml'), 'Ok:\n  description: ok\n')
    writeFileSync(
      path.join(dir, 'api', 'openapi.yaml'),
      [
        'openapi: 3.0.3',
        'info: { title: t, version: 1.0.0 }',
        'paths:',
        '  /a:',
        '    get:',
        '      responses:',
        "        '200':",
        "          $ref: '../outside.yaml#/Ok'",
        '',
      ].join('\n'),
    )
    const outcome = await run(path.join(dir, 'api', 'openapi.yaml'))
    expect(outcome.status).toBe('fail')
    expect(outcome.findings.map((f) => [f.messageId, f.location.pointer, f.location.line])).toEqual([
      ['outside-folder', '/paths/~1a/get/responses/200/$ref', 8],
    ])
    expect(outcome.findings[0]!.message).toContain('../outside.yaml')
  })

  it('names the --allow-remote-ref option for remote refs', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'remote',
      document: oas30({ '200': { $ref: 'https://example.com/common.yaml#/Ok' } }),
    })
    expect(outcome.findings[0]!.message).toMatch(/--allow-remote-ref HOST/)
  })

  it('says what is wrong with a structural problem', async () => {
    const outcome = await runRuleCase(rule, { name: 'no description', document: oas30({ '200': {} }) })
    expect(outcome.findings[0]!.message).toMatch(
      /^Not valid OpenAPI 3\.0\.3: .*must have the property 'description'\.$/,
    )
  })

  it('is not checked when the version cannot be validated and refs are fine', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'future',
      document: { openapi: '4.0.0', info, paths: {} },
    })
    expect(outcome.status).toBe('not-checked')
    expect(outcome.reason).toMatch(/cannot validate/)
  })

  it('still reports ref problems when the version cannot be validated', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'future with broken ref',
      document: { openapi: '4.0.0', info, paths: { '/a': { $ref: '#/nope' } } },
    })
    expect(outcome.status).toBe('fail')
    expect(outcome.findings.map((f) => f.messageId)).toEqual(['missing-target'])
  })
})
