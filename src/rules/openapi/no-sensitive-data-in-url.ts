import { defineRule } from '../../core/define-rule.js'
import { NodeSet } from '../../core/loc-map.js'
import type { Node } from '../../core/types.js'
import type { Obj } from '../../loaders/openapi-walker.js'
import { findIdentityNumbers, openApiServers, swaggerServer } from './util-cloud.js'
import { isObj } from './util-http.js'
import { objChild, words } from './util-style.js'

/** Where a parameter is part of the URL (OAS 3.2 adds `querystring`). */
const URL_LOCATIONS = new Set(['path', 'query', 'querystring'])

/**
 * Names of personal identity numbers, compared without case, separators or diacritics: Swedish
 * personnummer/samordningsnummer, Norwegian fødselsnummer/D-nummer, Danish CPR, Finnish
 * henkilötunnus (hetu), Icelandic kennitala, Estonian isikukood, Dutch BSN, US SSN, and their English
 * names. A word of the name (`patient_ssn`) or the whole name may be one of them.
 */
const ID_WORDS = new Set([
  'personnummer',
  'personnr',
  'pnr',
  'samordningsnummer',
  'dnummer',
  'fodselsnummer',
  'foedselsnummer',
  'fnr',
  'cpr',
  'cprnr',
  'cprnummer',
  'hetu',
  'henkilotunnus',
  'kennitala',
  'isikukood',
  'bsn',
  'burgerservicenummer',
  'ssn',
])
/** Names that end with one of these are identity numbers too (`patientPersonalIdentityNumber`). */
const ID_SUFFIXES = [
  'personnummer',
  'personalnumber',
  'personalidentitynumber',
  'personalidnumber',
  'personalidentificationnumber',
  'personalidentitycode',
  'personidentitynumber',
  'coordinationnumber',
  'socialsecuritynumber',
  'socialsecurityno',
  'nationalid',
  'nationalidentitynumber',
  'nationalidnumber',
  'nationalidentificationnumber',
  'cprnumber',
  'birthnumber',
]

/** Words that make a name a secret wherever they are in it (`newPassword`, `client_secret`). */
const SECRET_WORDS: Record<string, string> = {
  password: 'a password',
  passwd: 'a password',
  pwd: 'a password',
  passphrase: 'a password',
  secret: 'a secret',
  apikey: 'an API key',
  accesstoken: 'a token',
  refreshtoken: 'a token',
  idtoken: 'a token',
  jwt: 'a token',
  otp: 'a one-time password',
}
/** Whole names that are secrets; `session` alone, not `sessionDate` of a conference API. */
// A bare `key` is not on the list: a cache key or a resource's key (`/codes_of_conduct/{key}`) is
// no credential; `api_key`, `subscription-key` and the like are caught by KEY_SUFFIXES.
const SECRET_NAMES: Record<string, string> = {
  auth: 'a credential',
  authorization: 'a credential',
  bearer: 'a token',
  credential: 'a credential',
  credentials: 'a credential',
  session: 'a session id',
  sessionid: 'a session id',
  sessiontoken: 'a session id',
  sessionkey: 'a session id',
  sid: 'a session id',
  jsessionid: 'a session id',
  phpsessid: 'a session id',
}
/** Names ending so are keys (`subscription-key` of Azure API Management, `x-api-key`); `sortKey` is not. */
const KEY_SUFFIXES = [
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'subscriptionkey',
  'clientkey',
  'appkey',
  'applicationkey',
  'authkey',
  'signingkey',
]
/** Last words that make a name describe a secret rather than hold one (`secretName`, `passwordPolicy`). */
const ABOUT_TAIL = new Set([
  'name',
  'names',
  'type',
  'types',
  'id',
  'ids',
  'count',
  'length',
  'policy',
  'hint',
  'expiry',
  'expires',
  'scope',
  'scopes',
  'status',
])
/** First words that make a name a switch about secrets (`hide_secret`, `include_passwords`). */
const FLAG_HEAD = new Set(['hide', 'exclude', 'include', 'has', 'is', 'show', 'with', 'without'])
/** A `pageToken` or `continuationToken` is a pagination cursor, not a credential. */
const CURSOR_WORDS = new Set([
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'cursor',
  'sync',
  'resume',
  'skip',
  'delta',
  'pagination',
])

const NOT_ASCII = /[\u0080-\uffff]/

