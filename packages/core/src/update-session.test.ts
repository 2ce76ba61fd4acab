import { describe, expect, it } from 'vitest'
import type { SessionEngineOptions } from './engine-options.js'
import { ConfigError, SessionExpiredError, SessionRevokedError } from './errors.js'
import type { BatonEvent } from './events.js'
import { sha256 } from './internal/encoding.js'
import { MemorySessionStore } from './memory-store.js'
import { createSessionEngine, type SessionEngine } from './session-engine.js'
import { manualClock } from './testing/index.js'

const SECRET = 'update-session-secret-0123456789abc!'

/** An engine whose `claims` look the role up asynchronously, like a database query. */
function setup(overrides: Partial<SessionEngineOptions> = {}) {
  const clock = manualClock()
  const store = new MemorySessionStore()
  const roles = new Map<string, string>([['ada', 'reader']])
  const events: BatonEvent[] = []
  const engine = createSessionEngine({
    store,
    secret: SECRET,
    issuer: 'https://app.test',
    clock,
    claims: async (session) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      return { role: roles.get(session.subject) ?? null }
    },
    onEvent: (event) => {
      events.push(event)
    },
    ...overrides,
  })
  return { clock, store, roles, events, engine }
}

async function roleOf(engine: SessionEngine, token: string): Promise<unknown> {
  return (await engine.verifyAccessToken(token, { strict: true })).claims.role
}

describe('engine.updateSession', () => {
  it('re-issues the access token with claims computed afresh, for the same session', async () => {
    const { engine, clock, roles } = setup()
    const issued = await engine.signIn({ subject: 'ada' })
    expect(await roleOf(engine, issued.accessToken)).toBe('reader')
    roles.set('ada', 'admin')
    clock.advance(60_000)
    const updated = await engine.updateSession({ sessionId: issued.session.id })
    expect(await roleOf(engine, updated.accessToken)).toBe('admin')
    expect(updated.accessToken).not.toBe(issued.accessToken)
    expect(updated.session.id).toBe(issued.session.id)
    expect(updated.session.subject).toBe('ada')
    // A full lifetime from the update, not from the sign-in.
    expect(updated.accessTokenExpiresAt).toBe(clock.now() + 900_000)
    const verified = await engine.verifyAccessToken(updated.accessToken)
    expect(verified).toMatchObject({
      subject: 'ada',
      sessionId: issued.session.id,
      expiresAt: updated.accessTokenExpiresAt,
    })
    expect(Object.keys(updated).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'session'])
  })

  it('leaves the refresh token alone: it is neither rotated nor used, and still refreshes', async () => {
    const { engine, store, clock, roles } = setup()
    const issued = await engine.signIn({ subject: 'ada' })
    roles.set('ada', 'admin')
    await engine.updateSession({ sessionId: issued.session.id })
    const stored = await store.findRefreshToken(await sha256(issued.refreshToken))
    expect(stored?.token.usedAt).toBeNull()
    expect(stored?.token.successorHash).toBeNull()
    // Past the grace window: a used token would now count as reuse and end the session.
    clock.advance(60_000)
    const refreshed = await engine.refresh({ refreshToken: issued.refreshToken })
    expect(refreshed.graced).toBe(false)
    expect(refreshed.session.id).toBe(issued.session.id)
    expect(await roleOf(engine, refreshed.accessToken)).toBe('admin')
  })

  it('caps the new token at the absolute session lifetime', async () => {
    const { engine, clock } = setup({ sessionTtl: 1200, refreshTokenTtl: 1200 })
    const issued = await engine.signIn({ subject: 'ada' })
    clock.advance(1_000_000)
    const updated = await engine.updateSession({ sessionId: issued.session.id })
    expect(updated.accessTokenExpiresAt).toBe(issued.session.absoluteExpiresAt)
  })

  it('refuses a revoked or unknown session with SessionRevokedError', async () => {
    const { engine } = setup()
    const issued = await engine.signIn({ subject: 'ada' })
    await engine.signOut({ sessionId: issued.session.id })
    await expect(engine.updateSession({ sessionId: issued.session.id })).rejects.toBeInstanceOf(SessionRevokedError)
    await expect(engine.updateSession({ sessionId: 'no-such-session' })).rejects.toBeInstanceOf(SessionRevokedError)
  })

  it('never trusts the revocation cache: a revocation it has not seen still refuses the update', async () => {
    const { engine, store, clock } = setup({ revocationCacheTtl: 60 })
    const issued = await engine.signIn({ subject: 'ada' })
    // A strict check caches "live"; another instance then revokes in the shared store.
    await engine.verifyAccessToken(issued.accessToken, { strict: true })
    await store.revokeSession(issued.session.id, { at: clock.now(), reason: 'revoked' })
    await expect(engine.verifyAccessToken(issued.accessToken, { strict: true })).resolves.toBeTruthy()
    await expect(engine.updateSession({ sessionId: issued.session.id })).rejects.toBeInstanceOf(SessionRevokedError)
  })

  it('refuses an idle-expired and an absolutely expired session with SessionExpiredError', async () => {
    const { engine, clock } = setup({ refreshTokenTtl: 600, sessionTtl: 3600 })
    const idle = await engine.signIn({ subject: 'ada' })
    clock.advance(600_000)
    await expect(engine.updateSession({ sessionId: idle.session.id })).rejects.toBeInstanceOf(SessionExpiredError)

    const capped = await engine.signIn({ subject: 'ada' })
    let refreshToken = capped.refreshToken
    for (let t = 0; t < 6; t++) {
      clock.advance(599_000)
      refreshToken = (await engine.refresh({ refreshToken })).refreshToken
    }
    clock.advance(6_000)
    await expect(engine.updateSession({ sessionId: capped.session.id })).rejects.toBeInstanceOf(SessionExpiredError)
  })

  it('refuses a missing session id as a programming error', async () => {
    const { engine } = setup()
    await expect(engine.updateSession({ sessionId: '' })).rejects.toBeInstanceOf(ConfigError)
    await expect(engine.updateSession({} as { sessionId: string })).rejects.toBeInstanceOf(ConfigError)
  })

  it("leaves the user's other sessions on the old claims until their own refresh", async () => {
    const { engine, clock, roles } = setup()
    const laptop = await engine.signIn({ subject: 'ada' })
    const phone = await engine.signIn({ subject: 'ada' })
    roles.set('ada', 'admin')
    const updated = await engine.updateSession({ sessionId: laptop.session.id })
    expect(await roleOf(engine, updated.accessToken)).toBe('admin')
    expect(await roleOf(engine, phone.accessToken)).toBe('reader')
    clock.advance(60_000)
    const refreshed = await engine.refresh({ refreshToken: phone.refreshToken })
    expect(refreshed.session.id).toBe(phone.session.id)
    expect(await roleOf(engine, refreshed.accessToken)).toBe('admin')
  })

  it('reports session_updated, without the token, and nothing when refused', async () => {
    const { engine, events } = setup()
    const issued = await engine.signIn({ subject: 'ada' })
    const updated = await engine.updateSession({ sessionId: issued.session.id })
    expect(events.map((e) => e.type)).toEqual(['signed_in', 'session_updated'])
    expect(events[1]).toMatchObject({ subject: 'ada', sessionId: issued.session.id })
    expect(JSON.stringify(events)).not.toContain(updated.accessToken)
    await engine.revokeSession({ sessionId: issued.session.id })
    await engine.updateSession({ sessionId: issued.session.id }).catch(() => undefined)
    expect(events.map((e) => e.type)).toEqual(['signed_in', 'session_updated', 'session_revoked'])
  })
})
