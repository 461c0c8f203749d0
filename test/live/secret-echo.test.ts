import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basicAuth, Redactor } from '../../src/loaders/prober/credentials.js'
import { cliAsync } from '../helpers/cli.js'
import { tempFiles } from '../helpers/tmp.js'

/**
 * Credentials never leave the run: a service on 127.0.0.1 that sends back every credential it is
 * given — in bodies (as they came, JSON-escaped, percent-encoded, as HTML character references),
 * in headers (Set-Cookie, WWW-Authenticate, Location, Link, a header's very name), in redirects, in
 * FHIR links the prober follows, in the Location of a redirect it refuses, so that the refusal's
 * message holds it, and in a published description as only a YAML reader decodes it — is checked with --live, every format into --output-dir, the recording, a
 * baseline and the GitHub job summary; and then a replay of the recording. No file written, and
 * neither standard output nor standard error, holds a credential in any of those forms.
 */
const SECRETS = {
  // Base64 tokens carry / + =, which servers escape or percent-encode on the way back.
  INTEROP_HOSTILE_TOKEN: 'tK9/f+Qz=7Lm2xY8wR',
  INTEROP_HOSTILE_API_KEY: 'ak7Hq2Wv9Rt4Zp6N',
  INTEROP_HOSTILE_CLIENT_ID: 'hostile-ci-client',
  INTEROP_HOSTILE_CLIENT_SECRET: 'cs+8Jw/3Kd=Np5Vb',
}
/** The token the token endpoint issues for the client credentials. */
const ISSUED = 'iss-Ue4/Zr8+Pb6Qm1'
const FORMS = [
  ...Object.values(SECRETS),
  ISSUED,
  basicAuth(SECRETS.INTEROP_HOSTILE_CLIENT_ID, SECRETS.INTEROP_HOSTILE_CLIENT_SECRET),
  Buffer.from(`${SECRETS.INTEROP_HOSTILE_CLIENT_ID}:${SECRETS.INTEROP_HOSTILE_CLIENT_SECRET}`).toString(
    'base64',
  ),
]

let server: Server
let port = 0
const heard: string[] = []

/** What the request carried as credentials: the bearer token or API key, or the client's secret. */
function credentialOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? ''
  // RFC 6749 §2.3.1: the client id and secret are form-encoded before they are joined.
  if (auth.startsWith('Basic '))
    return Buffer.from(auth.slice(6), 'base64')
      .toString('utf8')
      .split(':')
      .map((x) => decodeURIComponent(x.replace(/\+/g, ' ')))
      .join(':')
  return auth.replace(/^Bearer /, '') || String(req.headers['x-api-key'] ?? '')
}

