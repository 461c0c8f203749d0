import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { objChild } from './util-style.js'

// Lower-case words of letters and digits joined by single hyphens (RFC 3986 unreserved characters,
// NL ADR /core/path-segments-kebab-case, REST API-profil UFN.07/UFN.08).
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
// The last segment may carry a file extension, e.g. /openapi.json.
const KEBAB_WITH_EXTENSION = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/
// Template expressions ({bookId}) may be named in any style; they never appear in a URL.
const TEMPLATE = /\{[^{}]*\}/g

/** True when a segment is kebab-case once its template expressions are taken out. */
function segmentOk(segment: string, last: boolean): boolean {
  // NL ADR allows an underscore-prefixed final segment for search endpoints, such as /books/_zoek.
  const s = last && segment.startsWith('_') ? segment.slice(1) : segment
  const literal = s.replace(TEMPLATE, '0')
  return (last ? KEBAB_WITH_EXTENSION : KEBAB).test(literal)
}

export default defineRule({
  meta: {
    id: 'path-style',
    title: 'Paths are kebab-case without trailing or doubled slashes',
    failureTitle: 'Paths are not consistently kebab-case',
    description:
      'URLs are part of the interface that municipal developers read and write; a single style avoids guesswork and mismatches between case-sensitive servers. ' +
      'Write path segments in lower-case kebab-case, and leave off trailing slashes and empty segments.',
    fix: 'Rename the path to lower-case kebab-case segments separated by single slashes, without a trailing slash.',
    sources: [
      {
        title: 'NL API Design Rules: /core/path-segments-kebab-case',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/path-segments-kebab-case',
      },
      {
        title: 'NL API Design Rules: /core/no-trailing-slash',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/no-trailing-slash',
      },
      {
        title: 'REST API-profil (DIGG): URL format och namngivning',
        url: 'https://dev.dataportal.se/rest-api-profil/url-format-och-namngivning',
      },
      {
        title: 'RFC 3986 Uniform Resource Identifier: Generic Syntax',
        url: 'https://www.rfc-editor.org/rfc/rfc3986',
      },
    ],
    requires: ['openapi'],
    messages: {
      'not-kebab-case': 'Segment "{{segment}}" of path {{path}} is not kebab-case.',
      'trailing-slash': 'Path {{path}} ends with a slash.',
      'empty-segment': 'Path {{path}} has an empty segment (//).',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const check = (path: string, node: Node<unknown>) => {
      const at = { node, key: true }
      if (path === '/') return
      let rest = path
      if (rest.length > 1 && rest.endsWith('/')) {
        ctx.report({ messageId: 'trailing-slash', ...at, data: { path } })
        rest = rest.slice(0, -1)
      }
      const segments = (rest.startsWith('/') ? rest.slice(1) : rest).split('/')
      if (segments.some((s) => s === '')) ctx.report({ messageId: 'empty-segment', ...at, data: { path } })
      const lastIndex = segments.length - 1
      segments.forEach((segment, i) => {
        if (segment !== '' && !segmentOk(segment, i === lastIndex))
          ctx.report({ messageId: 'not-kebab-case', ...at, data: { path, segment } })
      })
    }
    return {
      // The path keys are read here rather than in PathItem so that a path whose item cannot be
      // resolved (a broken $ref) still has its name checked.
      Document(root) {
        const paths = objChild(api, root, 'paths')
        if (!paths) return
        for (const path of Object.keys(paths.value))
          if (!path.startsWith('x-')) check(path, api.child(paths, path)!)
      },
    }
  },
})
