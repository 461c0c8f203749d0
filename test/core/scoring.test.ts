import { describe, expect, it } from 'vitest'
import { coverage, reaches, score } from '../../src/core/scoring.js'

describe('scoring', () => {
  it('weighs passed rules over checked rules only', () => {
    const results = [
      { status: 'pass' as const, weight: 3 },
      { status: 'fail' as const, weight: 1 },
      { status: 'not-checked' as const, weight: 3 },
      { status: 'not-applicable' as const, weight: 2 },
      { status: 'error' as const, weight: 3 },
    ]
    expect(score(results)).toBe(75)
    expect(coverage(results)).toEqual({ checked: 3, total: 5, ratio: 0.6 })
  })

  it('has no score when nothing was checked, so hiding inputs cannot score', () => {
    expect(score([{ status: 'not-checked', weight: 3 }])).toBeNull()
    expect(coverage([{ status: 'not-checked', weight: 3 }]).ratio).toBe(0)
  })

  it('compares severities with the fail-on threshold', () => {
    expect(reaches('error', 'warn')).toBe(true)
    expect(reaches('info', 'warn')).toBe(false)
    expect(reaches('error', 'none')).toBe(false)
  })
})
