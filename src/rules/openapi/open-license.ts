import { defineRule } from '../../core/define-rule.js'
import { infoOf, isText, objChild } from './util-style.js'

/**
 * SPDX identifiers of open licences: OSI-approved software licences, and the Creative Commons and
 * Open Data Commons licences (and a few government open data licences) that meet the Open
 * Definition. Deprecated SPDX forms (GPL-3.0 without -only/-or-later) are accepted as written.
 */
const OPEN = [
  'Apache-2.0',
  'MIT',
  'MIT-0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'ISC',
  'Unlicense',
  'Zlib',
  'BSL-1.0',
  'PostgreSQL',
  'UPL-1.0',
  'NCSA',
  'Artistic-2.0',
  'EUPL-1.1',
  'EUPL-1.2',
  'MPL-2.0',
  'EPL-1.0',
  'EPL-2.0',
  'CDDL-1.0',
  'OSL-3.0',
  'AFL-3.0',
  'ECL-2.0',
  'CECILL-2.1',
  'MS-PL',
  'MS-RL',
  'GPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'LGPL-2.1',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'AGPL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'CC0-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'CC-BY-SA-3.0',
  'CC-BY-SA-4.0',
  'ODC-By-1.0',
  'ODbL-1.0',
  'PDDL-1.0',
  'CDLA-Permissive-1.0',
  'CDLA-Permissive-2.0',
  'CDLA-Sharing-1.0',
  'NLOD-1.0',
  'NLOD-2.0',
  'DL-DE-BY-2.0',
  'DL-DE-ZERO-2.0',
  'OGL-UK-3.0',
  'etalab-2.0',
]

/**
 * SPDX identifiers of licences that are not open: Creative Commons NonCommercial and NoDerivatives
 * variants (they fail the Open Definition's freedom to reuse), and source-available licences the OSI
 * has not approved.
 */
const CLOSED = [
  ...['2.0', '3.0', '4.0'].flatMap((v) => ['NC', 'ND', 'NC-SA', 'NC-ND'].map((k) => `CC-BY-${k}-${v}`)),
  'BUSL-1.1',
  'SSPL-1.0',
  'Elastic-2.0',
  'PolyForm-Noncommercial-1.0.0',
  'Commons-Clause',
]

// SPDX License List matching guidelines: identifiers match case-insensitively.
const OPEN_IDS = new Map(OPEN.map((id) => [id.toLowerCase(), id]))
const CLOSED_IDS = new Map(CLOSED.map((id) => [id.toLowerCase(), id]))

type Verdict = { kind: 'open' | 'closed'; id: string } | { kind: 'unknown' }

function byId(id: string): Verdict {
  const k = id.trim().replace(/\+$/, '').toLowerCase()
  const open = OPEN_IDS.get(k)
  if (open) return { kind: 'open', id: open }
  const closed = CLOSED_IDS.get(k)
  if (closed) return { kind: 'closed', id: closed }
  return { kind: 'unknown' }
}

/**
 * Licence names as people write them, after `normalizeName`, to SPDX identifiers. Creative Commons
 * names with NonCommercial or NoDerivatives terms are caught first, so they never map to CC-BY.
 */
