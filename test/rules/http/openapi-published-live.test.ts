import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import rule from '../../../src/rules/http/openapi-published-live.js'
import {
  compareDescriptions,
  dereferenceDocument,
  describeDifference,
  parseDescription,
  RECURSIVE,
  type Tree,
} from '../../../src/rules/http/util-description.js'
import { getAt } from '../../../src/loaders/source.js'
import { runRuleCase } from '../../../src/testing/rule-tester.js'
import { testRule } from '../../../src/testing/vitest.js'
import { exchange, live, manifest } from './fixtures.js'

const BASE = 'https://api.bokslut.example/v1'
const SANDBOX = 'https://sandbox.bokslut.example/v1'

/** The Open Loans description as the vendor supplied it: split over three files. */
const root = {
  openapi: '3.1.0',
  info: { title: 'Open Loans', version: '1.4.2' },
  servers: [{ url: BASE }],
  paths: {
    '/books': {
      get: {
        operationId: 'listBooks',
        responses: {
          '200': {
            description: 'The books',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: './schemas/book.yaml' } } },
            },
          },
        },
      },
    },
    '/loans/{loanId}': {
      get: {
        operationId: 'getLoan',
        parameters: [{ name: 'loanId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The loan',
            content: { 'application/json': { schema: { $ref: './schemas/loan.yaml' } } },
          },
          default: { $ref: '#/components/responses/Problem' },
        },
      },
    },
  },
  components: {
    responses: {
      Problem: {
        description: 'An error',
        content: { 'application/problem+json': { schema: { type: 'object' } } },
      },
    },
  },
}
// A recursive schema: a book lists related books.
const bookFile = {
  type: 'object',
  required: ['isbn', 'title'],
  properties: {
    isbn: { type: 'string', example: '978-91-0-012345-6' },
    title: { type: 'string' },
    related: { type: 'array', items: { $ref: './book.yaml' } },
  },
}
// OpenAPI 3.1: a description beside a $ref.
const loanFile = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    book: { $ref: './book.yaml', description: 'The book lent' },
    due: { type: 'string', format: 'date' },
  },
}
const files = { 'schemas/book.yaml': bookFile, 'schemas/loan.yaml': loanFile }
const split = { manifest, document: root, files }

/** The same description as a bundler writes it: external files moved under components/schemas. */
const bundled = {
  // Key order means nothing.
  paths: {
    '/loans/{loanId}': {
      get: {
        responses: {
          default: { $ref: '#/components/responses/Problem' },
          '200': {
            description: 'The loan',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Loan' } } },
          },
        },
        parameters: [{ name: 'loanId', in: 'path', required: true, schema: { type: 'string' } }],
        operationId: 'getLoan',
      },
    },
    '/books': {
      get: {
        operationId: 'listBooks',
        responses: {
          '200': {
            description: 'The books',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Book' } } },
            },
          },
        },
      },
    },
  },
  info: { version: '1.4.2', title: 'Open Loans' },
  openapi: '3.1.0',
  servers: [{ url: BASE }],
  components: {
    schemas: {
      Book: {
        ...bookFile,
        properties: {
          ...bookFile.properties,
          related: { type: 'array', items: { $ref: '#/components/schemas/Book' } },
        },
      },
      Loan: {
        ...loanFile,
        properties: {
          ...loanFile.properties,
          book: { $ref: '#/components/schemas/Book', description: 'The book lent' },
        },
      },
    },
    responses: root.components.responses,
  },
}

/** …and as a dereferencing tool writes it: everything inline, recursion pointing at the first use. */
const BOOK_AT = '#/paths/~1books/get/responses/200/content/application~1json/schema/items'
const book = {
  ...bookFile,
  properties: { ...bookFile.properties, related: { type: 'array', items: { $ref: BOOK_AT } } },
}
const dereferenced = {
  ...root,
  paths: {
    '/books': {
      get: {
        operationId: 'listBooks',
        responses: {
          '200': {
            description: 'The books',
            content: { 'application/json': { schema: { type: 'array', items: book } } },
          },
        },
      },
    },
    '/loans/{loanId}': {
      get: {
        ...root.paths['/loans/{loanId}'].get,
        responses: {
          '200': {
            description: 'The loan',
            content: {
              'application/json': {
                schema: {
                  ...loanFile,
                  properties: { ...loanFile.properties, book: { ...book, description: 'The book lent' } },
                },
              },
            },
          },
          default: root.components.responses.Problem,
        },
      },
    },
  },
}