const jsonEscaped = (s: string) => s.replace(/\//g, '\\/').replace(/\+/g, '\\u002B')
const allEscaped = (s: string) =>
  [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
const entities = (s: string) =>
  [...s].map((c, i) => (i % 2 ? `&#${c.charCodeAt(0)};` : `&#x${c.charCodeAt(0).toString(16)};`)).join('')

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
  const secret = credentialOf(req)
  if (secret) heard.push(secret)
  const echo = `${req.headers.authorization ?? ''} ${secret}`.trim()
  const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': type,
      ...(echo
        ? {
            'set-cookie': `session=${echo}; HttpOnly`,
            'www-authenticate': `Bearer error="invalid_token", error_description="${echo}"`,
            'x-echo': echo,
            link: `<http://${req.headers.host}/v1?t=${secret}>; rel="related"`,
            // A header named after the credential, where one can be.
            ...(/^[A-Za-z0-9]+$/.test(secret) ? { [`x-${secret}`]: '1' } : {}),
          }
        : {}),
      ...headers,
    })
    res.end(body)
  }
  const problem = (status: number, detail: string) =>
    send(status, 'application/problem+json', JSON.stringify({ title: 'Problem', status, detail }))
  const p = url.pathname
  if (p === '/oauth2/token')
    return send(200, 'application/json', JSON.stringify({ access_token: ISSUED, token_type: 'Bearer', echo }))
  if (p === '/v1')
    return send(
      200,
      'application/json',
      `{"received": ${JSON.stringify(echo)}, "php": "${jsonEscaped(secret)}", "all": "${allEscaped(secret)}"}`,
      { location: `/v1/next?token=${encodeURIComponent(secret)}` },
    )
  if (p === '/v1/health') return problem(401, `The token ${echo} is not valid.`)
  // A login page that takes the credential along, percent-encoded, and then one elsewhere.
  if (p === '/v1/interop-check-no-such-path')
    return send(302, 'text/plain', '', { location: `/v1/login?next=${encodeURIComponent(secret)}` })
  if (p === '/v1/login')
    return send(302, 'text/plain', '', {
      location: `http://${secret.replace(/[^A-Za-z0-9]/g, '')}.evil.example/steal`,
    })
  if (p === '/v1/things/1')
    return send(
      200,
      'application/json',
      `{"name": 7, "child": "${jsonEscaped(echo)}", "${allEscaped(secret)}": 1}`,
    )
  if (p.startsWith('/v1/things/'))
    return send(400, 'text/html', `<html><body>Bad request from ${entities(secret)}</body></html>`)
  // The published description is fetched without credentials, but this server knows the token
  // (it heard it) and writes it in YAML as no pattern sees it: `\U` escapes, folded over a line.
  if (p === '/v1/openapi.json')
    return send(
      200,
      'application/yaml',
      [
        'openapi: 3.1.0',
        'info:',
        `  title: "Hostile ${SECRETS.INTEROP_HOSTILE_TOKEN.slice(0, 6)}\\`,
        `    ${SECRETS.INTEROP_HOSTILE_TOKEN.slice(6)}"`,
        '  version: 1.0.0',
        'paths:',
        `  "/${[...SECRETS.INTEROP_HOSTILE_TOKEN].map((c) => `\\U${c.charCodeAt(0).toString(16).padStart(8, '0')}`).join('')}": {}`,
        '',
      ].join('\n'),
    )
  if (p === '/fhir/metadata')
    return send(
      200,
      'application/fhir+json',
      JSON.stringify({
        resourceType: 'CapabilityStatement',
        status: 'active',
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['json'],
        rest: [
          {
            mode: 'server',
            resource: [
              {
                type: 'Patient',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: [{ name: 'identifier', type: 'token' }],
              },
            ],
            operation: [
              { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
            ],
          },
        ],
      }),
    )
  if (p === '/fhir/Patient' && url.searchParams.has('identifier') && secret)
    return send(
      200,
      'application/fhir+json',
      JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }),
    )
  if (p === '/fhir/Patient' && secret)
    return send(
      200,
      'application/fhir+json',
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'searchset',
        link: [
          {
            relation: 'next',
            url: `http://${req.headers.host}/fhir/Patient?page=2&t=${encodeURIComponent(secret)}`,
          },
        ],
        entry: [
          {
            resource: {
              resourceType: 'Patient',
              id: 'p1',
              identifier: [{ system: 'urn:x', value: secret }],
              name: [{ text: echo }],
            },
          },
        ],
      }),
    )
  if (p === '/fhir/$export' && secret)
    return send(202, 'application/fhir+json', '', {
      'content-location': `http://${req.headers.host}/fhir/status/${encodeURIComponent(secret)}`,
    })
  if (p.startsWith('/fhir/status/'))
    return send(
      200,
      'application/json',
      JSON.stringify({
        transactionTime: '2026-01-01T00:00:00Z',
        request: echo,
        requiresAccessToken: true,
        output: [
          {
            type: `Patient${secret}`,
            url: `http://${req.headers.host}/fhir/files/${encodeURIComponent(secret)}.ndjson`,
          },
        ],
        error: [],
      }),
    )
  return problem(secret ? 404 : 401, `Nothing here for ${echo || 'you'}.`)
}

beforeAll(async () => {
  server = createServer(answer)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** Every file under a folder, with its path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? filesUnder(file) : [file]
  })
}

