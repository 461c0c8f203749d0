import type { Loc, Node } from '../../core/types.js'
import type { ManifestArtifact } from '../../loaders/manifest.js'
import type { OpenApiArtifact } from '../../loaders/openapi.js'
import { PATH_ITEM_METHODS, type Obj } from '../../loaders/openapi-walker.js'
import { joinPointer } from '../../loaders/source.js'
import { isObj, locKey } from './util-http.js'
import { objChild } from './util-style.js'

/** A server URL of an OpenAPI 3 description. */
export interface ServerSite {
  /** The URL with its server variables replaced by their defaults. */
  url: string
  /** The URL as written. */
  raw: string
  /** Where the URL is written. */
  node: Node<unknown>
  /** The Server Object. */
  server: Node<Obj>
  description?: string
  /** Where the server is declared: OAS 3 allows servers on the root, a path item and an operation. */
  scope: 'root' | 'path' | 'operation'
}

/** Replaces `{name}` server variables by their defaults (OAS 3.1 §4.8.6 Server Variable Object). */
export function expandServerVariables(url: string, server: unknown): string {
  const vars = isObj(server) ? server.variables : undefined
  if (!isObj(vars)) return url
  return url.replace(/\{([^}]+)\}/g, (m, name: string) => {
    const v = vars[name]
    const def = isObj(v) ? v.default : undefined
    return typeof def === 'string' ? def : m
  })
}

/**
 * Every server URL of an OpenAPI 3 description: on the root, on path items and on operations
 * (each written place once, also when a path item is shared through a `$ref`). Empty for Swagger 2.
 */
export function openApiServers(api: OpenApiArtifact, root: Node<Obj>): readonly ServerSite[] {
  if (api.kind !== 'openapi') return []
  // Several rules ask, each going through every path and operation: worked out once per description.
  const known = serversOf.get(api)
  if (known && known.root === root.value) return known.servers
  const out: ServerSite[] = []
  const seen = new Set<string>()
  const collect = (owner: Node<unknown>, scope: ServerSite['scope']) => {
    const list = api.child(owner, 'servers')
    if (!list || !Array.isArray(list.value)) return
    list.value.forEach((_, i) => {
      const server = objChild(api, list, i)
      const url = server && api.child(server, 'url')
      if (!server || !url || typeof url.value !== 'string') return
      const k = locKey(url.loc)
      if (seen.has(k)) return
      seen.add(k)
      const description = server.value.description
      out.push({
        url: expandServerVariables(url.value, server.value),
        raw: url.value,
        node: url,
        server,
        ...(typeof description === 'string' ? { description } : {}),
        scope,
      })
    })
  }
  collect(root, 'root')
  const paths = objChild(api, root, 'paths')
  if (paths)
    for (const path of Object.keys(paths.value)) {
      if (path.startsWith('x-')) continue
      const item = objChild(api, paths, path)
      if (!item) continue
      collect(item, 'path')
      for (const m of PATH_ITEM_METHODS) {
        const op = objChild(api, item, m)
        if (op) collect(op, 'operation')
      }
    }
  serversOf.set(api, { root: root.value, servers: out })
  return out
}

const serversOf = new WeakMap<OpenApiArtifact, { root: unknown; servers: readonly ServerSite[] }>()

/** The Swagger 2 `host`, `basePath` and `schemes`, where they are written. */
export interface SwaggerServer {
  host?: Node<string>
  basePath?: Node<string>
  schemes?: Node<unknown[]>
}

export function swaggerServer(api: OpenApiArtifact, root: Node<Obj>): SwaggerServer {
  const out: SwaggerServer = {}
  const host = api.child(root, 'host')
  if (host && typeof host.value === 'string') out.host = host as Node<string>
  const basePath = api.child(root, 'basePath')
  if (basePath && typeof basePath.value === 'string') out.basePath = basePath as Node<string>
  const schemes = api.child(root, 'schemes')
  if (schemes && Array.isArray(schemes.value)) out.schemes = schemes as Node<unknown[]>
  return out
}