const at = (
  path: string,
  status: number,
  body?: string,
  type = 'application/json',
  environment: 'production' | 'sandbox' = 'production',
) =>
  exchange(
    { 'content-type': type },
    {
      purpose: 'openapi',
      url: `${environment === 'production' ? BASE : SANDBOX}/${path}`,
      status,
      environment,
      ...(body !== undefined ? { body } : {}),
    },
  )
const json = (doc: object) => JSON.stringify(doc, null, 2)
const notFound = (...paths: string[]) => paths.map((p) => at(p, 404, '', 'application/problem+json'))
const ALL = ['openapi.json', 'openapi.yaml', 'api-docs', 'v3/api-docs', 'swagger.json']
const withVersion = (version: string) => ({ ...bundled, info: { ...bundled.info, version } })
const withoutListing = { ...bundled, paths: { '/loans/{loanId}': bundled.paths['/loans/{loanId}'] } }
const changedBook = {
  ...bundled,
  components: {
    ...bundled.components,
    schemas: {
      ...bundled.components.schemas,
      Book: { ...bundled.components.schemas.Book, required: ['isbn'] },
    },
  },
}

testRule(rule, {
  valid: [
    {
      name: 'a split description published bundled, with a recursive schema and components of its own',
      ...split,
      live: live([at('openapi.json', 200, json(bundled), 'application/json; charset=utf-8')]),
    },
    {
      name: 'a split description published fully dereferenced',
      ...split,
      live: live([at('openapi.json', 200, json(dereferenced))]),
    },
    {
      name: 'published as YAML at openapi.yaml after openapi.json was not found',
      ...split,
      live: live([
        ...notFound('openapi.json'),
        at('openapi.yaml', 200, stringify(bundled), 'application/yaml'),
      ]),
    },
    {
      name: 'published at the Spring default /v3/api-docs',
      ...split,
      live: live([
        ...notFound('openapi.json', 'openapi.yaml', 'api-docs'),
        at('v3/api-docs', 200, json(bundled), 'application/vnd.oai.openapi+json;version=3.1'),
      ]),
    },
    {
      name: 'published on every environment',
      ...split,
      live: live([
        at('openapi.json', 200, json(bundled)),
        at('openapi.json', 200, json(dereferenced), 'application/json', 'sandbox'),
      ]),
    },
    {
      name: 'a single-file description published as it is',
      manifest,
      document: bundled,
      live: live([at('openapi.json', 200, json(bundled))]),
    },
    {
      name: 'one environment did not answer, the other published it',
      ...split,
      live: live([
        at('openapi.json', 200, json(bundled)),
        { ...at('openapi.json', 200, '', 'x', 'sandbox'), response: undefined, error: 'ETIMEDOUT' },
      ]),
    },
  ],
  invalid: [
    {
      name: 'nothing published at any candidate URL',
      ...split,
      live: live(notFound(...ALL)),
      errors: [
        { messageId: 'not-published', pointer: '/apis/0/environments/production', source: 'interop.yaml' },
      ],
    },
    {
      name: 'not found, and one candidate refused the connection',
      ...split,
      live: live([
        ...notFound('openapi.json', 'openapi.yaml', 'api-docs', 'v3/api-docs'),
        { ...at('swagger.json', 200), response: undefined, error: 'ECONNRESET' },
      ]),
      errors: [{ messageId: 'not-published' }],
    },
    {
      name: 'the description is behind the API gateway’s login',
      ...split,
      live: live([at('openapi.json', 401, '', 'application/problem+json'), ...notFound(...ALL.slice(1))]),
      errors: [{ messageId: 'needs-auth' }],
    },
    {
      name: 'a forbidden description on the sandbox only',
      ...split,
      live: live([
        at('openapi.json', 200, json(bundled)),
        at('openapi.json', 403, '', 'text/html', 'sandbox'),
        ...ALL.slice(1).map((p) => at(p, 404, '', 'text/html', 'sandbox')),
      ]),
      errors: [{ messageId: 'needs-auth', pointer: '/apis/0/environments/sandbox' }],
    },
    {
      name: 'Swagger UI’s HTML page instead of the description',
      ...split,
      live: live([
        ...notFound('openapi.json', 'openapi.yaml'),
        at(
          'api-docs',
          200,
          '<!DOCTYPE html><html><body><div id="swagger-ui"></div></body></html>',
          'text/html',
        ),
      ]),
      errors: [{ messageId: 'not-a-description' }],
    },
    {
      name: 'a JSON document that is not a description',
      ...split,
      live: live([at('openapi.json', 200, '{"status": "pass"}')]),
      errors: [{ messageId: 'not-a-description' }],
    },
    {
      name: 'broken JSON',
      ...split,
      live: live([at('openapi.json', 200, '{"openapi": "3.1.0", ')]),
      errors: [{ messageId: 'not-a-description' }],
    },
    {
      name: 'a YAML alias bomb is refused, not expanded',
      ...split,
      live: live([
        at(
          'openapi.yaml',
          200,
          'openapi: 3.1.0\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
          'application/yaml',
        ),
      ]),
      errors: [{ messageId: 'not-a-description' }],
    },
    {
      name: 'an older version is published',
      ...split,
      live: live([at('openapi.json', 200, json(withVersion('1.4.1')))]),
      errors: [{ messageId: 'differs' }],
    },
    {
      name: 'an operation is missing from the published description',
      ...split,
      live: live([at('openapi.json', 200, json(withoutListing))]),
      errors: [{ messageId: 'differs' }],
    },
    {
      name: 'the recursive schema differs',
      ...split,
      live: live([at('openapi.json', 200, json(changedBook))]),
      errors: [{ messageId: 'differs' }],
    },
    {
      name: 'the sandbox publishes another description',
      ...split,
      live: live([
        at('openapi.json', 200, json(bundled)),
        at('openapi.json', 200, json(withVersion('1.5.0-rc.1')), 'application/json', 'sandbox'),
      ]),
      errors: [{ messageId: 'differs', pointer: '/apis/0/environments/sandbox' }],
    },
    {
      name: 'a Swagger 2.0 document where the supplied description is OpenAPI 3.1',
      ...split,
      live: live([
        ...notFound(...ALL.slice(0, 4)),
        at('swagger.json', 200, json({ swagger: '2.0', info: root.info, paths: {} })),
      ]),
      errors: [{ messageId: 'differs' }],
    },
  ],
  notChecked: [
    { name: 'without the live checks', ...split },
    {
      name: 'the live checks did not look for the description',
      ...split,
      live: live([exchange({ 'content-type': 'application/health+json' }, { purpose: 'health' })]),
    },
    {
      name: 'no candidate answered',
      ...split,
      live: live(ALL.map((p) => ({ ...at(p, 200), response: undefined, error: 'ECONNREFUSED' }))),
    },
    {
      name: 'a published document nested deeper than any description',
      ...split,
      live: live([
        at('openapi.json', 200, `{"openapi": "3.1.0", "x": ${'{"a": '.repeat(1100)}1${'}'.repeat(1100)}}`),
      ]),
    },
    {
      name: 'the published description was cut off at the body cap',
      ...split,
      live: live([
        exchange(
          { 'content-type': 'application/json' },
          {
            purpose: 'openapi',
            url: `${BASE}/openapi.json`,
            body: json(bundled).slice(0, 100),
            truncated: true,
          },
        ),
      ]),
    },
  ],
})

