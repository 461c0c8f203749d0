import { defineRule } from '../../core/define-rule.js'
import { NodeSet } from '../../core/loc-map.js'
import type { Node } from '../../core/types.js'
import { underExtension, words } from './util-style.js'

type Convention = 'camelCase' | 'snake_case'
interface Options {
  convention: Convention | 'consistent'
}

// NL ADR /core/query-keys-camel-case: a lower-case letter, then letters and digits, words starting upper-case.
const CAMEL = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$/
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/
/** One lower-case word fits both conventions. */
const SINGLE_WORD = /^[a-z][a-z0-9]*$/
/** Names that formats other than the API's own define: HAL (RFC draft-kelly-json-hal) and JSON-LD keywords. */
const FOREIGN_NAMES = new Set(['_links', '_embedded', '_templates'])
const JSON_LD_KEYWORD = /^@[a-z]+$/i

const fits = (name: string, c: Convention): boolean => (c === 'camelCase' ? CAMEL : SNAKE).test(name)

function convert(name: string, c: Convention): string {
  const w = words(name)
  // An identifier cannot start with a digit in most languages; drop leading digits from the suggestion.
  while (w.length && /^[0-9]/.test(w[0]!)) {
    const rest = w[0]!.replace(/^[0-9]+/, '')
    if (rest) w[0] = rest
    else w.shift()
  }
  if (!w.length) return name
  if (c === 'snake_case') return w.join('_')
  return (
    w[0]! +
    w
      .slice(1)
      .map((x) => x.charAt(0).toUpperCase() + x.slice(1))
      .join('')
  )
}

interface Candidate {
  kind: 'query-param' | 'property'
  /** The name as checked: without an OData-style `$` prefix. */
  name: string
  written: string
  node: Node<unknown>
  key: boolean
}

export default defineRule<Options>({
  meta: {
    id: 'casing-convention',
    title: 'Query parameters and properties follow one casing convention',
    failureTitle: 'Query parameters and properties mix casing conventions',
    description:
      'Names in mixed styles (page_size next to PageNumber) make every client guess, and generated code ends up with inconsistent identifiers. ' +
      'Use one convention for query parameter and property names: lower camelCase by default, as the NL API Design Rules and the REST API-profil recommend.',
    fix: 'Rename the parameter or property to the convention the API uses.',
    sources: [
      {
        title: 'NL API Design Rules: /core/query-keys-camel-case',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/query-keys-camel-case',
      },
      {
        title: 'REST API-profil (DIGG): URL format och namngivning',
        url: 'https://dev.dataportal.se/rest-api-profil/url-format-och-namngivning',
      },
    ],
    requires: ['openapi'],
    messages: {
      'query-param': 'Query parameter "{{name}}" is not {{convention}}; use "{{suggestion}}".',
      property: 'Property "{{name}}" is not {{convention}}; use "{{suggestion}}".',
    },
    options: {
      type: 'object',
      properties: {
        convention: {
          enum: ['camelCase', 'snake_case', 'consistent'],
          default: 'camelCase',
          description:
            'The required convention, or `consistent`: the one most unambiguous names in the description use (camelCase on a tie).',
        },
      },
      additionalProperties: false,
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const candidates: Candidate[] = []
    const params = new NodeSet()
    const add = (kind: Candidate['kind'], written: string, node: Node<unknown>, key: boolean) => {
      if (FOREIGN_NAMES.has(written) || JSON_LD_KEYWORD.test(written)) return
      // OData system query options ($filter, $top) keep their `$`; the rest of the name is still checked.
      const name = written.startsWith('$') ? written.slice(1) : written
      candidates.push({ kind, name, written, node, key })
    }
    return {
      Parameter(param) {
        const p = param.value
        // A shared parameter is visited once per operation that uses it.
        if (p.in !== 'query' || typeof p.name !== 'string' || !params.add(param)) return
        add('query-param', p.name, api.child(param, 'name')!, false)
      },
      Schema(schema) {
        if (schema.propertyName === undefined || !schema.nameLoc) return
        if (underExtension(schema.nameLoc.loc.pointer)) return
        add('property', schema.propertyName, schema.nameLoc, true)
      },
      DocumentExit() {
        let convention: Convention
        let label: string
        if (ctx.options.convention === 'consistent') {
          let camel = 0
          let snake = 0
          for (const c of candidates) {
            if (SINGLE_WORD.test(c.name)) continue
            if (CAMEL.test(c.name)) camel++
            else if (SNAKE.test(c.name)) snake++
          }
          convention = snake > camel ? 'snake_case' : 'camelCase'
          label = `${convention}, the convention most names in this description use`
        } else {
          convention = ctx.options.convention
          label = convention
        }
        // Names repeat by the thousand (AWS writes every name in PascalCase): each is converted once.
        const converted = new Map<string, string>()
        for (const c of candidates) {
          if (fits(c.name, convention)) continue
          let name = converted.get(c.name)
          if (name === undefined) converted.set(c.name, (name = convert(c.name, convention)))
          const suggestion = (c.written.startsWith('$') ? '$' : '') + name
          ctx.report({
            messageId: c.kind,
            node: c.node,
            key: c.key,
            data: { name: c.written, convention: label, suggestion },
          })
        }
      },
    }
  },
})
