import { describe, expect, it } from 'vitest'
import { groupBy } from '../../src/core/group-by.js'

describe('groupBy', () => {
  it('lists the items by key, in their order, the keys in the order first met', () => {
    const words = ['apple', 'bean', 'avocado', 'cherry', 'blueberry', 'apricot']
    const groups = groupBy(words, (w) => w[0])
    expect([...groups.keys()]).toEqual(['a', 'b', 'c'])
    expect(groups.get('a')).toEqual(['apple', 'avocado', 'apricot'])
    expect(groups.get('b')).toEqual(['bean', 'blueberry'])
  })

  it('leaves out the items without a key, and takes any iterable', () => {
    const groups = groupBy(new Set([1, 2, 3, 4, 5, 6]), (n) => (n % 3 === 0 ? undefined : n % 2))
    expect([...groups]).toEqual([
      [1, [1, 5]],
      [0, [2, 4]],
    ])
  })
})