/**
 * A file's text as written and as a reader would decode it: the strings of a JSON file, then
 * JSON string escapes, percent-encoding, HTML character references and Markdown backslash escapes
 * in any of those; and a PDF's compressed streams.
 */
function readings(bytes: Buffer): string[] {
  const utf8 = bytes.toString('utf8')
  const latin1 = bytes.toString('latin1')
  const streams = [...latin1.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].flatMap((m) => {
    try {
      return [inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1')]
    } catch {
      return []
    }
  })
  const strings: string[] = []
  try {
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v)
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          strings.push(k)
          walk(x)
        }
    }
    walk(JSON.parse(utf8))
  } catch {
    // not JSON
  }
  const code = (n: number) => String.fromCodePoint(n)
  return [utf8, ...streams, strings.join('\n')].flatMap((text) => [
    text,
    text
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => code(parseInt(h, 16)))
      .replace(/\\([/"\\])/g, '$1'),
    text.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => code(parseInt(h, 16))),
    text
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => code(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d: string) => code(Number(d)))
      .replace(/&amp;/g, '&'),
    text.replace(/\\([\\`*_[\]{}|~#!])/g, '$1'),
  ])
}

/** The credentials, in any letter case, in any reading of a file. */
function leaksIn(name: string, bytes: Buffer): string[] {
  const found = new Set<string>()
  for (const text of readings(bytes).map((t) => t.toLowerCase()))
    for (const s of FORMS) if (text.includes(s.toLowerCase())) found.add(`${name}: ${s}`)
  return [...found]
}

describe('credentials a service sends back', () => {
  it('are redacted as sent, in any letter case, escaped, encoded, and cut off at the end of a body', () => {
    const r = new Redactor()
    r.add('tK9/f+Qz=7Lm')
    for (const form of [
      'tK9/f+Qz=7Lm',
      'TK9/F+QZ=7LM',
      'tK9\\/f\\u002BQz=7Lm',
      '\\u0074\\u004b9/f+Qz\\u003d7Lm',
      'tK9\\x2ff+Qz=7Lm',
      'tK9%2Ff%2bQz%3D7Lm',
      'tK9&#47;f&plus;Qz&#x3d;7Lm',
      'tK9&sol;f+Qz&equals;7Lm',
    ])
      expect(r.scrub(`a ${form} b`), form).toBe('a [redacted] b')
    // A body cut off by the cap in the middle of the secret keeps no beginning of it either.
    expect(r.scrub('x tK9/f+Q', { truncated: true })).toBe('x [redacted]')
    expect(r.scrub('x tK9/f+Q')).toBe('x tK9/f+Q')
    // Text that only resembles it stays.
    expect(r.scrub('tK9 f+Qz=7Lm tK9/f+Qz')).toBe('tK9 f+Qz=7Lm tK9/f+Qz')
    expect(
      r.scrubHeaders({ 'x-tk9/f+qz=7lm': 'v', link: '<http://h/?t=tK9%2Ff%2BQz%3D7Lm>' }, new Set()),
    ).toEqual({
      'x-[redacted]': 'v',
      link: '<http://h/?t=[redacted]>',
    })
  })

  it('appear in no report, recording, baseline, summary or log, whatever form they come back in', async () => {
    const dir = tempFiles({
      'interop.yaml': `service: {name: Echo, vendor: Echo AB}
apis:
  - name: api
    openapi: openapi.yaml
    environments:
      production: http://127.0.0.1:${port}/v1
      sandbox: http://localhost:${port}/v1
      test: http://127.0.0.1:${port}/v1
    examples:
      getThing: {id: '1'}
    credentials:
      production: {type: bearer, tokenEnv: INTEROP_HOSTILE_TOKEN}
      sandbox:
        type: oauth2-client-credentials
        tokenUrl: http://localhost:${port}/oauth2/token
        clientIdEnv: INTEROP_HOSTILE_CLIENT_ID
        clientSecretEnv: INTEROP_HOSTILE_CLIENT_SECRET
      test: {type: apiKey, header: X-Api-Key, valueEnv: INTEROP_HOSTILE_API_KEY}
fhir:
  baseUrl: http://127.0.0.1:${port}/fhir
  credentials: {type: bearer, tokenEnv: INTEROP_HOSTILE_TOKEN}
`,
      'openapi.yaml': `openapi: 3.1.0
info: {title: Echo, version: 1.0.0}
paths:
  /health:
    get:
      responses:
        '200': {description: ok, content: {application/health+json: {schema: {type: object}}}}
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 5}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {name: {type: string}, child: {type: object}}
`,
    })
    const out = path.join(dir, 'out')
    const formats = ['text', 'json', 'markdown', 'html', 'pdf', 'sarif', 'junit', 'gitlab', 'github', 'azure']
    const common = [
      '-r',
      'municipal-baseline',
      '--allow-private',
      '--fail-on',
      'none',
      '--timeout',
      '2',
      '--rate',
      '100',
    ]
    const env = { ...SECRETS, GITHUB_STEP_SUMMARY: path.join(out, 'summary.md') }
    const run = await cliAsync(
      [
        'check',
        path.join(dir, 'interop.yaml'),
        '--live',
        ...common,
        ...formats.flatMap((f) => ['-f', f]),
        '--output-dir',
        out,
        '--save-inputs',
        path.join(dir, 'recorded'),
        '--write-baseline',
        path.join(dir, 'baseline.json'),
      ],
      { env },
    )
    expect(run.stderr).not.toMatch(/interop:|^\s+at /m)
    expect(run.status, run.stderr).toBe(0)
    // The service did hear every credential, so it had each one to send back.
    expect(new Set(heard)).toEqual(
      new Set([
        SECRETS.INTEROP_HOSTILE_TOKEN,
        SECRETS.INTEROP_HOSTILE_API_KEY,
        ISSUED,
        `${SECRETS.INTEROP_HOSTILE_CLIENT_ID}:${SECRETS.INTEROP_HOSTILE_CLIENT_SECRET}`,
      ]),
    )
    // A replay of the recording, with and without the credentials in the environment.
    const replays = await Promise.all(
      [env, {}].map((e) =>
        cliAsync(
          [
            'check',
            path.join(dir, 'interop.yaml'),
            '--from-inputs',
            path.join(dir, 'recorded'),
            ...common,
            '-f',
            'json',
          ],
          { env: e },
        ),
      ),
    )
    const written = [
      ...filesUnder(out),
      ...filesUnder(path.join(dir, 'recorded')),
      path.join(dir, 'baseline.json'),
    ]
    expect(written.map((f) => path.relative(dir, f)).sort()).toEqual(
      [
        'baseline.json',
        'out/gl-code-quality-report.json',
        'out/interop-azure.txt',
        'out/interop-github.txt',
        'out/interop-junit.xml',
        'out/interop-report.html',
        'out/interop-report.json',
        'out/interop-report.md',
        'out/interop-report.pdf',
        'out/interop.sarif',
        'out/interop.txt',
        'out/summary.md',
        'recorded/live.json',
      ].sort(),
    )
    const leaks = [
      ...written.flatMap((f) => leaksIn(path.relative(dir, f), readFileSync(f))),
      ...[run, ...replays].flatMap((r, i) => [
        ...leaksIn(`stdout ${i}`, Buffer.from(r.stdout)),
        ...leaksIn(`stderr ${i}`, Buffer.from(r.stderr)),
      ]),
    ]
    expect(leaks).toEqual([])
    // What was redacted is marked as such, and the checks still ran on what came back.
    const recording = readFileSync(path.join(dir, 'recorded', 'live.json'), 'utf8')
    expect(recording).toContain('[redacted]')
    // The description it published holds the token where only a YAML reader finds it: not kept.
    expect(recording).toContain(
      '[redacted: the body holds a credential in a form that could not be cut out of it]',
    )
    const report = JSON.parse(readFileSync(path.join(out, 'interop-report.json'), 'utf8'))
    expect(report.live.requests).toBeGreaterThan(15)
    for (const r of replays) expect(JSON.parse(r.stdout).findings.length).toBe(report.findings.length)
  })
})
