import rule from '../../../src/rules/openapi/open-license.js'
import { testRule } from '../../../src/testing/vitest.js'

const doc = (license?: object, version = '3.1.0') => ({
  openapi: version,
  info: { title: 't', version: '1.0.0', ...(license ? { license } : {}) },
  paths: {},
})
const swagger = (license?: object) => ({
  swagger: '2.0',
  info: { title: 't', version: '1.0.0', ...(license ? { license } : {}) },
  paths: {},
})

testRule(rule, {
  valid: [
    { name: 'SPDX identifier EUPL-1.2', document: doc({ name: 'EUPL', identifier: 'EUPL-1.2' }) },
    { name: 'identifiers match case-insensitively', document: doc({ name: 'x', identifier: 'cc-by-4.0' }) },
    {
      name: 'an SPDX expression with an open alternative',
      document: doc({ name: 'dual', identifier: '(MIT OR LicenseRef-Acme)' }),
    },
    {
      name: 'a name as people write it',
      document: doc({ name: 'Apache License, Version 2.0', url: 'https://example.org/LICENSE' }, '3.0.3'),
    },
    {
      name: 'Creative Commons by its long name',
      document: doc({ name: 'Creative Commons Attribution 4.0 International' }, '3.0.3'),
    },
    {
      name: 'Open Data Commons by its long name',
      document: doc({ name: 'Open Data Commons Open Database License (ODbL)' }, '3.0.3'),
    },
    {
      name: 'the EUPL by its long name',
      document: doc({ name: 'European Union Public Licence v. 1.2' }, '3.0.3'),
    },
    {
      name: 'the GPL by its long name',
      document: doc({ name: 'GNU General Public License v3.0 or later' }, '3.0.3'),
    },
    {
      name: 'BSD as GitHub names it',
      document: doc({ name: 'BSD 3-Clause "New" or "Revised" License' }, '3.0.3'),
    },
    {
      name: 'a name that does not map, with a URL that does',
      document: doc(
        { name: 'Our licence', url: 'https://creativecommons.org/publicdomain/zero/1.0/' },
        '3.0.3',
      ),
    },
    {
      name: 'Swagger 2 with an SPDX URL',
      document: swagger({ name: 'License', url: 'https://spdx.org/licenses/MPL-2.0.html' }),
    },
  ],
  invalid: [
    {
      name: 'no licence',
      document: doc(),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
    {
      name: 'proprietary',
      document: doc({ name: 'Proprietary' }, '3.0.3'),
      errors: [{ messageId: 'not-open', pointer: '/info/license/name' }],
    },
    {
      name: 'all rights reserved, with a company URL',
      document: doc({ name: 'All rights reserved', url: 'https://acme.example/terms' }, '3.0.3'),
      errors: [{ messageId: 'not-open', pointer: '/info/license/name' }],
    },
    {
      name: 'NonCommercial by name',
      document: doc({ name: 'CC BY-NC 4.0' }, '3.0.3'),
      errors: [{ messageId: 'not-open' }],
    },
    {
      name: 'a known non-open SPDX identifier',
      document: doc({ name: 'CC BY-ND', identifier: 'CC-BY-ND-4.0' }),
      errors: [{ messageId: 'not-open', pointer: '/info/license/identifier' }],
    },
    {
      name: 'an identifier that is not SPDX',
      document: doc({ name: 'Acme', identifier: 'Acme-EULA-2' }),
      errors: [{ messageId: 'unknown-identifier', pointer: '/info/license/identifier' }],
    },
    {
      name: 'a licence of the vendor’s own (LicenseRef)',
      document: doc({ name: 'Acme', identifier: 'LicenseRef-Acme-Terms' }),
      errors: [{ messageId: 'not-open' }],
    },
    {
      name: 'Swagger 2 with a CC BY-NC URL',
      document: swagger({ name: 'CC', url: 'https://creativecommons.org/licenses/by-nc/4.0/' }),
      errors: [{ messageId: 'not-open', pointer: '/info/license/name' }],
    },
    {
      name: 'Swagger 2 without a licence',
      document: swagger(),
      errors: [{ messageId: 'missing', pointer: '/info' }],
    },
  ],
})
