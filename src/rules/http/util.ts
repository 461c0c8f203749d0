import type { Evidence } from '../../core/types.js'
import type { HttpExchange } from '../../loaders/live.js'

/** An observed exchange as evidence: request line, status, the named response headers, the body's start. */
export function exchangeEvidence(
  e: HttpExchange,
  headerNames: readonly string[],
): NonNullable<Evidence['http']> {
  const r = e.response
  const headers: Record<string, string> = {}
  for (const name of headerNames) {
    const v = r?.headers[name]
    if (v !== undefined) headers[name] = v
  }
  return {
    method: e.request.method,
    url: e.request.url,
    ...(r ? { status: r.status, headers } : {}),
    ...(r?.bodyExcerpt ? { bodyExcerpt: r.bodyExcerpt } : {}),
  }
}

/** The media type of a response, without parameters, lower case; '' when none. */
export function contentTypeOf(e: HttpExchange): string {
  return (e.response?.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}
