import { defineRule } from '../../core/define-rule.js'
import { infoOf, isText, objChild } from './util-style.js'

export default defineRule({
  meta: {
    id: 'license-info',
    title: 'The description states its licence',
    failureTitle: 'The description does not state a usable licence',
    description:
      'Without a stated licence a municipality cannot tell whether it may publish, share or build on the API description, for example in an API catalogue. ' +
      'Give info.license a name and an SPDX identifier (OpenAPI 3.1) or a URL of the licence text.',
    fix: 'Add info.license with a name and an SPDX identifier (OpenAPI 3.1) or a URL.',
    sources: [
      {
        title: 'OpenAPI Specification 3.1.0: License Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#license-object',
      },
      { title: 'SPDX License List', url: 'https://spdx.org/licenses/' },
    ],
    requires: ['openapi'],
    messages: {
      missing: 'The description has no info.license.',
      incomplete: 'info.license lacks {{fields}}.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    // The License Object's `identifier` exists from OpenAPI 3.1 on; earlier versions only have `url`.
    const hasIdentifier = api.kind === 'openapi' && !/^3\.0(\.|$)/.test(api.specVersion)
    return {
      Document(root) {
        const { info, at } = infoOf(api, root)
        const license = info && objChild(api, info, 'license')
        if (!license) {
          ctx.report({ messageId: 'missing', node: at, key: at !== root })
          return
        }
        const l = license.value
        const missing: string[] = []
        if (!isText(l.name)) missing.push('a name')
        if (!isText(l.url) && !(hasIdentifier && isText(l.identifier)))
          missing.push(hasIdentifier ? 'an SPDX identifier or a url' : 'a url')
        if (missing.length)
          ctx.report({
            messageId: 'incomplete',
            node: license,
            key: true,
            data: { fields: missing.join(' and ') },
          })
      },
    }
  },
})
