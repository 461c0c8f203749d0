import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { isObj } from './util-http.js'
import { infoOf, isText, objChild } from './util-style.js'

/**
 * Words that name a changelog, in English and the Nordic and Dutch languages: changelog, change
 * log, changes, release notes, what's new; ändringslogg/versionshistorik (sv), endringslogg (no),
 * ændringslog (da), muutosloki/versiohistoria (fi), wijzigingen/wijzigingslog (nl).
 */
const CHANGELOG = [
  /change[\s_-]?log/,
  /(^|[^a-z])changes($|[^a-z])/,
  /release[\s_-]?notes?/,
  /releasenotes?/,
  /what'?s[\s_-]?new/,
  /ändringslogg/,
  /versionshistori/,
  /endringslogg/,
  /ændringslog/,
  /muutosloki/,
  /versiohistoria/,
  /wijziging/,
]

export function mentionsChangelog(text: string): boolean {
  const t = text.toLowerCase()
  return CHANGELOG.some((re) => re.test(t))
}

/** An `x-changelog` value: a link or text, or an object with a `url`. */
function changelogExtension(node: Node<unknown> | undefined): boolean {
  const v = node?.value
  return isText(v) || (isObj(v) && isText(v.url))
}

export default defineRule({
  meta: {
    id: 'changelog',
    title: 'A changelog is linked',
    failureTitle: 'No changelog is linked',
    description:
      'A municipality has to know what changed in each version of a service before it upgrades its integrations, and the NL API Design Rules require a public changelog for every API version. ' +
      'Link the changelog or release notes from the description (externalDocs or x-changelog) or from the manifest (service.changelog).',
    fix: 'Add externalDocs (or info.x-changelog) pointing at the changelog, or service.changelog in interop.yaml.',
    sources: [
      {
        title: 'NL API Design Rules: /core/changelog',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/changelog',
      },
      {
        title: 'REST API-profil (DIGG): Versionshantering',
        url: 'https://dev.dataportal.se/rest-api-profil/versionhantering',
      },
      { title: 'Keep a Changelog', url: 'https://keepachangelog.com/en/1.1.0/' },
    ],
    requires: ['openapi'],
    optional: ['manifest'],
    messages: {
      missing:
        'Neither the description (externalDocs, x-changelog) nor the manifest (service.changelog) links a changelog or release notes.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        const { info, at } = infoOf(api, root)
        if (changelogExtension(api.child(root, 'x-changelog'))) return
        if (info && changelogExtension(api.child(info, 'x-changelog'))) return
        // externalDocs is the general documentation link; it counts when it says it is the changelog.
        const docs = objChild(api, root, 'externalDocs')
        if (docs && [docs.value.url, docs.value.description].some((v) => isText(v) && mentionsChangelog(v)))
          return
        const declared = ctx.artifacts.manifest?.value.service.changelog
        if (isText(declared)) {
          // Only the vendor's manifest names it.
          ctx.establishedBy('declared')
          return
        }
        ctx.report({ messageId: 'missing', node: at, key: at !== root })
      },
    }
  },
})