const NAME_PATTERNS: [RegExp, string][] = [
  [/^(ccby|creativecommonsattribution).*(nc|noncommercial|nd|noderiv)/, 'CC-BY-NC-4.0'],
  [/^apachev?2(\.0)?$/, 'Apache-2.0'],
  [/^(mit|expat)$/, 'MIT'],
  [/^(bsd2clause|(simplified|freebsd)bsd)/, 'BSD-2-Clause'],
  [/^(bsd3clause|(new|revised|modified)bsd)/, 'BSD-3-Clause'],
  [/^(eupl|europeanunionpublic)v?1\.2$/, 'EUPL-1.2'],
  [/^(eupl|europeanunionpublic)v?1\.1$/, 'EUPL-1.1'],
  [/^(gnu)?(agpl|afferogeneralpublic|afferogpl)v?3(\.0)?(only|orlater)?$/, 'AGPL-3.0'],
  [/^(gnu)?(lgpl|(lesser|library)(generalpublic|gpl))v?2\.1(only|orlater)?$/, 'LGPL-2.1'],
  [/^(gnu)?(lgpl|(lesser|library)(generalpublic|gpl))v?3(\.0)?(only|orlater)?$/, 'LGPL-3.0'],
  [/^(gnu)?(gpl|generalpublic)v?2(\.0)?(only|orlater)?$/, 'GPL-2.0'],
  [/^(gnu)?(gpl|generalpublic)v?3(\.0)?(only|orlater)?$/, 'GPL-3.0'],
  [/^(mpl|mozillapublic)v?2(\.0)?$/, 'MPL-2.0'],
  [/^isc$/, 'ISC'],
  [/^unlicense$/, 'Unlicense'],
  [/^(cc0|cczero|creativecommonszero)/, 'CC0-1.0'],
  [/^(ccbysa|creativecommonsattributionsharealike)v?4(\.0)?$/, 'CC-BY-SA-4.0'],
  [/^(ccbysa|creativecommonsattributionsharealike)v?3(\.0)?$/, 'CC-BY-SA-3.0'],
  [/^(ccby|creativecommonsattribution)v?4(\.0)?$/, 'CC-BY-4.0'],
  [/^(ccby|creativecommonsattribution)v?3(\.0)?$/, 'CC-BY-3.0'],
  [/^(odcby|opendatacommonsattribution)(v?1(\.0)?)?$/, 'ODC-By-1.0'],
  [/^(odbl|opendatacommonsopendatabase)(v?1(\.0)?)?$/, 'ODbL-1.0'],
  [/^(pddl|opendatacommonspublicdomaindedicationand)(v?1(\.0)?)?$/, 'PDDL-1.0'],
  [/^(nlod|norwegianforopengovernmentdata)v?2(\.0)?$/, 'NLOD-2.0'],
]

function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)/g, '')
    .replace(/licence/g, 'license')
    .replace(/\b(the|license|version|international|unported|generic)\b/g, '')
    .replace(/\bv\.?\s*(?=\d)/g, '')
    .replace(/[^a-z0-9.]/g, '')
}

