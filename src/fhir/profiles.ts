import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { InputError } from '../core/errors.js'
import { PACKAGE_ROOT } from '../core/ruleset.js'
import { escapeSegment } from '../loaders/source.js'
import { r4 } from './r4.js'
import type { FhirIssue } from './validate.js'
import { isObj } from '../loaders/openapi-walker.js'
import { groupBy } from '../core/group-by.js'

/**
 * Profiles (StructureDefinitions that constrain a resource) loaded from FHIR packages, and the
 * validation of a resource against the profiles its meta.profile names: cardinality, fixed and
 * pattern values, slices told apart by their fixed/pattern values or extension URL, and
 * must-support elements that are absent (reported as information).
 */

interface SnapshotElement {
  id: string
  path: string
  sliceName?: string
  min?: number
  max?: string
  mustSupport?: boolean
  type?: { code: string; profile?: string[] }[]
  [fixedOrPattern: string]: unknown
}

export interface Profile {
  url: string
  name: string
  type: string
  elements: SnapshotElement[]
  /** Elements by id, and the children of each id. */
  byParent: Map<string, SnapshotElement[]>
}

export type ProfileSet = ReadonlyMap<string, Profile>

type Obj = Record<string, unknown>

/** The base R4 definitions: a resource that names one claims nothing beyond R4 itself. */
const BASE_PREFIX = 'http://hl7.org/fhir/StructureDefinition/'
export function isBaseProfile(url: string): boolean {
  return url.startsWith(BASE_PREFIX) && r4().types[url.slice(BASE_PREFIX.length)]?.kind === 'resource'
}

/**
 * Reads the StructureDefinitions (constraints with a snapshot) of FHIR packages: a folder (a
 * package's root or its `package/` folder), or the name of an npm package installed where interop
 * runs (FHIR packages are published to npm registries, e.g. hl7.fhir.r4.examples).
 */
export function loadFhirPackages(specs: readonly string[], cwd: string): Map<string, Profile> {
  const profiles = new Map<string, Profile>()
  for (const spec of specs) {
    let dir = path.resolve(cwd, spec)
    if (!existsSync(dir)) {
      // An npm package: installed in the project interop runs in, or beside interop itself.
      const found = [cwd, PACKAGE_ROOT]
        .map((from) => {
          try {
            return path.dirname(
              createRequire(path.join(from, 'package.json')).resolve(`${spec}/package.json`),
            )
          } catch {
            return undefined
          }
        })
        .find((d) => d !== undefined)
      if (!found)
        throw new InputError(
          `FHIR package '${spec}' is neither a folder nor an installed npm package (npm install ${spec}).`,
        )
      dir = found
    }
    if (!statSync(dir).isDirectory()) throw new InputError(`FHIR package '${spec}' is not a folder.`)
    if (existsSync(path.join(dir, 'package')) && statSync(path.join(dir, 'package')).isDirectory())
      dir = path.join(dir, 'package')
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json') || file === 'package.json' || file.startsWith('.')) continue
      let sd: Obj
      try {
        sd = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Obj
      } catch {
        continue // not JSON: not a definition this validator can use
      }
      if (sd.resourceType !== 'StructureDefinition' || sd.derivation !== 'constraint') continue
      const snapshot =
        isObj(sd.snapshot) && Array.isArray(sd.snapshot.element) ? sd.snapshot.element : undefined
      if (typeof sd.url !== 'string' || typeof sd.type !== 'string' || !snapshot) continue
      const elements = snapshot.flatMap((e) => {
        const element = snapshotElement(e)
        return element ? [element] : []
      })
      const byParent = groupBy(elements, (e) => parentId(e.id))
      profiles.set(sd.url, {
        url: sd.url,
        name: String(sd.name ?? sd.url),
        type: sd.type,
        elements,
        byParent,
      })
    }
  }
  return profiles
}

/**
 * A snapshot element with the fields validation reads of the types it expects: a package is the
 * vendor's input like any other, and a field of another type is left out rather than trusted.
 */
function snapshotElement(e: unknown): SnapshotElement | undefined {
  if (!isObj(e) || typeof e.id !== 'string' || typeof e.path !== 'string') return undefined
  const out: SnapshotElement = { ...e, id: e.id, path: e.path }
  delete out.sliceName
  delete out.min
  delete out.max
  delete out.mustSupport
  delete out.type
  if (typeof e.sliceName === 'string') out.sliceName = e.sliceName
  if (typeof e.min === 'number' && Number.isFinite(e.min)) out.min = e.min
  if (typeof e.max === 'string') out.max = e.max
  if (e.mustSupport === true) out.mustSupport = true
  if (Array.isArray(e.type))
    out.type = e.type.filter(isObj).flatMap((t) =>
      typeof t.code === 'string'
        ? [
            {
              code: t.code,
              ...(Array.isArray(t.profile)
                ? { profile: t.profile.filter((p): p is string => typeof p === 'string') }
                : {}),
            },
          ]
        : [],
    )
  return out
}

