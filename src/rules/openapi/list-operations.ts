import { defineRule } from '../../core/define-rule.js'
import { objChild } from './util-style.js'

/** A path with its parameter names blanked and without a trailing slash, to compare paths by shape. */
function shape(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '') || '/'
}

/** A path ending in a parameter segment (`/books/{id}`), and its parent collection (`/books`). */
function parentOf(path: string): string | undefined {
  const segs = path.replace(/\/+$/, '').split('/')
  if (!/^\{[^}]*\}$/.test(segs.at(-1) ?? '')) return undefined
  return segs.slice(0, -1).join('/') || '/'
}

/**
 * Search operations for a collection (`/books`): a GET or POST on `/books/search` or `/books/_search`
 * (FHIR, Elasticsearch), or on `/books:search` (Google AIP-136 custom methods).
 */
const SEARCH_SUFFIXES = ['/search', '/_search', ':search']

export default defineRule({
  meta: {
    id: 'list-operations',
    title: 'Every resource type can be listed or searched',
    failureTitle: 'Some resources can only be fetched by id',
    description:
      'When records can only be fetched one at a time by an id the client must already know, a municipality cannot find, reconcile or migrate its data without the vendor’s help. ' +
      'Give each resource type a collection GET (with filters and paging) or a search operation beside its GET by id.',
    fix: 'Add GET on the collection path (e.g. GET /books with query parameters) or a search operation (e.g. POST /books/search).',
    sources: [
      {
        title: 'NL API Design Rules: /core/naming-collections',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/naming-collections',
      },
      {
        title: 'Regulation (EU) 2023/2854 (Data Act), art. 25: exportable data',
        url: 'https://eur-lex.europa.eu/eli/reg/2023/2854/oj',
      },
      { title: 'Google AIP-132 Standard methods: List', url: 'https://google.aip.dev/132' },
    ],
    requires: ['openapi'],
    messages: {
      'id-only':
        '{{path}} can be read by id, but {{parent}} has no GET and there is no search operation for it.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        const paths = objChild(api, root, 'paths')
        if (!paths) {
          ctx.notApplicable('the description has no paths')
          return
        }
        // Methods by path shape, so that `/books/{bookId}` and `/books/{id}/loans` share `/books/{}`.
        const methods = new Map<string, Set<string>>()
        for (const path of Object.keys(paths.value)) {
          if (path.startsWith('x-')) continue
          const item = objChild(api, paths, path)
          if (!item) continue
          const set = methods.get(shape(path)) ?? new Set<string>()
          for (const m of Object.keys(item.value)) if (objChild(api, item, m)) set.add(m)
          methods.set(shape(path), set)
        }
        const has = (path: string, ...ms: string[]) => ms.some((m) => methods.get(shape(path))?.has(m))
        let items = 0
        for (const path of Object.keys(paths.value)) {
          const parent = parentOf(path)
          if (!parent || !has(path, 'get')) continue
          items++
          const base = parent === '/' ? '' : parent
          if (has(parent, 'get') || SEARCH_SUFFIXES.some((s) => has(base + s, 'get', 'post'))) continue
          ctx.report({
            messageId: 'id-only',
            node: api.child(paths, path)!,
            key: true,
            data: { path, parent },
          })
        }
        if (!items) ctx.notApplicable('no path reads a single resource by id')
      },
    }
  },
})
