import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { firstTime, isObj, NamedSchemas, patternMatches, schemaFacets, typesOf } from './util-http.js'

type Kind = 'country' | 'language' | 'currency'

interface KindSpec {
  standard: string
  /** Whole names (lower-cased, without `_` and `-`), in English, Dutch and Swedish. */
  names: string[]
  /** Names ending in the kind after another word: residenceCountry, billing_country_code. */
  suffixes: RegExp[]
  /** A value that is a code of the standard. */
  code: RegExp
  /** A description or format that names the standard. */
  mention: RegExp
  /** A pattern is taken as the standard's when it admits one of these codes and none of the names. */
  accepts: string[]
  rejects: string[]
}

const KINDS: Record<Kind, KindSpec> = {
  country: {
    standard: 'ISO 3166-1',
    names: ['country', 'countrycode', 'land', 'landcode', 'landkod', 'landskod'],
    suffixes: [/[a-z0-9](Country|CountryCode)$/, /_country(_code)?$/i],
    // ISO 3166-1 alpha-2 (SE) or alpha-3 (SWE), upper case as the standard writes them.
    code: /^[A-Z]{2}$|^[A-Z]{3}$/,
    mention: /ISO[\s_-]?3166/i,
    accepts: ['SE', 'SWE', 'NL'],
    rejects: ['Sweden', 'Sverige'],
  },
  language: {
    standard: 'BCP 47',
    names: ['language', 'languagecode', 'lang', 'locale', 'taal', 'taalcode', 'språk', 'språkkod', 'sprak'],
    suffixes: [/[a-z0-9](Language|LanguageCode|Locale)$/, /_(language|language_code|locale)$/i],
    // RFC 5646 §2.1: a 2–3 letter ISO 639 primary language, then hyphen-separated subtags (sv, sv-SE, zh-Hant-TW).
    code: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/,
    mention: /BCP[\s_-]?47|ISO[\s_-]?639|RFC[\s_-]?(5646|4646)|language[\s_-]?tag/i,
    accepts: ['sv', 'sv-SE', 'en'],
    rejects: ['Swedish', 'svenska'],
  },
  currency: {
    standard: 'ISO 4217',
    names: ['currency', 'currencycode', 'valuta', 'valutacode', 'valutakod'],
    suffixes: [/[a-z0-9](Currency|CurrencyCode)$/, /_currency(_code)?$/i],
    code: /^[A-Z]{3}$/,
    mention: /ISO[\s_-]?4217/i,
    accepts: ['SEK', 'EUR'],
    rejects: ['kr', 'kronor', 'Swedish krona'],
  },
}

/** What a name says it holds; names repeat by the thousand in a large description, so each is worked out once. */
function kindOf(name: string, known: Map<string, Kind | undefined>): Kind | undefined {
  if (known.has(name)) return known.get(name)
  const kind = kindOfName(name)
  known.set(name, kind)
  return kind
}

function kindOfName(name: string): Kind | undefined {
  const norm = name.toLowerCase().replace(/[_-]/g, '')
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const spec = KINDS[kind]
    if (spec.names.includes(norm) || spec.suffixes.some((re) => re.test(name))) return kind
  }
  return undefined
}