/** `Observation.category:VSCat.coding` → `Observation.category:VSCat`; a slice's parent is its element's. */
function parentId(id: string): string | undefined {
  const segments = splitId(id)
  if (segments.length < 2) return undefined
  return segments.slice(0, -1).join('.')
}

/** Splits an element id at the dots that are not inside a slice name (slice names may hold dots). */
function splitId(id: string): string[] {
  const out: string[] = []
  let cur = ''
  let inSlice = false
  for (const ch of id) {
    if (ch === ':') inSlice = true
    if (ch === '.' && !inSlice) {
      out.push(cur)
      cur = ''
      continue
    }
    if (ch === '.' && inSlice) {
      // A dot right after a slice name ends it: slice names in R4 packages do not contain dots.
      out.push(cur)
      cur = ''
      inSlice = false
      continue
    }
    cur += ch
  }
  out.push(cur)
  return out
}

const fixedOf = (e: SnapshotElement): { kind: 'fixed' | 'pattern'; value: unknown } | undefined => {
  for (const [k, v] of Object.entries(e)) {
    if (k.startsWith('fixed') && k.length > 5) return { kind: 'fixed', value: v }
    if (k.startsWith('pattern') && k.length > 7) return { kind: 'pattern', value: v }
  }
  return undefined
}

/** A pattern matches when every part it gives is in the value (arrays: each item matched by some item). */
function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern))
    return Array.isArray(value) && pattern.every((p) => value.some((v) => matchesPattern(v, p)))
  if (isObj(pattern))
    return isObj(value) && Object.entries(pattern).every(([k, p]) => matchesPattern(value[k], p))
  return value === pattern
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The values of an element name in an object: `value[x]` matches valueQuantity, valueString … */
function childValues(node: Obj, segment: string): { key: string; value: unknown; index?: number }[] {
  const name = segment.split(':')[0]!
  const keys = name.endsWith('[x]')
    ? Object.keys(node).filter(
        (k) => k.startsWith(name.slice(0, -3)) && /^[A-Z]/.test(k.slice(name.length - 3)),
      )
    : [name]
  const out: { key: string; value: unknown; index?: number }[] = []
  for (const key of keys) {
    const v = node[key]
    if (v === undefined) continue
    if (Array.isArray(v)) v.forEach((x, i) => out.push({ key, value: x, index: i }))
    else out.push({ key, value: v })
  }
  return out
}