/** A base URL the service manifest gives for one environment of the API being checked. */
export interface EnvironmentSite {
  kind: string
  url: string
  loc: Loc
}

/**
 * The manifest's environments of this API: those of the `apis` entry whose description is the one
 * being checked. Each API's rule run sees only its own entry, so nothing is reported twice.
 */
export function environmentsOf(
  manifest: ManifestArtifact | undefined,
  api: OpenApiArtifact,
): EnvironmentSite[] {
  const entry = manifest?.apis.find((a) => a.uri === api.root.uri)
  if (!manifest || !entry) return []
  return Object.entries(entry.environments)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([kind, url]) => ({
      kind,
      url,
      loc: manifest.loc(joinPointer(entry.loc.pointer, 'environments', kind)),
    }))
}

/** The scheme and host of a URL. */
export interface UrlParts {
  /** Lower-cased scheme; undefined for a network-path reference (`//host/path`). */
  scheme?: string
  /** Lower-cased host name or IP literal, without brackets, port, user info or a trailing dot. */
  host: string
}

const SPECIAL = new Set(['http', 'https', 'ws', 'wss', 'ftp'])

/**
 * Scheme and host of an absolute URL or a network-path reference; undefined for a relative
 * reference such as `/v1`, which is resolved against where the description is served (OAS 3.1 §4.8.5).
 */
export function urlParts(url: string): UrlParts | undefined {
  const m = /^(?:([a-z][a-z0-9+.-]*):)?\/\/([^/?#]*)/i.exec(url.trim())
  if (!m) return undefined
  const scheme = m[1]?.toLowerCase()
  const authority = m[2]!.slice(m[2]!.lastIndexOf('@') + 1)
  let host: string
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']')
    host = authority.slice(1, end === -1 ? undefined : end)
  } else host = authority.replace(/:\d*$/, '')
  // The WHATWG URL parser normalises IPv4 forms such as `127.1` or `0x7f.0.0.1` into dotted quads.
  if ((scheme === undefined || SPECIAL.has(scheme)) && !/[{}]/.test(authority)) {
    try {
      const parsed = new URL(`http://${authority}`).hostname
      host = parsed.startsWith('[') ? parsed.slice(1, -1) : parsed
    } catch {
      // keep the host as written
    }
  }
  host = host.toLowerCase().replace(/\.$/, '')
  return { ...(scheme ? { scheme } : {}), host }
}

// ---------------------------------------------------------------------------------------------
// Nordic personal identity numbers

