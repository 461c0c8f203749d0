import {
  LiveArtifact,
  type HttpExchange,
  type ProbePurpose,
  type ProbeTarget,
  type TlsObservation,
} from '../../../src/loaders/live.js'
import { toFileUri } from '../../../src/loaders/reader.js'

/** A manifest naming the probed environments, as the live checks read it. */
export const manifest = {
  service: { name: 'Open Loans', vendor: 'Bokslut AB' },
  apis: [
    {
      name: 'loans',
      openapi: 'openapi.yaml',
      environments: {
        production: 'https://api.bokslut.example/v1',
        sandbox: 'https://sandbox.bokslut.example/v1',
      },
    },
  ],
}
export const document = { openapi: '3.1.0', info: { title: 't', version: '1.0.0' }, paths: {} }

export const target = (environment: 'production' | 'sandbox' = 'production'): ProbeTarget => ({
  api: 'loans',
  environment,
  baseUrl: manifest.apis[0]!.environments[environment],
  // The rule tester writes the manifest as /rule-test/interop.yaml.
  loc: { uri: toFileUri('/rule-test/interop.yaml'), pointer: `/apis/0/environments/${environment}` },
})

export const OBSERVED_AT = '2026-11-24T10:00:00.000Z'

export function tls(
  over: Partial<TlsObservation> = {},
  environment: 'production' | 'sandbox' = 'production',
): TlsObservation {
  const host = new URL(target(environment).baseUrl).hostname
  return {
    target: target(environment),
    host,
    port: 443,
    protocol: 'TLSv1.3',
    legacyAccepted: [],
    certificate: {
      subjectAltNames: [host],
      validFrom: '2026-09-01T00:00:00Z',
      validTo: '2027-09-01T00:00:00Z',
      trusted: true,
    },
    ...over,
  }
}

export function exchange(
  headers: Record<string, string>,
  over: {
    authenticated?: boolean
    url?: string
    environment?: 'production' | 'sandbox'
    purpose?: ProbePurpose
    status?: number
    body?: string
    method?: string
    operation?: HttpExchange['operation']
    invalid?: HttpExchange['invalid']
    scheme?: HttpExchange['scheme']
    truncated?: boolean
  } = {},
): HttpExchange {
  const t = target(over.environment)
  return {
    target: t,
    purpose: over.purpose ?? 'health',
    ...(over.operation ? { operation: over.operation } : {}),
    ...(over.invalid ? { invalid: over.invalid } : {}),
    ...(over.scheme ? { scheme: over.scheme } : {}),
    request: {
      method: over.method ?? 'GET',
      url: over.url ?? `${t.baseUrl}/health`,
      headers: over.authenticated ? { authorization: '[redacted]' } : {},
      authenticated: over.authenticated ?? false,
    },
    response: {
      status: over.status ?? 200,
      headers: { 'content-type': 'application/json', ...headers },
      ...(over.body !== undefined ? { body: over.body, bodyExcerpt: over.body.slice(0, 500) } : {}),
      ...(over.truncated ? { truncated: true } : {}),
    },
  }
}

export const live = (exchanges: HttpExchange[], observations: TlsObservation[] = []) =>
  new LiveArtifact(exchanges, observations, OBSERVED_AT)