export default defineRule({
  meta: {
    id: 'iso-codes',
    title: 'Countries, languages and currencies use ISO codes',
    failureTitle: 'Countries, languages or currencies do not use ISO codes',
    description:
      'Names and numbers for countries, languages and currencies differ between systems and languages, so values such as "Sverige" or "kr" cannot be matched across services. ' +
      'Exchange ISO 3166-1 country codes, BCP 47 language tags and ISO 4217 currency codes, and say so in the schema with a pattern, an enum or the description.',
    fix: 'Type the field as a string constrained to the ISO code (e.g. pattern ^[A-Z]{2}$ for ISO 3166-1 alpha-2) or name the standard in its description.',
    sources: [
      { title: 'ISO 3166 Country Codes', url: 'https://www.iso.org/iso-3166-country-codes.html' },
      {
        title: 'RFC 5646 Tags for Identifying Languages (BCP 47)',
        url: 'https://www.rfc-editor.org/rfc/rfc5646',
      },
      { title: 'ISO 4217 Currency Codes', url: 'https://www.iso.org/iso-4217-currency-codes.html' },
      { title: 'REST API-profil (DIGG)', url: 'https://dev.dataportal.se/rest-api-profil/' },
    ],
    requires: ['openapi'],
    messages: {
      country:
        "'{{name}}' holds a country but is not constrained to ISO 3166-1 codes; add a pattern such as ^[A-Z]{2}$, an enum of codes, or name ISO 3166-1 in its description.",
      language:
        "'{{name}}' holds a language but is not constrained to BCP 47 language tags; add a pattern or enum of tags such as sv or sv-SE, or name BCP 47 in its description.",
      currency:
        "'{{name}}' holds a currency but is not constrained to ISO 4217 codes; add a pattern such as ^[A-Z]{3}$, an enum of codes, or name ISO 4217 in its description.",
      'numeric-code': "'{{name}}' holds a {{kind}} as a number; exchange the {{standard}} code as a string.",
      'non-iso-values': "'{{name}}' allows {{values}}, which are not {{standard}} codes.",
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const named = new NamedSchemas(api)
    const once = firstTime()
    const kinds = new Map<string, Kind | undefined>()
    return {
      Parameter(param) {
        named.parameter(param)
      },
      Schema(info) {
        const n = named.named(info, (name) => kindOf(name, kinds) !== undefined)
        if (!n) return
        // Headers (Accept-Language …) and cookies have their own grammars; path and query values are the API's.
        const where = n.parameter?.value.in
        if (where !== undefined && where !== 'query' && where !== 'path') return
        const kind = kindOf(n.name, kinds)!
        const spec = KINDS[kind]
        const facets = schemaFacets(api, n.node)
        if (facets.unresolved) return
        const data = { name: n.name, kind, standard: spec.standard }
        const types = facets.types
        if ((types.has('integer') || types.has('number')) && !types.has('string')) {
          // ISO 3166-1 and ISO 4217 have numeric codes too, but the alphabetic codes are what APIs exchange.
          const typed = facets.members.find((m) => typesOf(m.value).length)!
          const at = api.child(typed, 'type') ?? typed
          if (once(at.loc)) ctx.report({ messageId: 'numeric-code', node: at, data })
          return
        }
        if (types.size && !types.has('string')) return
        if (!types.size && facets.members.some((m) => isObj(m.value.properties) || isObj(m.value.items)))
          return

        let constrained = false
        for (const m of facets.members) {
          const lists: Node<unknown>[] = []
          const e = api.child(m, 'enum')
          if (e && Array.isArray(e.value)) lists.push(e)
          const c = api.child(m, 'const')
          if (c && c.value !== null && c.value !== undefined) lists.push(c)
          for (const list of lists) {
            constrained = true
            const values = Array.isArray(list.value) ? list.value : [list.value]
            const bad = values.filter((v) => v !== null && (typeof v !== 'string' || !spec.code.test(v)))
            if (bad.length && once(list.loc))
              ctx.report({
                messageId: 'non-iso-values',
                node: list,
                data: {
                  ...data,
                  values: bad
                    .slice(0, 5)
                    .map((v) => JSON.stringify(v))
                    .join(', '),
                },
              })
          }
        }
        if (constrained) return
        const isCodePattern = (p: unknown) =>
          spec.accepts.some((v) => patternMatches(p, v) === true) &&
          !spec.rejects.some((v) => patternMatches(p, v) === true)
        if (facets.members.some((m) => isCodePattern(m.value.pattern))) return
        const texts = [...facets.texts, ...facets.formats.map((f) => f.value)]
        for (const holder of [n.written?.value, n.parameter?.value])
          if (isObj(holder) && typeof holder.description === 'string') texts.push(holder.description)
        if (texts.some((t) => typeof t === 'string' && spec.mention.test(t))) return
        if (once(n.at.loc)) ctx.report({ messageId: kind, node: n.at, key: n.key, data })
      },
    }
  },
})
