import { describe, expect, it, vi } from 'vitest'
import type { SessionEngineOptions } from './engine-options.js'
import { SessionRevokedError } from './errors.js'
import type { BatonEvent } from './events.js'
import { MemorySessionStore } from './memory-store.js'
import { refreshTokens } from './refresh-token.js'
import { createSessionEngine, type SessionEngine } from './session-engine.js'
import type { SessionStore } from './session-store.js'
import { manualClock } from './testing/index.js'

const SECRET = 'engine-test-secret-0123456789abcdef!'
const OLD_SECRET = 'engine-old-secret-0123456789abcdef!!'

function setup(overrides: Partial<SessionEngineOptions> = {}) {
  const clock = manualClock()
  const store = new MemorySessionStore()
  const events: BatonEvent[] = []
  const engine = createSessionEngine({
    store,
    secret: SECRET,
    issuer: 'https://app.test',
    clock,
    onEvent: (e) => {
      events.push(e)
    },
    ...overrides,
  })
  return { clock, store, engine, events }
}

async function chain(engine: SessionEngine, token: string, hops: number): Promise<string[]> {
  const tokens = [token]
  for (let i = 0; i < hops; i++) tokens.push((await engine.refresh({ refreshToken: tokens.at(-1) })).refreshToken)
  return tokens
}

