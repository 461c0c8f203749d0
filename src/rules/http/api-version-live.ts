import { defineRule } from '../../core/define-rule.js'
import type { ProbePurpose } from '../../loaders/live.js'
import { exchangeEvidence } from './util.js'

interface Options {
  header: string
}

/**
 * Requests answered by the API itself. The published description (`openapi`, `cors-preflight`) may
 * be served by a portal, and `auth-metadata` by an identity provider, neither of which knows the version.
 */
const API_PURPOSES = new Set<ProbePurpose>(['operation', 'base', 'health', 'invalid-request', 'unknown-path'])

export default defineRule<Options>({
  meta: {
    id: 'api-version-live',
    title: 'Every response names the full API version in an API-Version header',
    failureTitle: 'Responses do not carry the API version the description states',
    description:
      'The URL names only the major version, so a municipality that meets a changed answer cannot tell which release of the API gave it, nor whether the description it built on is still the one deployed. ' +
      'Send the full version number in an API-Version header on every response, equal to info.version of the published description.',
    fix: 'Let the service or its gateway add `API-Version: <info.version>` to every response, and update it with every release.',
    sources: [
      {
        title: 'NL API Design Rules: /core/version-header',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/version-header',
      },
      {
        title: 'NL API Design Rules: /core/semver',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/semver',
      },
    ],
    requires: ['live', 'openapi'],
    establishedBy: 'live',
    messages: {
      missing: '{{method}} {{url}} answered without the {{header}} header; send {{header}}: {{expected}}.',
      mismatch:
        '{{method}} {{url}} answered {{header}}: {{actual}}, but the description’s info.version is {{expected}}.',
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        header: {
          type: 'string',
          minLength: 1,
          default: 'API-Version',
          description: 'The response header that carries the full version number.',
        },
      },
    },
  },
  check(ctx) {
    const api = ctx.artifacts.openapi!
    const version = api.child(api.node(api.rootLoc), 'info', 'version')?.value
    // A missing or non-string version is the semver rule's finding; there is nothing to compare with.
    if (typeof version !== 'string' || !version.trim()) {
      ctx.notApplicable('the description has no info.version to compare the API-Version header with')
      return
    }
    const expected = version.trim()
    const probes = ctx.artifacts.live!.exchanges.filter((e) => API_PURPOSES.has(e.purpose))
    const answered = probes.filter((e) => e.response)
    if (!answered.length) {
      ctx.notChecked(
        probes.length
          ? `no request to the API was answered (${probes.map((e) => e.error).join('; ')})`
          : 'no request to the API was made',
      )
      return
    }
    const header = ctx.options.header
    const name = header.toLowerCase()
    // One finding per kind and base URL: a gateway that drops the header drops it everywhere.
    const seen = new Set<string>()
    for (const e of answered) {
      const actual = e.response!.headers[name]?.trim()
      const messageId =
        actual === undefined || actual === '' ? 'missing' : actual !== expected ? 'mismatch' : ''
      if (!messageId) continue
      const key = `${messageId}|${e.target.baseUrl}`
      if (seen.has(key)) continue
      seen.add(key)
      ctx.report({
        messageId,
        loc: e.target.loc,
        data: { method: e.request.method, url: e.request.url, header, expected, actual: actual ?? '' },
        evidence: { http: exchangeEvidence(e, [name, 'content-type']) },
      })
    }
  },
})
