import rule from '../../../src/rules/openapi/contact-info.js'
import { testRule } from '../../../src/testing/vitest.js'

const contact = {
  name: 'Bokslut AB API support',
  email: 'api-support@bokslut.example',
  url: 'https://developer.bokslut.example/support',
}
const doc = (c?: unknown) => ({
  openapi: '3.1.0',
  info: { title: 'Library', version: '1.0.0', ...(c === undefined ? {} : { contact: c }) },
  paths: {},
})

testRule(rule, {
  valid: [
    { name: 'name, email and url', document: doc(contact) },
    {
      name: 'http URL and subdomain address',
      document: doc({ ...contact, email: 'ops@api.kommun.example.se', url: 'http://kommun.example.se/api' }),
    },
    {
      name: 'Swagger 2',
      document: { swagger: '2.0', info: { title: 'Cases', version: '1.0.0', contact }, paths: {} },
    },
  ],
  invalid: [
    { name: 'no contact', document: doc(), errors: [{ messageId: 'missing', pointer: '/info', line: 2 }] },
    {
      name: 'contact is not an object',
      document: doc('mail@example.com'),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'no email (JSON file)',
      filename: 'openapi.json',
      document: doc({ name: contact.name, url: contact.url }),
      errors: [{ messageId: 'missing-fields', pointer: '/info/contact', line: 6 }],
    },
    {
      name: 'name only, and empty strings count as missing',
      document: doc({ name: 'Arkivion Systems Ltd - Partner Desk', email: ' ' }),
      errors: [{ messageId: 'missing-fields', pointer: '/info/contact' }],
    },
    {
      name: 'email and url that are not what they say',
      document: doc({
        name: contact.name,
        email: 'mailto:support@bokslut.example',
        url: 'developer.bokslut.example/support',
      }),
      errors: [
        { messageId: 'invalid', pointer: '/info/contact/email' },
        { messageId: 'invalid', pointer: '/info/contact/url' },
      ],
    },
    {
      name: 'Swagger 2 with an ftp URL and a missing name',
      document: {
        swagger: '2.0',
        info: {
          title: 'Cases',
          version: '1.0.0',
          contact: { email: contact.email, url: 'ftp://files.example' },
        },
        paths: {},
      },
      errors: [
        { messageId: 'missing-fields', pointer: '/info/contact' },
        { messageId: 'invalid', pointer: '/info/contact/url' },
      ],
    },
    {
      name: 'no info at all',
      document: { openapi: '3.1.0', paths: {} },
      errors: [{ messageId: 'missing', pointer: '' }],
    },
  ],
})
