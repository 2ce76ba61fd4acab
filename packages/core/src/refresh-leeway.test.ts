import { describe, expect, it } from 'vitest'
import { effectiveLeeway } from './refresh-leeway.js'
import * as verify from './verify.js'

describe('effectiveLeeway', () => {
  it('is the configured leeway while it is at most a third of the lifetime', () => {
    expect(effectiveLeeway({ leeway: 60_000, ttl: 900_000 })).toBe(60_000)
    expect(effectiveLeeway({ leeway: 300, ttl: 900 })).toBe(300)
  })

  it('is a third of the lifetime when the leeway is longer, so short tokens are not refreshed in a loop', () => {
    expect(effectiveLeeway({ leeway: 60_000, ttl: 30_000 })).toBe(10_000)
    expect(effectiveLeeway({ leeway: 301, ttl: 900 })).toBe(300)
  })

  it('is 0 for a token already expired (a negative lifetime left) and for a zero leeway', () => {
    expect(effectiveLeeway({ leeway: 60_000, ttl: -5_000 })).toBe(0)
    expect(effectiveLeeway({ leeway: 0, ttl: 900_000 })).toBe(0)
  })

  it('is exported by @baton/core/verify, for the Edge proxy', () => {
    expect(verify.effectiveLeeway).toBe(effectiveLeeway)
  })
})