/** Lower-case, and Nordic letters folded to ASCII so `fødselsnummer` and `fodselsnummer` compare equal. */
function fold(word: string): string {
  // Nearly every name is ASCII, which lower-casing alone folds.
  if (!NOT_ASCII.test(word)) return word.toLowerCase()
  return word.toLowerCase().replace(/[øö]/g, 'o').replace(/æ/g, 'ae').normalize('NFD').replace(/\p{M}/gu, '')
}

export type SensitiveName = { messageId: 'identity-number' } | { messageId: 'secret'; what: string }

/** Whether a parameter name denotes a personal identity number or a secret. */
export function classifyName(name: string): SensitiveName | undefined {
  const ws = words(name).map(fold)
  const joined = ws.join('')
  if (!joined) return undefined
  if (ws.some((w) => ID_WORDS.has(w)) || ID_WORDS.has(joined) || ID_SUFFIXES.some((s) => joined.endsWith(s)))
    return { messageId: 'identity-number' }
  const word = ws.find((w) => SECRET_WORDS[w])
  // A name about a secret is not the secret: `secret_name`, `secret_type`, `hide_secret`.
  const about = ABOUT_TAIL.has(ws[ws.length - 1]!) || FLAG_HEAD.has(ws[0]!)
  if (word && !about) return { messageId: 'secret', what: SECRET_WORDS[word]! }
  if (SECRET_NAMES[joined]) return { messageId: 'secret', what: SECRET_NAMES[joined] }
  if (KEY_SUFFIXES.some((s) => joined.endsWith(s))) return { messageId: 'secret', what: 'an API key' }
  const last = ws.length - 1
  if (ws[last] === 'token' && !ws.slice(0, last).some((w) => CURSOR_WORDS.has(w)))
    return { messageId: 'secret', what: 'a token' }
  return undefined
}

/** The strings and numbers in an example value (a query parameter's example may be an array or object). */
function scalars(value: unknown, depth = 0, out: string[] = []): string[] {
  // (Into one list: AWS's parameters hold enums of hundreds of values, each a list of its own before.)
  if (typeof value === 'string') out.push(value)
  else if (typeof value === 'number' && Number.isInteger(value)) out.push(String(value))
  else if (depth <= 4 && value !== null && typeof value === 'object') {
    const values = Object.values(value)
    for (let i = 0; i < values.length; i++) scalars(values[i], depth + 1, out)
  }
  return out
}

