import { describe, expect, it } from 'vitest'
import { interpolate } from '../../src/declarative/rule.js'

const vars = {
  property: 'name',
  error: 'must be $& camelCase',
  path: '#/paths/~1a',
  description: undefined,
  value: { a: 1 },
}

describe('Spectral message templates', () => {
  it.each([
    ['{{property}} is {{error}}.', 'name is must be $& camelCase.'],
    ['{{error}}{{path}}', 'must be $& camelCase#/paths/~1a'],
    ['{{ property }} / {{unknown}} / {{description}}', 'name /  / undefined'],
    ['#{{print("property")}}must be set', '"name" property must be set'],
    ["#{{print('value')}} at {{path}}", 'Object{} at #/paths/~1a'],
    ['#{{print("error")}}|#{{print("nothing")}}|#{{property}}', 'must be $& camelCase||'],
    ['no placeholders', 'no placeholders'],
    ['{{property', '{{property'],
    ['{{pro\nperty}} {{}} x', '{{pro\nperty}} {{}} x'],
    ['', ''],
  ])('fills %j', (template, expected) => {
    expect(interpolate(template, vars)).toBe(expected)
    // A template is worked out once: asked again, the same text.
    expect(interpolate(template, vars)).toBe(expected)
  })

  it('prints the document for an empty property, and values by kind', () => {
    const top = { ...vars, property: '', value: [1] }
    expect(interpolate('#{{print("property")}}is wrong: #{{print("value")}}', top)).toBe(
      'The document is wrong: Array[]',
    )
    expect(interpolate('#{{print("value")}}', { ...vars, value: 'x' })).toBe('"x"')
    expect(interpolate('#{{print("value")}}', { ...vars, value: undefined })).toBe('undefined')
  })
})