export function validateProfile(resource: Obj, profile: Profile, pointer = ''): FhirIssue[] {
  const issues: FhirIssue[] = []
  const base = r4().types[profile.type]
  const baseDef = (p: string) => {
    const parent = p.slice(0, p.lastIndexOf('.'))
    const name = p.slice(p.lastIndexOf('.') + 1).replace('[x]', '')
    return base?.children[parent]?.find((c) => c.name === name)
  }
  const add = (issue: Omit<FhirIssue, 'check'>) => issues.push({ check: 'profile', ...issue })
  const label = `profile ${profile.name}`

  /** Whether an item belongs to a slice: it has the slice's fixed/pattern values (or extension URL). */
  const inSlice = (item: unknown, slice: SnapshotElement): boolean => {
    const url = slice.type?.[0]?.profile?.[0]
    if ((slice.path.endsWith('.extension') || slice.path.endsWith('.modifierExtension')) && url)
      return isObj(item) && item.url === url
    const own = fixedOf(slice)
    if (own && !(own.kind === 'fixed' ? deepEqual(item, own.value) : matchesPattern(item, own.value)))
      return false
    // Every fixed or pattern value below the slice must be found along its path in the item.
    const prefix = `${slice.id}.`
    for (const e of profile.elements) {
      if (!e.id.startsWith(prefix) || e.id.slice(prefix.length).includes(':')) continue
      const f = fixedOf(e)
      if (!f) continue
      let nodes: unknown[] = [item]
      for (const seg of splitId(e.id.slice(prefix.length)))
        nodes = nodes.flatMap((n) => (isObj(n) ? childValues(n, seg).map((c) => c.value) : []))
      if (!nodes.some((n) => (f.kind === 'fixed' ? deepEqual(n, f.value) : matchesPattern(n, f.value))))
        return false
    }
    return true
  }

  const check = (node: Obj, id: string, ptr: string, expr: string) => {
    for (const e of profile.byParent.get(id) ?? []) {
      const seg = splitId(e.id).at(-1)!
      if (seg.includes(':') && !e.sliceName) continue
      const values = childValues(node, seg)
      const members = e.sliceName ? values.filter((v) => inSlice(v.value, e)) : values
      const b = e.sliceName ? undefined : baseDef(e.path)
      const where = `${expr}.${seg.split(':')[0]!.replace('[x]', '')}`
      const what = e.sliceName ? `${where} (slice ${e.sliceName})` : where
      const min = e.min ?? 0
      if (min > members.length && (e.sliceName || !b || min > b.min))
        add({
          severity: 'error',
          code: 'required',
          pointer: `${ptr}/${escapeSegment(seg.split(':')[0]!)}`,
          expression: where,
          message: `${what}: minimum required = ${min} by ${label}, but only found ${members.length}`,
        })
      if (
        e.max !== undefined &&
        e.max !== '*' &&
        members.length > Number(e.max) &&
        (e.sliceName || e.max !== b?.max)
      )
        add({
          severity: 'error',
          code: 'structure',
          pointer: `${ptr}/${escapeSegment(members[0]?.key ?? seg.split(':')[0]!)}`,
          expression: where,
          message: `${what}: maximum allowed = ${e.max} by ${label}, but found ${members.length}`,
        })
      if (e.mustSupport && !members.length && min === 0 && !e.sliceName)
        add({
          severity: 'information',
          code: 'not-supported',
          pointer: ptr,
          expression: where,
          message: `${where} is must-support in ${label} but absent; send it whenever the data exists`,
        })
      const f = fixedOf(e)
      for (const m of members) {
        const p = `${ptr}/${escapeSegment(m.key)}${m.index !== undefined ? `/${m.index}` : ''}`
        const x = `${expr}.${m.key}${m.index !== undefined ? `[${m.index}]` : ''}`
        if (
          f &&
          !e.sliceName &&
          !(f.kind === 'fixed' ? deepEqual(m.value, f.value) : matchesPattern(m.value, f.value))
        )
          add({
            severity: 'error',
            code: 'value',
            pointer: p,
            expression: x,
            message: `${x}: ${label} requires ${f.kind === 'fixed' ? 'the value' : 'a value matching'} ${JSON.stringify(f.value)}, not ${JSON.stringify(m.value)}`,
          })
        if (isObj(m.value)) check(m.value, e.id, p, x)
      }
    }
  }
  check(resource, profile.type, pointer, profile.type)
  return issues
}

/**
 * The profiles a resource (and each resource in a Bundle or contained) claims in meta.profile:
 * checked when loaded, listed as not checked otherwise.
 */
export function validateClaimedProfiles(
  resource: unknown,
  profiles: ProfileSet,
): { issues: FhirIssue[]; unknown: { url: string; pointer: string; expression: string }[] } {
  const issues: FhirIssue[] = []
  const unknown: { url: string; pointer: string; expression: string }[] = []
  const visit = (v: unknown, pointer: string, expr: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${pointer}/${i}`, `${expr}[${i}]`))
    if (!isObj(v)) return
    if (typeof v.resourceType === 'string') {
      const meta = isObj(v.meta) ? v.meta : {}
      const claimed = Array.isArray(meta.profile)
        ? meta.profile.filter((p): p is string => typeof p === 'string')
        : []
      claimed.forEach((raw, i) => {
        const url = raw.split('|')[0]!
        if (isBaseProfile(url)) return
        const profile = profiles.get(url)
        if (!profile)
          unknown.push({
            url,
            pointer: `${pointer}/meta/profile/${i}`,
            expression: `${expr || v.resourceType}.meta.profile[${i}]`,
          })
        else if (profile.type === v.resourceType)
          issues.push(
            ...validateProfile(v, profile, pointer).map((issue) => ({
              ...issue,
              expression: expr ? issue.expression.replace(profile.type, expr) : issue.expression,
            })),
          )
      })
    }
    for (const [k, child] of Object.entries(v))
      if (k !== 'meta')
        visit(
          child,
          `${pointer}/${escapeSegment(k)}`,
          `${expr || (typeof v.resourceType === 'string' ? v.resourceType : '')}.${k}`,
        )
  }
  visit(resource, '', '')
  return { issues, unknown }
}
