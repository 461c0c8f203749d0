import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import type { OperationInfo } from '../../loaders/openapi-walker.js'
import { componentSchemaName, isSuccessStatus, requestMedia, responseMedia, verb } from './util-closed.js'
import { locKey } from './util-http.js'
import { isObj, objChild } from './util-style.js'

const WRITE_METHODS = new Set(['post', 'put', 'patch'])

/**
 * Affixes that mark a schema as the write form of a resource (`BookInput`, `BookCreateRequest`,
 * `NewBook`) or its read form (`BookResponse`, `BookView`); without them both name the resource.
 * Stripped repeatedly from the end, and once from the start before a capital letter.
 */
const WRITE_SUFFIXES = [
  'Input',
  'Request',
  'Body',
  'Payload',
  'Command',
  'Params',
  'Create',
  'Creation',
  'Update',
  'Patch',
  'Write',
  'Edit',
  'Post',
  'Put',
]
const WRITE_PREFIXES = ['New', 'Create', 'Update', 'Patch', 'Add']
const READ_SUFFIXES = [
  'Response',
  'Output',
  'Read',
  'View',
  'Details',
  'Detail',
  'Result',
  'Dto',
  'DTO',
  'Resource',
  'Representation',
]

function baseName(name: string, suffixes: string[], prefixes: string[] = []): string {
  let n = name
  for (let changed = true; changed;) {
    changed = false
    for (const s of suffixes) {
      const stripped = n.replace(/[-_.]+$/, '')
      const start = stripped.length - s.length
      if (start <= 0 || stripped.slice(start).toLowerCase() !== s.toLowerCase()) continue
      // A whole word only: `BookResponse` (camelCase) or `book-response` (kebab/snake), not `Pluto`.
      if (stripped.slice(start, start + 1) !== s[0] && !/[-_.]/.test(stripped[start - 1]!)) continue
      n = stripped.slice(0, start)
      changed = true
    }
  }
  for (const p of prefixes) {
    const m = new RegExp(`^${p}[-_.]?(?=[A-Z])`).exec(n)
    if (m) {
      n = n.slice(m[0].length)
      break
    }
  }
  return n.replace(/[-_.]+$/, '').toLowerCase()
}

interface Write {
  name: string
  /** The `$ref` as written in the request body (or its array's `items`). */
  at: Node<unknown>
  op: OperationInfo
}

export default defineRule({
  meta: {
    id: 'read-back',
    title: 'Everything that can be written can be read back',
    failureTitle: 'Some data can be written but not read back',
    description:
      'Data a municipality puts into a service is its data; if the API accepts a kind of record but no operation returns it, the data can only be got out through the vendor. ' +
      'For every schema a POST, PUT or PATCH accepts, offer a GET that returns it (or its read form, e.g. Book for BookInput).',
    fix: 'Add a GET operation that returns the schema (or its read form), e.g. GET /books/{id} for a POST /books with BookInput.',
    sources: [
      {
        title: 'Regulation (EU) 2023/2854 (Data Act), art. 23 and 25: porting all exportable data',
        url: 'https://eur-lex.europa.eu/eli/reg/2023/2854/oj',
      },
      {
        title: 'European Interoperability Framework, recommendation 9',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
      {
        title:
          'RFC 9110 HTTP Semantics, §9.3.4 PUT (a successful PUT of a representation implies a GET returns it)',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-9.3.4',
      },
    ],
    requires: ['openapi'],
    messages: {
      'not-readable':
        '{{method}} {{path}} accepts {{name}}, but no GET operation returns {{name}} or its read form.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const writes: Write[] = []
    const reads = new Set<string>()

    /** A named schema, or an array of one (`items: $ref`), with where the name is written. */
    const writtenName = (raw: Node<unknown>): { name: string; at: Node<unknown> } | undefined => {
      const name = componentSchemaName(raw)
      if (name) return { name, at: raw }
      const items = api.child(objChild(api, raw) ?? raw, 'items')
      const itemName = items && componentSchemaName(items)
      return itemName ? { name: itemName, at: items } : undefined
    }

    /**
     * Names a response schema uses: its own, its array items', and (one level down) those of its
     * allOf/oneOf/anyOf members and properties, so that envelopes (`{data: [Book]}`), pages and
     * compositions (`allOf: [BookInput, {id}]`) count.
     */
    const collectReads = (raw: Node<unknown>, depth: number, seen: Set<string>, into: string[]) => {
      const name = componentSchemaName(raw)
      if (name) into.push(name)
      const schema = objChild(api, raw)
      if (!schema || seen.has(locKey(schema.loc))) return
      seen.add(locKey(schema.loc))
      const items = api.child(schema, 'items')
      if (items && isObj(items.value)) collectReads(items, depth, seen, into)
      if (depth > 0) return
      for (const k of ['allOf', 'oneOf', 'anyOf']) {
        const list = api.child(schema, k)
        if (list && Array.isArray(list.value))
          list.value.forEach((_, i) => collectReads(api.child(list, i)!, depth + 1, seen, into))
      }
      const props = objChild(api, schema, 'properties')
      for (const p of Object.keys(props?.value ?? {}))
        collectReads(api.child(props!, p)!, depth + 1, seen, into)
    }
    // What a response schema reads, by where it is written: the GET operations of a large
    // description return the same few hundred schemas, each with its properties.
    const readsOf = new Map<string, string[]>()
    const addReads = (raw: Node<unknown>) => {
      const name = componentSchemaName(raw)
      if (name) reads.add(name)
      const schema = objChild(api, raw)
      if (!schema) return
      const key = locKey(schema.loc)
      let names = readsOf.get(key)
      if (!names) {
        collectReads(schema, 0, new Set(), (names = []))
        readsOf.set(key, names)
      }
      for (const n of names) reads.add(n)
    }

    return {
      Operation(op) {
        if (WRITE_METHODS.has(op.method)) {
          const seen = new Set<string>()
          for (const m of requestMedia(api, op)) {
            const w = m.schema && writtenName(m.schema)
            if (!w || seen.has(locKey(w.at.loc))) continue
            seen.add(locKey(w.at.loc))
            writes.push({ ...w, op })
          }
        } else if (op.method === 'get') {
          for (const r of op.responses)
            if (isSuccessStatus(r.status))
              for (const m of responseMedia(api, op, r.node, true)) if (m.schema) addReads(m.schema)
        }
      },
      DocumentExit() {
        if (!writes.length) {
          ctx.notApplicable('no operation writes a named schema')
          return
        }
        const readBases = new Set([...reads].map((n) => baseName(n, READ_SUFFIXES)))
        for (const w of writes) {
          if (reads.has(w.name) || readBases.has(baseName(w.name, WRITE_SUFFIXES, WRITE_PREFIXES))) continue
          ctx.report({
            messageId: 'not-readable',
            node: w.at,
            data: { method: verb(w.op), path: w.op.path, name: w.name },
          })
        }
      },
    }
  },
})
