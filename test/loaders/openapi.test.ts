import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { kindAt, loadOpenApi } from '../../src/loaders/openapi.js'
import { tempFiles } from '../helpers/tmp.js'

const dir = tempFiles({
  'api/openapi.yaml': `openapi: 3.0.3
info:
  title: Split
  version: 1.0.0
paths:
  /books:
    $ref: paths/books.yaml
components:
  schemas:
    Book:
      $ref: schemas/book.json
`,
  'api/paths/books.yaml': `get:
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema:
            $ref: ../schemas/book.json
    '404':
      content:
        application/problem+json: {}
`,
  'api/schemas/book.json': `{
  "type": "object",
  "properties": {
    "title": { "type": "string" },
    "author": { "$ref": "#/definitions/Author" }
  },
  "definitions": { "Author": { "type": "string" } }
}`,
  'api/swagger.json': JSON.stringify(
    { swagger: '2.0', info: { title: 's', version: '1.0.0' }, paths: {} },
    null,
    2,
  ),
  'api/fragments.json': JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Fragments', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Plain: { type: 'string' },
        'A B': { type: 'integer' },
        Äpple: { type: 'number' },
        'a/b': { type: 'boolean' },
        '50%': { type: 'array' },
        '{x}': { type: 'object' },
      },
    },
  }),
  'api/v31.yaml': 'openapi: 3.1.0\ninfo:\n  title: t\n  version: 1.0.0\npaths: {}\n',
  'api/escape.yaml': `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      responses:
        '200':
          $ref: ../outside.yaml#/ok
        '201':
          $ref: https://schemas.example.org/r.yaml#/ok
        '202':
          $ref: '#/components/responses/Nope'
`,
  'outside.yaml': 'ok: { description: secret }\n',
  'api/missing-ref.yaml': `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths:
  /a:
    $ref: ./does-not-exist.yaml
`,
  'api/path-param.yaml': `openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /books/{id}:
    get:
      parameters:
        - name: id
          in: path
          schema: { type: string }
      responses:
        '200': { description: ok }
`,
  'api/anchor.yaml': `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Shelf:
      type: object
      properties:
        books: { type: array, items: { $ref: '#Book' } }
    Book: { $anchor: Book, type: object }
`,
  'api/ref-kinds.yaml': `openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/Limit'
        - name: ids
          in: query
          schema:
            type: array
            items:
              $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Page' }
        '201':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Page' }
components:
  parameters:
    Limit: { name: limit, in: query, schema: { type: integer } }
  schemas:
    Page:
      type: object
      properties:
        size: { type: intger }
`,
  'api/not-openapi.yaml': 'name: my service\nversion: 1\n',
  'api/numeric.yaml': 'openapi: 3.1\ninfo: { title: t, version: 1.0.0 }\npaths: {}\n',
})
const f = (name: string) => path.join(dir, name)

