import { describe, expect, it } from 'vitest'
import { underExtension } from '../../../src/rules/openapi/util-style.js'

describe('underExtension', () => {
  it('is true when a segment before the last is an extension, except a property named x-…', () => {
    const cases: [string, boolean][] = [
      ['', false],
      ['/x-a', false],
      ['/x-a/b', true],
      ['/x-a/', true],
      ['/paths/x-internal/get', true],
      ['/paths/~1x-a/get', false],
      ['/components/schemas/A/properties/x-b', false],
      ['/components/schemas/A/properties/x-b/properties/c', false],
      ['/components/schemas/A/properties/x-b/x-c/d', true],
      ['/components/schemas/A/xproperties/x-b/c', true],
      ['/properties/x-b/c', false],
      ['/aproperties/x-b/c', true],
      ['/a/x-/b', true],
      ['/a/bx-c/d', false],
      ['/x-a/properties/x-b/c', true],
      ['/properties/x-a/properties/x-b/c', false],
      ['/properties/x-a/x-b', false],
      ['/properties/x-a/x-b/c', true],
    ]
    for (const [pointer, expected] of cases)
      expect([pointer, underExtension(pointer)]).toEqual([pointer, expected])
  })
})
