import { defineRule } from '../../core/define-rule.js'

// The regular expression suggested by SemVer 2.0.0 itself (semver.org, FAQ "Is there a suggested
// regular expression (RegEx) to check a SemVer string?").
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

export default defineRule({
  meta: {
    id: 'semver',
    title: 'The API version follows Semantic Versioning',
    failureTitle: 'The API version does not follow Semantic Versioning',
    description:
      'Clients decide whether they can upgrade from the version number alone, which only works when it says whether a change is breaking. ' +
      'Give `info.version` as a SemVer 2.0.0 version MAJOR.MINOR.PATCH, as the NL API Design Rules and the Swedish REST API-profil require.',
    fix: 'Set `info.version` to a SemVer version such as "1.2.0", raising MAJOR for breaking changes.',
    sources: [
      { title: 'Semantic Versioning 2.0.0', url: 'https://semver.org/spec/v2.0.0.html' },
      {
        title: 'NL API Design Rules: /core/semver',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/semver',
      },
      {
        title: 'REST API-profil (DIGG): Versionshantering',
        url: 'https://dev.dataportal.se/rest-api-profil/versionhantering',
      },
    ],
    requires: ['openapi'],
    messages: {
      invalid: 'info.version "{{version}}" is not a SemVer 2.0.0 version MAJOR.MINOR.PATCH (e.g. 1.0.0).',
      'not-string':
        'info.version is the {{type}} {{version}}, not a string; write the version as a quoted SemVer string such as "1.0.0".',
      missing: 'The description has no info.version; give the API version as MAJOR.MINOR.PATCH (e.g. 1.0.0).',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        const info = api.child(root, 'info')
        const node = info && api.child(info, 'version')
        if (!node || node.value === null || node.value === '') {
          ctx.report({ messageId: 'missing', node: node ?? info ?? root })
          return
        }
        const v = node.value
        if (typeof v !== 'string') {
          // YAML reads `version: 1.0` as the number 1: the string the author meant is lost.
          ctx.report({ messageId: 'not-string', node, data: { type: typeof v, version: JSON.stringify(v) } })
          return
        }
        if (!SEMVER.test(v)) ctx.report({ messageId: 'invalid', node, data: { version: v } })
      },
    }
  },
})