/** Licence URLs to SPDX identifiers: SPDX, OSI, the licence stewards' own pages. */
function byUrl(url: string): Verdict {
  const u = url.toLowerCase().replace(/^https?:\/\/(www\.)?/, '')
  let m =
    /^(spdx\.org\/licenses|opensource\.org\/licenses?|choosealicense\.com\/licenses)\/([^/?#]+?)(\.html|\.json|\.php)?\/?$/.exec(
      u,
    )
  if (m) return byId(m[2]!)
  if (/^apache\.org\/licenses\/license-2\.0/.test(u)) return byId('Apache-2.0')
  m = /^creativecommons\.org\/licenses\/(by(?:-nc)?(?:-sa|-nd)?)\/(\d\.\d)/.exec(u)
  if (m) return byId(`CC-${m[1]!.toUpperCase()}-${m[2]}`)
  if (/^creativecommons\.org\/publicdomain\/zero\/1\.0/.test(u)) return byId('CC0-1.0')
  m = /^opendatacommons\.org\/licenses\/(odbl|by|pddl)/.exec(u)
  if (m) return byId({ odbl: 'ODbL-1.0', by: 'ODC-By-1.0', pddl: 'PDDL-1.0' }[m[1] as 'odbl' | 'by' | 'pddl'])
  m = /^gnu\.org\/licenses\/(a|l)?gpl-(\d\.\d)/.exec(u)
  if (m) return byId(`${(m[1] ?? '').toUpperCase()}GPL-${m[2]}`)
  if (/^mozilla\.org\/(en-us\/)?mpl\/2\.0/.test(u)) return byId('MPL-2.0')
  if (/eupl/.test(u)) return byId(/1[._-]?1/.test(u.replace(/^.*eupl/, '')) ? 'EUPL-1.1' : 'EUPL-1.2')
  if (/^data\.norge\.no\/nlod/.test(u)) return byId('NLOD-2.0')
  return { kind: 'unknown' }
}

function byName(name: string): Verdict {
  const id = byId(name)
  if (id.kind !== 'unknown') return id
  const n = normalizeName(name)
  for (const [re, spdx] of NAME_PATTERNS) if (re.test(n)) return byId(spdx)
  return { kind: 'unknown' }
}

/**
 * An SPDX licence expression (`MIT OR Apache-2.0`, `GPL-2.0-or-later WITH Classpath-exception-2.0`):
 * open when every licence of an AND is open, or any of an OR. `LicenseRef-` identifiers name a
 * licence only its author knows, so they count as not open.
 */
function byExpression(expr: string): Verdict | { kind: 'unknown-id'; id: string } {
  const plain = expr.replace(/[()]/g, ' ').replace(/\s+WITH\s+\S+/gi, ' ')
  const conjunctive = /\sAND\s/i.test(plain)
  const ids = plain
    .split(/\s+(?:AND|OR)\s+/i)
    .map((s) => s.trim())
    .filter(Boolean)
  const verdicts: Verdict[] = []
  for (const id of ids) {
    if (/^(DocumentRef-[^:]+:)?LicenseRef-/i.test(id)) {
      verdicts.push({ kind: 'closed', id })
      continue
    }
    const v = byId(id)
    if (v.kind === 'unknown') return { kind: 'unknown-id', id }
    verdicts.push(v)
  }
  const open = conjunctive
    ? verdicts.every((v) => v.kind === 'open')
    : verdicts.some((v) => v.kind === 'open')
  return open ? { kind: 'open', id: expr } : { kind: 'closed', id: expr }
}

export default defineRule({
  meta: {
    id: 'open-license',
    title: 'The API description has an open licence',
    failureTitle: 'The API description has no open licence',
    description:
      'A municipality must be able to publish, share and build on the description of an interface it depends on (in API catalogues, for other suppliers building a replacement), which a proprietary or unstated licence forbids. ' +
      'License the description under an open licence and name it by its SPDX identifier, e.g. CC-BY-4.0, CC0-1.0, Apache-2.0 or EUPL-1.2.',
    fix: 'Set info.license to an open licence with its SPDX identifier (OpenAPI 3.1) or URL, e.g. CC-BY-4.0 or Apache-2.0.',
    sources: [
      { title: 'SPDX License List', url: 'https://spdx.org/licenses/' },
      { title: 'OSI Approved Licenses', url: 'https://opensource.org/licenses' },
      { title: 'Open Definition 2.1: conformant licenses', url: 'https://opendefinition.org/licenses/' },
      {
        title: 'OpenAPI Specification 3.1.0: License Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#license-object',
      },
      {
        title: 'European Interoperability Framework, recommendation 4 (openness, reusability)',
        url: 'https://ec.europa.eu/isa2/eif_en',
      },
    ],
    requires: ['openapi'],
    messages: {
      missing: 'The description has no info.license; state an open licence such as CC-BY-4.0 or Apache-2.0.',
      'not-open':
        'The licence "{{license}}" is not a recognised open licence (OSI-approved, or an open data licence such as CC-BY-4.0, CC0-1.0 or ODbL-1.0).',
      'unknown-identifier':
        'The licence identifier "{{identifier}}" is not an SPDX identifier of a known licence; use one from the SPDX License List.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        const { info, at } = infoOf(api, root)
        const licenseRaw = info && api.child(info, 'license')
        const license = info && objChild(api, info, 'license')
        if (!license) {
          ctx.report({ messageId: 'missing', node: at, key: at !== root })
          return
        }
        const l = license.value
        // The SPDX `identifier` (OpenAPI 3.1) is taken wherever it is written; it says it exactly.
        if (isText(l.identifier)) {
          const v = byExpression(l.identifier)
          const node = api.child(license, 'identifier')!
          if (v.kind === 'unknown-id')
            ctx.report({ messageId: 'unknown-identifier', node, data: { identifier: v.id } })
          else if (v.kind !== 'open')
            ctx.report({ messageId: 'not-open', node, data: { license: l.identifier } })
          return
        }
        let verdict: Verdict = isText(l.name) ? byName(l.name) : { kind: 'unknown' }
        if (verdict.kind === 'unknown' && isText(l.url)) verdict = byUrl(l.url)
        if (verdict.kind === 'open') return
        const label = isText(l.name) ? l.name : isText(l.url) ? l.url : '(unnamed)'
        ctx.report({
          messageId: 'not-open',
          node: api.child(license, isText(l.name) ? 'name' : 'url') ?? licenseRaw ?? license,
          data: { license: label },
        })
      },
    }
  },
})
