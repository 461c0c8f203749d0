import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOpenApi } from '../../src/loaders/openapi.js'
import { tempFiles } from '../helpers/tmp.js'

// A real HTTP server on 127.0.0.1 serves a shared schema, as a national schema registry would.
let server: Server
let port = 0
const requests: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url === '/schemas/problem.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' })
      res.end('Problem:\n  type: object\n  properties:\n    title: { type: string }\n')
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function description(): string {
  return `openapi: 3.1.0
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Problem:
      $ref: 'http://127.0.0.1:${port}/schemas/problem.yaml#/Problem'
`
}

describe('remote $refs', () => {
  it('are not fetched unless the host is allowed', async () => {
    const dir = tempFiles({ 'openapi.yaml': description() })
    const before = requests.length
    const api = await loadOpenApi(path.join(dir, 'openapi.yaml'))
    expect(requests.length).toBe(before)
    expect(api.refProblems).toMatchObject([
      { reason: 'remote-not-allowed', loc: { pointer: '/components/schemas/Problem/$ref' } },
    ])
  })

  it('are fetched from an allowed host and resolved with positions in the fetched document', async () => {
    const dir = tempFiles({ 'openapi.yaml': description() })
    const api = await loadOpenApi(path.join(dir, 'openapi.yaml'), { allowRemoteRefHosts: ['127.0.0.1'] })
    expect(api.refProblems).toEqual([])
    expect(requests).toContain('/schemas/problem.yaml')
    const loc = api.locateResolvedPath(['components', 'schemas', 'Problem', 'properties', 'title'])
    expect(loc.uri).toBe(`http://127.0.0.1:${port}/schemas/problem.yaml`)
    expect(api.location(loc)).toMatchObject({
      source: loc.uri,
      pointer: '/Problem/properties/title',
      line: 4,
    })
  })
})
