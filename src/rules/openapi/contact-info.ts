import { defineRule } from '../../core/define-rule.js'
import { infoOf, isText, objChild } from './util-style.js'

const FIELDS = ['name', 'email', 'url'] as const

// A pragmatic shape check (one @, a dot in the domain, no spaces), not the full RFC 5322 grammar.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/

export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== ''
  } catch {
    return false
  }
}

export default defineRule({
  meta: {
    id: 'contact-info',
    title: 'The description names a contact with name, email and URL',
    failureTitle: 'The description lacks complete contact information',
    description:
      'A municipality integrating with a service needs to know whom to ask when the API misbehaves or changes. ' +
      'Give info.contact a name, an email address and a URL of the support or developer page.',
    fix: 'Add info.contact with name, email and an absolute https URL.',
    sources: [
      {
        title: 'NL API Design Rules: /core/doc-openapi-contact',
        url: 'https://gitdocumentatie.logius.nl/publicatie/api/adr/#/core/doc-openapi-contact',
      },
      {
        title: 'OpenAPI Specification 3.1.0: Contact Object',
        url: 'https://spec.openapis.org/oas/v3.1.0#contact-object',
      },
    ],
    requires: ['openapi'],
    messages: {
      missing: 'The description has no info.contact.',
      'missing-fields': 'info.contact lacks {{fields}}.',
      invalid: 'info.contact.{{field}} "{{value}}" is not {{expected}}.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        const { info, at } = infoOf(api, root)
        const contact = info && objChild(api, info, 'contact')
        if (!contact) {
          ctx.report({ messageId: 'missing', node: at, key: at !== root })
          return
        }
        const c = contact.value
        const missing = FIELDS.filter((f) => !isText(c[f]))
        if (missing.length)
          ctx.report({
            messageId: 'missing-fields',
            node: contact,
            key: true,
            data: { fields: missing.join(', ') },
          })
        if (isText(c.email) && !EMAIL.test(c.email.trim()))
          ctx.report({
            messageId: 'invalid',
            node: api.child(contact, 'email')!,
            data: { field: 'email', value: c.email, expected: 'an email address' },
          })
        if (isText(c.url) && !isHttpUrl(c.url.trim()))
          ctx.report({
            messageId: 'invalid',
            node: api.child(contact, 'url')!,
            data: { field: 'url', value: c.url, expected: 'an absolute http(s) URL' },
          })
      },
    }
  },
})