describe('session engine', () => {
  it('issues a prefixed 256-bit refresh token and a 15-minute access token by default', async () => {
    const { engine, clock } = setup()
    const issued = await engine.signIn({ subject: 'ada', user: { email: 'ada@example.com' } })
    expect(issued.refreshToken).toMatch(/^brt_[A-Za-z0-9_-]{43}$/)
    expect(issued.accessTokenExpiresAt).toBe(clock.now() + 900_000)
    expect(issued.refreshTokenExpiresAt).toBe(clock.now() + 7 * 86_400_000)
    expect(issued.session.absoluteExpiresAt).toBe(clock.now() + 30 * 86_400_000)
    const verified = await engine.verifyAccessToken(issued.accessToken)
    expect(verified).toMatchObject({ subject: 'ada', sessionId: issued.session.id, user: { email: 'ada@example.com' } })
    expect(verified.claims).toMatchObject({ iss: 'https://app.test', aud: 'https://app.test' })
  })

  it('takes async claims, computed afresh at sign-in and at every refresh', async () => {
    const roles = new Map([['ada', 'reader']])
    const { engine } = setup({
      claims: async (session) => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return { role: roles.get(session.subject) }
      },
    })
    const issued = await engine.signIn({ subject: 'ada' })
    expect((await engine.verifyAccessToken(issued.accessToken)).claims).toMatchObject({ role: 'reader' })
    roles.set('ada', 'admin')
    const refreshed = await engine.refresh({ refreshToken: issued.refreshToken })
    expect((await engine.verifyAccessToken(refreshed.accessToken)).claims).toMatchObject({ role: 'admin' })
  })

  it('retries after a lost response get the same successor, and the chain continues from it', async () => {
    const { engine, clock } = setup()
    const start = await engine.signIn({ subject: 'bo' })
    const lost = await engine.refresh({ refreshToken: start.refreshToken })
    clock.advance(9_999)
    const retry = await engine.refresh({ refreshToken: start.refreshToken })
    expect(retry.refreshToken).toBe(lost.refreshToken)
    expect(retry.accessToken).not.toBe(lost.accessToken)
    const next = await engine.refresh({ refreshToken: retry.refreshToken })
    expect(next.graced).toBe(false)
  })

  it('grace follows the chain to the live token, at most MAX_GRACE_HOPS links', async () => {
    const { engine } = setup()
    const start = await engine.signIn({ subject: 'cy' })
    const tokens = await chain(engine, start.refreshToken, 3)
    const live = tokens.at(-1)
    expect((await engine.refresh({ refreshToken: tokens[0] })).refreshToken).toBe(live)
    expect((await engine.refresh({ refreshToken: tokens[1] })).refreshToken).toBe(live)
    const longer = await chain(engine, live as string, 1)
    await expect(engine.refresh({ refreshToken: tokens[0] })).rejects.toMatchObject({
      code: 'ERR_REFRESH_TOKEN_REUSED',
    })
    await expect(engine.refresh({ refreshToken: longer.at(-1) })).rejects.toMatchObject({ code: 'ERR_SESSION_REVOKED' })
  })

  it('grace 0 turns any second use into reuse', async () => {
    const { engine } = setup({ reuseGrace: 0 })
    const start = await engine.signIn({ subject: 'di' })
    await engine.refresh({ refreshToken: start.refreshToken })
    await expect(engine.refresh({ refreshToken: start.refreshToken })).rejects.toMatchObject({
      code: 'ERR_REFRESH_TOKEN_REUSED',
    })
  })

  it('reports every lifecycle event without tokens', async () => {
    const { engine, clock, events } = setup()
    const a = await engine.signIn({ subject: 'ev', meta: { ip: '192.0.2.1', userAgent: 'UA' } })
    const b = await engine.refresh({ refreshToken: a.refreshToken })
    await engine.refresh({ refreshToken: a.refreshToken })
    clock.advance(11_000)
    await engine.refresh({ refreshToken: a.refreshToken }).catch(() => undefined)
    const c = await engine.signIn({ subject: 'ev' })
    await engine.signOut({ refreshToken: c.refreshToken })
    const d = await engine.signIn({ subject: 'ev' })
    await engine.revokeSession({ sessionId: d.session.id })
    expect(events.map((e) => [e.type, e.graced ?? null])).toEqual([
      ['signed_in', null],
      ['refreshed', false],
      ['refreshed', true],
      ['refresh_token_reused', null],
      ['signed_in', null],
      ['signed_out', null],
      ['signed_in', null],
      ['session_revoked', null],
    ])
    const text = JSON.stringify(events)
    for (const secret of [a.refreshToken, b.refreshToken, a.accessToken]) expect(text).not.toContain(secret)
  })

  it('keeps working when onEvent throws or rejects', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { engine } = setup({ onEvent: () => Promise.reject(new Error('sink down')) })
    const { engine: engine2 } = setup({
      onEvent: () => {
        throw new Error('sync sink down')
      },
    })
    await expect(engine.signIn({ subject: 'x' })).resolves.toBeTruthy()
    await expect(engine2.signIn({ subject: 'x' })).resolves.toBeTruthy()
    await new Promise((r) => setTimeout(r, 0))
    expect(error).toHaveBeenCalledTimes(2)
    error.mockRestore()
  })

  it('updates metadata on use and refuses a refresh the app check rejects', async () => {
    const { engine } = setup({
      checkRefresh: ({ session, meta }) => !meta.userAgent || meta.userAgent === session.userAgent,
    })
    const a = await engine.signIn({ subject: 'md', meta: { userAgent: 'Browser/1', ip: '192.0.2.1', deviceId: 'dev' } })
    const b = await engine.refresh({ refreshToken: a.refreshToken, meta: { userAgent: 'Browser/1', ip: '192.0.2.99' } })
    expect(b.session).toMatchObject({ ip: '192.0.2.99', userAgent: 'Browser/1', deviceId: 'dev' })
    await expect(engine.refresh({ refreshToken: b.refreshToken, meta: { userAgent: 'curl/8' } })).rejects.toMatchObject(
      {
        code: 'ERR_REFRESH_DENIED',
        status: 401,
      },
    )
    expect((await engine.refresh({ refreshToken: b.refreshToken })).session.id).toBe(a.session.id)
  })

  it('caps access-token expiry at the absolute session lifetime', async () => {
    const { engine, clock } = setup({ sessionTtl: 600, refreshTokenTtl: 300, accessTokenTtl: 900 })
    const a = await engine.signIn({ subject: 'cap' })
    expect(a.accessTokenExpiresAt).toBe(clock.now() + 600_000)
  })

  it('rejects malformed and unknown refresh tokens without touching the store', async () => {
    const { engine, store } = setup()
    const spy = vi.spyOn(store, 'findRefreshToken')
    for (const bad of [
      undefined,
      null,
      42,
      {},
      '',
      'brt_',
      'brt_short',
      `xrt_${'a'.repeat(43)}`,
      `brt_${'a'.repeat(42)}!`,
      `brt_${'a'.repeat(44)}`,
    ]) {
      await expect(engine.refresh({ refreshToken: bad })).rejects.toMatchObject({ code: 'ERR_REFRESH_TOKEN_INVALID' })
    }
    expect(spy).not.toHaveBeenCalled()
    await expect(engine.refresh({ refreshToken: `brt_${'a'.repeat(43)}` })).rejects.toMatchObject({
      code: 'ERR_REFRESH_TOKEN_INVALID',
    })
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('treats corrupt store rows as unknown tokens', async () => {
    const { engine, store } = setup()
    const a = await engine.signIn({ subject: 'corrupt' })
    const rows: unknown[] = [
      null,
      { token: null, session: null },
      { token: { hash: 'other' }, session: {} },
      { token: { hash: 'h', sessionId: 's' }, session: { id: 's', subject: 'x', absoluteExpiresAt: 'soon' } },
    ]
    for (const row of rows) {
      vi.spyOn(store, 'findRefreshToken').mockResolvedValueOnce(row as never)
      await expect(engine.refresh({ refreshToken: a.refreshToken })).rejects.toMatchObject({
        code: 'ERR_REFRESH_TOKEN_INVALID',
      })
    }
  })

  it('maps a failing store to ERR_STORE_UNAVAILABLE (503) and changes nothing', async () => {
    const { engine, store } = setup()
    const a = await engine.signIn({ subject: 'down' })
    vi.spyOn(store, 'rotateRefreshToken').mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'))
    await expect(engine.refresh({ refreshToken: a.refreshToken })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      status: 503,
    })
    const b = await engine.refresh({ refreshToken: a.refreshToken })
    expect(b.graced).toBe(false)
  })

  it('maps a store method that throws synchronously, and passes Baton errors and plain values through', async () => {
    const { engine, store } = setup()
    const a = await engine.signIn({ subject: 'sync' })
    vi.spyOn(store, 'findRefreshToken').mockImplementationOnce(() => {
      throw new Error('driver threw before returning a promise')
    })
    const thrown = engine.refresh({ refreshToken: a.refreshToken })
    await expect(thrown).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', status: 503 })
    vi.spyOn(store, 'findRefreshToken').mockImplementationOnce(() => {
      throw new SessionRevokedError()
    })
    await expect(engine.refresh({ refreshToken: a.refreshToken })).rejects.toBeInstanceOf(SessionRevokedError)
    // A store answering with a plain value instead of a promise still works.
    const real = store.findRefreshToken.bind(store)
    const found = await real(await refreshTokens().hash(a.refreshToken))
    vi.spyOn(store, 'findRefreshToken').mockImplementationOnce((() => found) as never)
    const b = await engine.refresh({ refreshToken: a.refreshToken })
    expect(b.graced).toBe(false)
    expect(b.refreshToken).not.toBe(a.refreshToken)
  })

  it('keeps grace working across a secret rotation', async () => {
    const clock = manualClock()
    const store = new MemorySessionStore()
    const before = createSessionEngine({ store, secret: OLD_SECRET, issuer: 'https://app.test', clock })
    const after = createSessionEngine({ store, secret: [SECRET, OLD_SECRET], issuer: 'https://app.test', clock })
    const a = await before.signIn({ subject: 'rot' })
    const b = await before.refresh({ refreshToken: a.refreshToken })
    await expect(after.verifyAccessToken(b.accessToken)).resolves.toMatchObject({ subject: 'rot' })
    expect((await after.refresh({ refreshToken: a.refreshToken })).refreshToken).toBe(b.refreshToken)
    const c = await after.refresh({ refreshToken: b.refreshToken })
    const onlyNew = createSessionEngine({ store, secret: SECRET, issuer: 'https://app.test', clock })
    await expect(onlyNew.verifyAccessToken(b.accessToken)).rejects.toMatchObject({ code: 'ERR_ACCESS_TOKEN_INVALID' })
    expect((await onlyNew.refresh({ refreshToken: b.refreshToken })).refreshToken).toBe(c.refreshToken)
  })

  it('strict verification sees a revocation from another instance within the cache TTL', async () => {
    const clock = manualClock()
    const store: SessionStore = new MemorySessionStore()
    const options = { store, secret: SECRET, issuer: 'https://app.test', clock, revocationCacheTtl: 5 }
    const one = createSessionEngine(options)
    const two = createSessionEngine(options)
    const a = await one.signIn({ subject: 'strict' })
    await expect(one.verifyAccessToken(a.accessToken, { strict: true })).resolves.toBeTruthy()
    await two.revokeSession({ sessionId: a.session.id })
    await expect(two.verifyAccessToken(a.accessToken, { strict: true })).rejects.toMatchObject({
      code: 'ERR_SESSION_REVOKED',
    })
    await expect(one.verifyAccessToken(a.accessToken, { strict: true })).resolves.toBeTruthy()
    clock.advance(5_000)
    await expect(one.verifyAccessToken(a.accessToken, { strict: true })).rejects.toMatchObject({
      code: 'ERR_SESSION_REVOKED',
    })
    await expect(one.verifyAccessToken(a.accessToken)).resolves.toBeTruthy()
  })

  it('a reuse revocation is seen by strict checks of the same engine at once (cache evicted)', async () => {
    const { engine, clock } = setup({ revocationCacheTtl: 60 })
    const a = await engine.signIn({ subject: 'reuse-cache' })
    const b = await engine.refresh({ refreshToken: a.refreshToken })
    await expect(engine.verifyAccessToken(b.accessToken, { strict: true })).resolves.toBeTruthy()
    clock.advance(11_000)
    await expect(engine.refresh({ refreshToken: a.refreshToken })).rejects.toMatchObject({
      code: 'ERR_REFRESH_TOKEN_REUSED',
    })
    await expect(engine.verifyAccessToken(b.accessToken, { strict: true })).rejects.toMatchObject({
      code: 'ERR_SESSION_REVOKED',
    })
  })

  it('access tokens expire with a clock tolerance', async () => {
    const { engine, clock } = setup({ accessTokenTtl: 60, clockTolerance: 5 })
    const a = await engine.signIn({ subject: 'exp' })
    clock.advance(64_000)
    await expect(engine.verifyAccessToken(a.accessToken)).resolves.toBeTruthy()
    clock.advance(2_000)
    await expect(engine.verifyAccessToken(a.accessToken)).rejects.toMatchObject({ code: 'ERR_ACCESS_TOKEN_EXPIRED' })
  })

  it('signOut is idempotent and accepts a session id', async () => {
    const { engine } = setup()
    const a = await engine.signIn({ subject: 'so' })
    expect(await engine.signOut({ refreshToken: 'garbage' })).toBeNull()
    expect((await engine.signOut({ sessionId: a.session.id }))?.id).toBe(a.session.id)
    expect((await engine.signOut({ refreshToken: a.refreshToken }))?.id).toBe(a.session.id)
    await expect(engine.refresh({ refreshToken: a.refreshToken })).rejects.toMatchObject({
      code: 'ERR_SESSION_REVOKED',
    })
  })

  it('rejects invalid configuration at creation with ERR_CONFIG', () => {
    const store = new MemorySessionStore()
    const base = { store, secret: SECRET, issuer: 'https://app.test' }
    const bad: Partial<SessionEngineOptions>[] = [
      { secret: 'short' },
      { secret: [] },
      { issuer: '' },
      { accessTokenTtl: 0 },
      { accessTokenTtl: Number.NaN },
      { refreshTokenTtl: 100, sessionTtl: 50 },
      { reuseGrace: -1 },
      { reuseGrace: 100, refreshTokenTtl: 100 },
      { refreshTokenPrefix: 'has space_' },
      { refreshTokenPrefix: 'noUnderscore' },
      { store: undefined as never },
      { keys: { sign: { kid: 'k1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } } },
      { keys: { sign: { kid: 'k 1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: 'A', d: 'B' } } },
      { keys: { sign: { kid: 'k1', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: 'A', d: 'B', use: 'enc' } } },
    ]
    for (const options of bad) {
      expect(
        () => createSessionEngine({ ...base, ...options } as SessionEngineOptions),
        JSON.stringify(options),
      ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }))
    }
  })

  it('derives independent purpose keys from the secret', async () => {
    const { engine } = setup()
    const a = await engine.deriveKey('upstream/encryption')
    const b = await engine.deriveKey('something/else')
    expect(a).toHaveLength(32)
    expect(a).not.toEqual(b)
    expect(await engine.deriveKey('upstream/encryption')).toEqual(a)
  })
})
