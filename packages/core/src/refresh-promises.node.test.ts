/**
 * The refresh path's promise count on Node. Inside a framework's
 * `AsyncLocalStorage` (Next runs route handlers in one) every promise pays an
 * async hook, so the path keeps its crypto synchronous and its wrappers thin
 * (internal/awaitable.ts). A regression here shows as a count, not as a
 * timing: the bound is today's count, for the engine over the memory store.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks'
import { describe, expect, it } from 'vitest'
import { generateSigningKey } from './key-set.js'
import { MemorySessionStore } from './memory-store.js'
import { createSessionEngine } from './session-engine.js'

const SECRET = 's'.repeat(40)

async function promisesOf(run: () => Promise<unknown>): Promise<number> {
  let count = 0
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++
    },
  })
  hook.enable()
  try {
    await new AsyncLocalStorage<object>().run({}, run)
  } finally {
    hook.disable()
  }
  return count
}

describe('the refresh path on Node', () => {
  it.each(['HS256', 'EdDSA'])(
    '%s: creates a bounded number of promises per rotation (34 before it was made synchronous)',
    async (alg) => {
      const keys = alg === 'EdDSA' ? { sign: (await generateSigningKey({ kid: 'k1' })).privateJwk } : undefined
      const engine = createSessionEngine({
        store: new MemorySessionStore(),
        secret: SECRET,
        issuer: 'https://app.test',
        keys,
      })
      let issued = await engine.signIn({ subject: 'ada', user: { id: 'ada' } })
      issued = await engine.refresh({ refreshToken: issued.refreshToken }) // keys derived, code warm
      const counts: number[] = []
      for (let i = 0; i < 3; i++) {
        let next = issued
        counts.push(
          await promisesOf(async () => {
            next = await engine.refresh({ refreshToken: issued.refreshToken })
          }),
        )
        expect(next.refreshToken).not.toBe(issued.refreshToken)
        issued = next
      }
      const header = JSON.parse(Buffer.from(issued.accessToken.split('.')[0] as string, 'base64url').toString())
      expect(header.alg).toBe(alg)
      expect(new Set(counts).size).toBe(1)
      expect(counts[0]).toBeLessThanOrEqual(15)
    },
  )
})
