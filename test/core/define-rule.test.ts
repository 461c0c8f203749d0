import { describe, expect, it } from 'vitest'
import { formatMessage } from '../../src/core/define-rule.js'

describe('formatMessage', () => {
  it('fills placeholders, keeps unknown ones, and writes other values as JSON', () => {
    const template = '{{method}} {{ path }} has {{count}} of {{ limits.max }}; {{missing}} stays.'
    const data = { method: 'GET', path: '/books', count: 3, 'limits.max': { n: 2 } }
    expect(formatMessage(template, data)).toBe('GET /books has 3 of {"n":2}; {{missing}} stays.')
    // The same template again (taken apart once), with other data.
    expect(formatMessage(template, { method: 'PUT', path: '/a', count: [1] })).toBe(
      'PUT /a has [1] of {{ limits.max }}; {{missing}} stays.',
    )
    expect(formatMessage('No placeholders.')).toBe('No placeholders.')
    expect(formatMessage('{{a}}{{b}}', { a: 'x', b: '' })).toBe('x')
  })
})