function daysInMonth(month: number, year: number | undefined): number {
  if (month === 2) {
    // With a two-digit year the century is unknown; 00 is 2000, a leap year, so yy % 4 suffices.
    const leap = year === undefined ? false : year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    return leap ? 29 : 28
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function validDate(day: number, month: number, year: number, twoDigitYear: boolean): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const y = twoDigitYear ? (year % 4 === 0 ? 2000 + year : 1900 + year) : year
  return day <= daysInMonth(month, y)
}

/** The Luhn (mod 10) check over a digit string whose last digit is the check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/**
 * A Swedish personnummer or samordningsnummer (Skatteverket SKV 704 and SKV 707): YYMMDD-NNNC or
 * YYMMDD+NNNC (+ for people over 100), or YYYYMMDD[-]NNNC; a samordningsnummer adds 60 to the day.
 * The check digit C is the Luhn digit over the ten digits YYMMDDNNN.
 */
export function swedishPersonalNumber(text: string): 'personnummer' | 'samordningsnummer' | undefined {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(text)
  if (!m) return undefined
  const [, century, yy, mm, dd, sep, rest] = m
  // The ten-digit form without a separator is too easily an ordinary number (a phone number, an id).
  if (!century && !sep) return undefined
  let day = Number(dd)
  const coordination = day > 60
  if (coordination) day -= 60
  const year = century ? Number(century + yy) : Number(yy)
  if (!validDate(day, Number(mm), year, !century)) return undefined
  if (!luhnValid(`${yy}${mm}${dd}${rest}`)) return undefined
  return coordination ? 'samordningsnummer' : 'personnummer'
}

/**
 * A Norwegian fødselsnummer or D-nummer (Skatteetaten): DDMMYYIIIKK, eleven digits whose two control
 * digits are mod 11 checks with the weights 3 7 6 1 8 9 4 5 2 and 5 4 3 2 7 6 5 4 3 2. A D-nummer adds
 * 40 to the day, an H-nummer 40 to the month, Skatteetaten's synthetic test numbers 80 to the month.
 */
export function norwegianBirthNumber(text: string): 'fødselsnummer' | 'D-nummer' | undefined {
  if (!/^\d{11}$/.test(text)) return undefined
  const d = [...text].map(Number)
  const control = (weights: number[]) => {
    const r = 11 - (weights.reduce((s, w, i) => s + w * d[i]!, 0) % 11)
    return r === 11 ? 0 : r
  }
  const k1 = control([3, 7, 6, 1, 8, 9, 4, 5, 2])
  if (k1 === 10 || k1 !== d[9]) return undefined
  const k2 = control([5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
  if (k2 === 10 || k2 !== d[10]) return undefined
  let day = Number(text.slice(0, 2))
  let month = Number(text.slice(2, 4))
  const dNumber = day > 40
  if (dNumber) day -= 40
  if (month > 80) month -= 80
  else if (month > 40) month -= 40
  if (!validDate(day, month, Number(text.slice(4, 6)), true)) return undefined
  return dNumber ? 'D-nummer' : 'fødselsnummer'
}

/**
 * A Danish CPR number written DDMMYY-SSSS with a valid date. The mod 11 check was dropped in 2007
 * (numbers without it are issued since), so only the date can be checked.
 */
export function danishCprNumber(text: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})-(\d{4})$/.exec(text)
  return !!m && validDate(Number(m[1]), Number(m[2]), Number(m[3]), true)
}

const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY'

/**
 * A Finnish henkilötunnus (DVV): DDMMYYCZZZQ with the century sign C (+ 1800s; - Y X W V U 1900s;
 * A B C D E F 2000s) and the check character Q, the remainder of DDMMYYZZZ divided by 31.
 */
export function finnishIdentityCode(text: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/.exec(text)
  if (!m) return false
  const [, dd, mm, yy, sign, zzz, q] = m
  const century = sign === '+' ? 1800 : /[A-F]/.test(sign!) ? 2000 : 1900
  if (!validDate(Number(dd), Number(mm), century + Number(yy), false)) return false
  return HETU_CHECK[Number(`${dd}${mm}${yy}${zzz}`) % 31] === q
}

const SIX_DIGITS = /\d{6}/

export interface IdentityNumberMatch {
  value: string
  kind: string
}

/**
 * The personal identity numbers in a text: Swedish personnummer and samordningsnummer, Norwegian
 * fødselsnummer and D-nummer, Danish CPR numbers and Finnish henkilötunnus, each only with a valid
 * date and, where the scheme has one, a valid check digit.
 */
export function findIdentityNumbers(text: string): IdentityNumberMatch[] {
  const out: IdentityNumberMatch[] = []
  // Every form starts with six digits in a row; most texts have none.
  if (!SIX_DIGITS.test(text)) return out
  for (const m of text.matchAll(/(?<![\dA-Za-z])(?:\d{8}[-+]?\d{4}|\d{6}[-+]\d{4})(?!\d)/g)) {
    const se = swedishPersonalNumber(m[0])
    if (se) out.push({ value: m[0], kind: `Swedish ${se}` })
    else if (danishCprNumber(m[0])) out.push({ value: m[0], kind: 'Danish CPR number' })
  }
  for (const m of text.matchAll(/(?<![\dA-Za-z])\d{11}(?!\d)/g)) {
    const no = norwegianBirthNumber(m[0])
    if (no) out.push({ value: m[0], kind: `Norwegian ${no}` })
  }
  for (const m of text.matchAll(/(?<![\dA-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\dA-Za-z])/g))
    if (finnishIdentityCode(m[0])) out.push({ value: m[0], kind: 'Finnish henkilötunnus' })
  return out
}