export default defineRule({
  meta: {
    id: 'no-sensitive-data-in-url',
    title: 'No identity numbers, secrets or API keys in URLs',
    failureTitle: 'Identity numbers, secrets or API keys are put in URLs',
    description:
      'URLs end up in web server and proxy logs, browser history and monitoring tools, so a personal identity number or secret in a path or query string leaks to everyone who can read those; for a municipality that is a personal data breach under the GDPR. ' +
      'Send identity numbers in the request body (e.g. a POST search) or a header, and credentials in the Authorization header.',
    fix: 'Move the value out of the path and query string: identity numbers into a POST body or header, credentials and API keys into a header.',
    sources: [
      {
        title: 'NL API Design Rules: /core/transport/no-sensitive-uris',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/transport/no-sensitive-uris',
      },
      {
        title:
          'REST API-profil (DIGG): Säkerhet, SAK.15 and SAK.16 (API keys not in the URL, only in a header)',
        url: 'https://dev.dataportal.se/rest-api-profil/',
      },
      {
        title: 'RFC 6750 OAuth 2.0 Bearer Token Usage, §5.3 (no tokens in page URLs)',
        url: 'https://www.rfc-editor.org/rfc/rfc6750#section-5.3',
      },
      {
        title: 'GDPR Article 87: national identification numbers',
        url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
      },
    ],
    requires: ['openapi'],
    messages: {
      'identity-number':
        'The {{in}} parameter "{{name}}" puts a personal identity number in the URL, where logs, proxies and browser history keep it.',
      secret: '{{where}} puts {{what}} in the URL, where logs, proxies and browser history keep it.',
      'identity-number-example':
        '{{where}} has the value "{{value}}", a valid {{kind}}: identity numbers do not belong in URLs.',
      'api-key-in-query':
        'The API key security scheme "{{scheme}}" sends the key in the {{in}}; API keys belong in a request header.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    const params = new NodeSet()
    // Large descriptions repeat a few parameter names thousands of times (AWS: Action, Version, DryRun).
    const classified = new Map<string, SensitiveName | undefined>()
    const classify = (name: string) => {
      if (classified.has(name)) return classified.get(name)
      const hit = classifyName(name)
      classified.set(name, hit)
      return hit
    }

    const identityValues = (where: string, node: Node<unknown>, texts = scalars(node.value), key = false) => {
      for (const text of texts)
        for (const { value, kind } of findIdentityNumbers(text))
          ctx.report({ messageId: 'identity-number-example', node, key, data: { where, value, kind } })
    }

    /** A URL's query string names and its variables' names (`?api_key=…`, `https://{token}.…`). */
    const checkUrl = (url: string, node: Node<unknown>) => {
      const where = `Server URL "${url}"`
      const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).replace(/#.*$/, '') : ''
      const names = [
        ...query.split('&').map((p) => decodeURIComponentSafe(p.split('=')[0]!)),
        ...[...url.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      ].filter(Boolean)
      for (const name of names) {
        const hit = classifyName(name)
        if (hit?.messageId === 'secret')
          ctx.report({ messageId: 'secret', node, data: { where, what: hit.what } })
        else if (hit) ctx.report({ messageId: 'identity-number', node, data: { in: 'server URL', name } })
      }
      identityValues(where, node)
    }

    /** Example, default and enum values of a parameter, its schema and its content. */
    const valueNodes = (param: Node<Obj>): Node<unknown>[] => {
      const out: Node<unknown>[] = []
      const add = (holder: Node<unknown> | undefined) => {
        if (!holder) return
        for (const k of ['example', 'x-example', 'default', 'enum', 'const']) {
          const n = api.child(holder, k)
          if (n) out.push(n)
        }
        const examples = api.child(holder, 'examples')
        if (Array.isArray(examples?.value)) out.push(examples)
        else if (examples && isObj(examples.value))
          for (const name of Object.keys(examples.value)) {
            const ex = objChild(api, examples, name)
            const v = ex && api.child(ex, 'value')
            if (v) out.push(v)
          }
      }
      add(param)
      add(objChild(api, param, 'schema'))
      const content = objChild(api, param, 'content')
      for (const media of Object.keys(content?.value ?? {})) add(content && objChild(api, content, media))
      return out
    }

    return {
      Document(root) {
        if (api.kind === 'swagger') {
          const { host, basePath } = swaggerServer(api, root)
          if (host) identityValues(`host "${host.value}"`, host)
          if (basePath) identityValues(`basePath "${basePath.value}"`, basePath)
        } else for (const server of openApiServers(api, root)) checkUrl(server.raw, server.node)

        const components = api.kind === 'swagger' ? root : objChild(api, root, 'components')
        const schemes =
          components &&
          objChild(api, components, api.kind === 'swagger' ? 'securityDefinitions' : 'securitySchemes')
        for (const name of Object.keys(schemes?.value ?? {})) {
          const scheme = schemes && objChild(api, schemes, name)
          if (!scheme || scheme.value.type !== 'apiKey') continue
          const where = api.child(scheme, 'in')
          // REST API-profil SAK.16: API keys SHALL be sent in the HTTP header; a cookie is kept by the
          // browser and sent along on every request, query strings are logged.
          if (where && typeof where.value === 'string' && where.value !== 'header')
            ctx.report({
              messageId: 'api-key-in-query',
              node: where,
              data: { scheme: name, in: where.value },
            })
        }

        const paths = objChild(api, root, 'paths')
        for (const path of Object.keys(paths?.value ?? {}))
          if (!path.startsWith('x-')) identityValues(`Path "${path}"`, api.child(paths!, path)!, [path], true)
      },
      Parameter(param) {
        const p = param.value
        if (typeof p.name !== 'string' || typeof p.in !== 'string' || !URL_LOCATIONS.has(p.in)) return
        // A shared parameter is visited once per operation that uses it; what is said of it is the same.
        if (!params.add(param)) return
        const at = api.child(param, 'name') ?? param
        const hit = classify(p.name)
        if (hit?.messageId === 'identity-number') {
          // The name says it; an example number would only repeat the finding.
          ctx.report({ messageId: 'identity-number', node: at, data: { in: p.in, name: p.name } })
          return
        }
        if (hit)
          ctx.report({
            messageId: 'secret',
            node: at,
            data: { where: `The ${p.in} parameter "${p.name}"`, what: hit.what },
          })
        for (const n of valueNodes(param)) identityValues(`The ${p.in} parameter "${p.name}"`, n)
      },
    }
  },
})

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