describe('openapi-published-live messages', () => {
  const messages = async (body: object | string, path = 'openapi.json') => {
    const outcome = await runRuleCase(rule, {
      name: 'messages',
      ...split,
      live: live([
        ...(path === 'openapi.json' ? [] : notFound('openapi.json')),
        at(path, 200, typeof body === 'string' ? body : json(body)),
      ]),
    })
    return outcome.findings.map((f) => f.message)
  }

  it('names the differences as pointers into the dereferenced description', async () => {
    const [message] = await messages({ ...withoutListing, info: { ...bundled.info, version: '1.4.1' } })
    expect(message).toBe(
      `The description published at ${BASE}/openapi.json differs from the one supplied: ` +
        '/info/version: published "1.4.1", supplied "1.4.2"; /paths/~1books: only in the supplied description.',
    )
  })

  it('points into a recursive schema where it first appears', async () => {
    const [message] = await messages(changedBook)
    expect(message).toContain(
      '/paths/~1books/get/responses/200/content/application~1json/schema/items/required/1: only in the supplied description',
    )
  })

  it('lists the URLs tried with how they were answered', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'tried',
      ...split,
      live: live([
        ...notFound('openapi.json', 'openapi.yaml', 'api-docs', 'v3/api-docs'),
        { ...at('swagger.json', 200), response: undefined, error: 'ECONNRESET' },
      ]),
    })
    expect(outcome.findings[0]!.message).toBe(
      `No OpenAPI description is published for ${BASE}: ${BASE}/openapi.json (404), ${BASE}/openapi.yaml (404), ` +
        `${BASE}/api-docs (404), ${BASE}/v3/api-docs (404), ${BASE}/swagger.json (ECONNRESET); ` +
        'expected 200 with the description at one of these URLs.',
    )
  })

  it('says why a body is not a description', async () => {
    const [message] = await messages('<!DOCTYPE html><html></html>', 'api-docs')
    expect(message).toMatch(
      /answered 200 with application\/json, which is not an OpenAPI or Swagger description: the body is not a JSON or YAML object\.$/,
    )
  })

  it('says why the comparison was not made', async () => {
    const outcome = await runRuleCase(rule, {
      name: 'cut off',
      ...split,
      live: live([
        exchange(
          {},
          { purpose: 'openapi', url: `${BASE}/openapi.json`, body: '{"openapi"', truncated: true },
        ),
      ]),
    })
    expect(outcome.reason).toContain('larger than the body cap (raise --max-body')
  })
})