describe('OpenAPI loader', () => {
  it('loads a description split over YAML and JSON files, following relative $refs', async () => {
    const api = await loadOpenApi(f('api/openapi.yaml'))
    expect(api.kind).toBe('openapi')
    expect(api.specVersion).toBe('3.0.3')
    expect([...api.documents.keys()].map((u) => path.basename(u)).sort()).toEqual([
      'book.json',
      'books.yaml',
      'openapi.yaml',
    ])
    expect(api.refProblems).toEqual([])
  })

  it('maps structural problems from swagger-parser to the file and line where they are written', async () => {
    const api = await loadOpenApi(f('api/openapi.yaml'))
    // The 404 response in paths/books.yaml has no description, which OpenAPI 3.0 requires.
    expect(api.structuralProblems.length).toBeGreaterThan(0)
    const p = api.structuralProblems.find((x) => x.message.includes("'description'"))!
    expect(p).toBeDefined()
    const loc = api.location(p.loc)
    expect(loc.source.endsWith('paths/books.yaml')).toBe(true)
    expect(loc.pointer).toBe('/get/responses/404')
    expect(loc.line).toBe(10)
  })

  it('reports the alternative a value came closest to, not every alternative it missed', async () => {
    const api = await loadOpenApi(f('api/path-param.yaml'))
    expect(api.structuralProblems.map((p) => [p.loc.pointer, p.message])).toEqual([
      [
        '/paths/~1books~1{id}/get/parameters/0',
        "'/paths/~1books~1{id}/get/parameters/0' must have the property 'required'",
      ],
    ])
  })

  it('validates a shared object once, where it is written, and a $ref target as what it is used as', async () => {
    const api = await loadOpenApi(f('api/ref-kinds.yaml'))
    expect(api.structuralProblems.map((p) => [p.loc.pointer, p.message])).toEqual([
      // Used by two responses, said once.
      [
        '/components/schemas/Page/properties/size/type',
        `'/components/schemas/Page/properties/size/type' must be one of "array", "boolean", "integer", "number", "object", "string"`,
      ],
      // A parameter used as the schema of array items: it has what a Schema may not have.
      ...['name', 'in', 'schema'].map((k) => [
        `/components/parameters/Limit/${k}`,
        `'/paths/~1a/get/parameters/1/schema/items' has a property '${k}' that is not allowed here`,
      ]),
    ])
  })

  it('knows what each place of an OpenAPI 3 document holds from its path', () => {
    const at = (p: string) => kindAt(p.split('/').slice(1))
    expect(at('/components/schemas/Page/properties/size/items/0')).toBe('Schema')
    expect(at('/components/schemas/Page/properties/x-size')).toBe('Schema')
    expect(at('/paths/~1a/get/parameters/1')).toBe('Parameter')
    expect(at('/paths/~1a/get/parameters/1/schema/items')).toBe('Schema')
    expect(at('/paths/~1a/get/responses/200')).toBe('Response')
    expect(at('/paths/~1a/get/responses/x-note')).toBeUndefined()
    expect(at('/paths/~1a/get/responses/200/content/application~1json/examples/one')).toBe('Example')
    expect(at('/paths/~1a/get/callbacks/cb/{$url}/post/requestBody')).toBe('RequestBody')
    expect(at('/webhooks/new')).toBe('PathItem')
    expect(at('/components/schemas/Page/example/items')).toBeUndefined()
    expect(at('/info')).toBeUndefined()
  })

  it('follows JSON Schema $anchor references in OpenAPI 3.1', async () => {
    const api = await loadOpenApi(f('api/anchor.yaml'))
    expect(api.refProblems).toEqual([])
    expect(api.structuralProblems).toEqual([])
    const loc = api.locateResolvedPath(['components', 'schemas', 'Shelf', 'properties', 'books', 'items'])
    expect(loc.pointer).toBe('/components/schemas/Book')
  })

  it('reads a local $ref as a URL fragment: percent-escapes decoded, JSON pointer escapes kept', async () => {
    const api = await loadOpenApi(f('api/fragments.json'))
    const target = (ref: string) => api.refTarget(ref, api.root.uri)?.pointer
    const cases: [string, string | undefined][] = [
      ['#/components/schemas/Plain', '/components/schemas/Plain'],
      ['#/components/schemas/A%20B', '/components/schemas/A B'],
      ['#/components/schemas/A B', '/components/schemas/A B'],
      ['#/components/schemas/%C3%84pple', '/components/schemas/Äpple'],
      ['#/components/schemas/Äpple', '/components/schemas/Äpple'],
      ['#/components/schemas/a~1b', '/components/schemas/a~1b'],
      ['#/components/schemas/50%25', '/components/schemas/50%'],
      ['#/components/schemas/{x}', '/components/schemas/{x}'],
      // A URL drops tabs and line breaks anywhere in it.
      ['#/components/schemas/Pl\tain', '/components/schemas/Plain'],
      ['#', ''],
      ['#/components/schemas/Nope', undefined],
      ['#/components/schemas/Plain/type/0', undefined],
    ]
    for (const [ref, pointer] of cases) expect(target(ref), ref).toBe(pointer)
    expect(api.resolve({ value: { $ref: '#/components/schemas/a~1b' }, loc: api.rootLoc })?.value).toEqual({
      type: 'boolean',
    })
  })

  it('follows $refs through files and keeps where each value is written', async () => {
    const api = await loadOpenApi(f('api/openapi.yaml'))
    const loc = api.locateResolvedPath(['components', 'schemas', 'Book', 'properties', 'author'])
    expect(path.basename(loc.uri)).toBe('book.json')
    expect(loc.pointer).toBe('/definitions/Author')
    expect(api.location(loc)).toMatchObject({ line: 7 })
  })

  it('detects Swagger 2.0 and OpenAPI 3.1', async () => {
    const s = await loadOpenApi(f('api/swagger.json'))
    expect([s.kind, s.specVersion, s.root.format]).toEqual(['swagger', '2.0', 'json'])
    const o = await loadOpenApi(f('api/v31.yaml'))
    expect([o.kind, o.specVersion, o.root.format]).toEqual(['openapi', '3.1.0', 'yaml'])
    expect(o.structuralProblems).toEqual([])
  })

  it('refuses $refs outside the folder and to hosts not allowed, and reports missing anchors', async () => {
    const api = await loadOpenApi(f('api/escape.yaml'))
    expect(api.refProblems.map((p) => [p.reason, p.loc.pointer])).toEqual([
      ['outside-folder', '/paths/~1a/get/responses/200/$ref'],
      ['remote-not-allowed', '/paths/~1a/get/responses/201/$ref'],
      ['missing-target', '/paths/~1a/get/responses/202/$ref'],
    ])
    // Nothing outside the folder was read.
    expect([...api.documents.keys()].some((u) => u.endsWith('outside.yaml'))).toBe(false)
    // The validator is not confused by refs it was not given.
    expect(api.structuralProblems).toEqual([])
  })

  it('answers a $ref to a missing file with an input error naming the referring file and line', async () => {
    const err = await loadOpenApi(f('api/missing-ref.yaml')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    const e = err as InputError
    expect(e.file?.endsWith('missing-ref.yaml')).toBe(true)
    expect(e.line).toBe(5)
    expect(e.message).toMatch(/does-not-exist\.yaml/)
  })

  it('answers a document that is not OpenAPI, or a numeric version, with an input error', async () => {
    await expect(loadOpenApi(f('api/not-openapi.yaml'))).rejects.toThrow(/not an OpenAPI description/)
    const err = (await loadOpenApi(f('api/numeric.yaml')).catch((e: unknown) => e)) as InputError
    expect(err.message).toMatch(/must be a string/)
    expect(err.line).toBe(1)
  })
})
