import { groupBy } from '../../core/group-by.js'
import { defineRule } from '../../core/define-rule.js'
import type { HttpExchange } from '../../loaders/live.js'
import { contentTypeOf, exchangeEvidence } from './util.js'
import {
  compareDescriptions,
  dereferenceArtifact,
  dereferencePublished,
  describeDifference,
  parseDescription,
  type Comparison,
  type Dereferenced,
} from './util-description.js'

const ok = (e: HttpExchange) => !!e.response && e.response.status >= 200 && e.response.status < 300

export default defineRule({
  meta: {
    id: 'openapi-published-live',
    title: 'The service publishes its OpenAPI description, as supplied, without authentication',
    failureTitle: 'The service does not openly publish the OpenAPI description that was supplied',
    description:
      'Developer portals, API catalogues, code generators and a municipality’s own integration tools read an API’s description from the running service; when it is missing, behind a login or not the one that was reviewed, they build on the wrong contract. ' +
      'Publish the description at the base URL as openapi.json (or at the openapiUrl the manifest names), readable without credentials, and keep it equal to the one supplied.',
    fix: 'Serve the supplied description, bundled into one file if it is split, at <base URL>/openapi.json without authentication.',
    sources: [
      {
        title: 'NL API Design Rules: /core/publish-openapi',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/publish-openapi',
      },
      { title: 'OpenAPI Specification', url: 'https://spec.openapis.org/oas/latest.html' },
    ],
    requires: ['live', 'openapi'],
    establishedBy: 'live',
    messages: {
      'not-published':
        'No OpenAPI description is published for {{baseUrl}}: {{tried}}; expected 200 with the description at one of these URLs.',
      'needs-auth':
        'GET {{url}} without credentials answered {{status}}; the description must be readable without authentication.',
      'not-a-description':
        'GET {{url}} answered {{status}} with {{type}}, which is not an OpenAPI or Swagger description: {{reason}}.',
      differs: 'The description published at {{url}} differs from the one supplied: {{differences}}.',
    },
  },
  check(ctx) {
    const api = ctx.artifacts.openapi!
    const probes = ctx.artifacts.live!.exchanges.filter((e) => e.purpose === 'openapi')
    if (!probes.length) {
      ctx.notChecked('the live checks did not look for the published description')
      return
    }
    // The candidates are tried per base URL, in order, until one answers 2xx.
    const byTarget = groupBy(probes, (e) => `${e.target.environment} ${e.target.baseUrl}`)

    let supplied: Dereferenced | undefined
    const comparisons = new Map<string, Comparison>()
    let judged = false
    let reported = false
    const unanswered: string[] = []
    const unchecked: string[] = []
    for (const tried of byTarget.values()) {
      const report = (messageId: string, e: HttpExchange, data: Record<string, unknown>) => {
        reported = true
        ctx.report({
          messageId,
          loc: e.target.loc,
          data: { url: e.request.url, status: e.response?.status, ...data },
          evidence: { http: exchangeEvidence(e, ['content-type']) },
        })
      }
      const found = tried.find(ok)
      if (!found) {
        const answered = tried.filter((e) => e.response)
        if (!answered.length) {
          unanswered.push(...tried.map((e) => `GET ${e.request.url}: ${e.error ?? 'no answer'}`))
          continue
        }
        judged = true
        const denied = answered.find((e) => e.response!.status === 401 || e.response!.status === 403)
        if (denied) report('needs-auth', denied, {})
        else
          report('not-published', answered[0]!, {
            baseUrl: tried[0]!.target.baseUrl,
            tried: tried.map(outcomeOf).join(', '),
          })
        continue
      }

      const res = found.response!
      if (res.truncated) {
        unchecked.push(
          `the description at ${found.request.url} is larger than the body cap (raise --max-body to compare it)`,
        )
        continue
      }
      const parsed = parseDescription(res.body ?? '')
      if ('error' in parsed) {
        judged = true
        report('not-a-description', found, {
          type: contentTypeOf(found) || 'no content type',
          reason: parsed.error,
        })
        continue
      }
      supplied ??= dereferenceArtifact(api)
      if ('tooLarge' in supplied) {
        unchecked.push(`the supplied description ${supplied.tooLarge}, too large to compare`)
        continue
      }
      // Environments often serve one document (the manifest's openapiUrl): it is compared once.
      const cacheKey = `${found.request.url} ${res.body}`
      let comparison = comparisons.get(cacheKey)
      if (!comparison) {
        const url = found.request.url
        const published = dereferencePublished(parsed.value, supplied, url)
        if ('tooLarge' in published)
          comparison = {
            tooLarge: `the description published at ${url} ${published.tooLarge}, too large to compare`,
          }
        else {
          comparison = compareDescriptions(published, supplied)
          if ('tooLarge' in comparison)
            comparison = { tooLarge: `comparing the description published at ${url} ${comparison.tooLarge}` }
        }
        comparisons.set(cacheKey, comparison)
      }
      if ('tooLarge' in comparison) {
        unchecked.push(comparison.tooLarge)
        continue
      }
      judged = true
      if (comparison.differences.length)
        report('differs', found, {
          differences:
            comparison.differences.map(describeDifference).join('; ') + (comparison.more ? '; and more' : ''),
        })
    }

    if (reported) return
    if (unchecked.length) ctx.notChecked(unchecked.join('; '))
    else if (!judged)
      ctx.notChecked(`no request for the published description was answered (${unanswered.join('; ')})`)
  },
})

/** A tried URL and how it was answered, for the message. */
function outcomeOf(e: HttpExchange): string {
  const what = [e.response?.status, e.error].filter((x) => x !== undefined).join(', ')
  return `${e.request.url} (${what || 'no answer'})`
}