describe('dereferencing and comparing descriptions', () => {
  const tree = (doc: unknown, url?: string): Tree => {
    const t = dereferenceDocument(doc, url !== undefined ? { url } : {})
    if ('tooLarge' in t) throw new Error(t.tooLarge)
    return t
  }
  const equal = { differences: [], more: false }

  it('marks recursion by where the schema was first expanded, not where it is written', () => {
    const inComponents = tree({
      paths: { '/a': { schema: { $ref: '#/components/schemas/Node' } } },
      components: { schemas: { Node: { properties: { next: { $ref: '#/components/schemas/Node' } } } } },
    })
    expect(getAt(inComponents.value, '/paths/~1a/schema/properties/next').value).toEqual({
      [RECURSIVE]: '/paths/~1a/schema',
    })
    const inline = tree({
      paths: { '/a': { schema: { properties: { next: { $ref: '#/paths/~1a/schema' } } } } },
    })
    const paths = (t: Tree): Tree => ({ ...t, value: getAt(t.value, '/paths').value })
    expect(compareDescriptions(paths(inComponents), paths(inline))).toEqual(equal)
  })

  it('compares a recursion unrolled once more on one side as equal', () => {
    const node = { properties: { next: { $ref: '#/n' } } }
    const once = tree({ n: node })
    const twice = tree({ n: { properties: { next: { properties: { next: { $ref: '#/n' } } } } } })
    expect(compareDescriptions(once, twice)).toEqual(equal)
    const different = tree({ n: { properties: { next: { properties: { other: { $ref: '#/n' } } } } } })
    expect(compareDescriptions(once, different)).toMatchObject({
      differences: [
        { pointer: '/n/properties/next/properties/next' },
        { pointer: '/n/properties/next/properties/other' },
      ],
    })
  })

  it('expands a schema used many times once', () => {
    // 2^40 paths through the tree, 80 references in the document.
    const schemas: Record<string, object> = { S40: { type: 'string' } }
    for (let i = 0; i < 40; i++)
      schemas[`S${i}`] = { properties: { a: { $ref: `#/s/S${i + 1}` }, b: { $ref: `#/s/S${i + 1}` } } }
    const doc = { openapi: '3.1.0', root: { $ref: '#/s/S0' }, s: schemas }
    expect(compareDescriptions(tree(doc), tree(structuredClone(doc)))).toEqual(equal)
  })

  it('follows references to its own URL and $anchor references, and keeps others', () => {
    const t = tree(
      {
        a: { $ref: 'https://api.bokslut.example/v1/openapi.json#/b' },
        b: { $anchor: 'bee', type: 'string' },
        c: { $ref: '#bee' },
        d: { $ref: 'https://elsewhere.example/x.json' },
        e: { $ref: '#/nowhere' },
      },
      `${BASE}/openapi.json`,
    )
    expect(t.value).toMatchObject({
      a: { type: 'string' },
      c: { type: 'string' },
      d: { $ref: 'https://elsewhere.example/x.json' },
      e: { $ref: '#/nowhere' },
    })
  })

  it('leaves $refs inside examples alone, but follows them in a default response', () => {
    const t = tree({
      x: { example: { $ref: '#/y' } },
      responses: { default: { $ref: '#/y' } },
      y: { description: 'An error' },
    })
    expect(t.value).toMatchObject({
      x: { example: { $ref: '#/y' } },
      responses: { default: { description: 'An error' } },
    })
  })

  it('reads YAML with the core schema only', () => {
    const parsed = parseDescription(
      'openapi: 3.1.0\ninfo: !!js/function "function () {}"\n__proto__: {polluted: true}\n',
    )
    expect(parsed).toMatchObject({ kind: 'openapi', version: '3.1.0', value: { info: 'function () {}' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('shortens long values', () => {
    expect(
      describeDifference({ pointer: '/info/description', published: 'x'.repeat(100), supplied: 'y' }),
    ).toBe(`/info/description: published "${'x'.repeat(58)}…, supplied "y"`)
  })
})
