/**
 * A rotation is all or nothing. The database itself is made to fail between
 * "mark the token used" and "insert its successor" (and, separately, at the
 * session update after both): the engine must answer ERR_STORE_UNAVAILABLE
 * and the rows must be exactly as before, so that the same token still
 * refreshes once the fault is gone — as a first use, not as reuse.
 */
import { createSessionEngine, isBatonError } from '@baton/core'
import { sha256 } from '@baton/core/internal'
import { manualClock } from '@baton/core/testing'
import { expect, it } from 'vitest'
import { describeBackends, num, type TestBackend } from './backends.fixture.js'

const SECRET = 'fault-injection-secret-0123456789abcdef'

/** Every message down the `cause` chain (drizzle wraps the driver's error in its own). */
function causes(error: unknown): string {
  const messages: string[] = []
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message)
  return messages.join(' <- ')
}

interface Fault {
  what: string
  install(backend: TestBackend): Promise<void>
  remove(backend: TestBackend): Promise<void>
}

const successorInsertFails: Fault = {
  what: 'the successor INSERT fails (after the token was marked used)',
  async install(b) {
    await b.exec(
      b.dialect === 'sqlite'
        ? `CREATE TRIGGER baton_inject BEFORE INSERT ON baton_refresh_tokens WHEN NEW.parent_hash IS NOT NULL
           BEGIN SELECT RAISE(ABORT, 'injected'); END`
        : `CREATE FUNCTION baton_inject() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
           CREATE TRIGGER baton_inject BEFORE INSERT ON baton_refresh_tokens FOR EACH ROW
           WHEN (NEW.parent_hash IS NOT NULL) EXECUTE FUNCTION baton_inject();`,
    )
  },
  async remove(b) {
    await b.exec(
      b.dialect === 'sqlite'
        ? 'DROP TRIGGER baton_inject'
        : 'DROP TRIGGER baton_inject ON baton_refresh_tokens; DROP FUNCTION baton_inject();',
    )
  },
}

const sessionUpdateFails: Fault = {
  what: 'the session UPDATE fails (after the token was marked used and the successor inserted)',
  async install(b) {
    await b.exec(
      b.dialect === 'sqlite'
        ? `CREATE TRIGGER baton_inject BEFORE UPDATE OF last_used_at ON baton_sessions
           BEGIN SELECT RAISE(ABORT, 'injected'); END`
        : `CREATE FUNCTION baton_inject() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
           CREATE TRIGGER baton_inject BEFORE UPDATE ON baton_sessions FOR EACH ROW
           WHEN (NEW.last_used_at IS DISTINCT FROM OLD.last_used_at) EXECUTE FUNCTION baton_inject();`,
    )
  },
  async remove(b) {
    await b.exec(
      b.dialect === 'sqlite'
        ? 'DROP TRIGGER baton_inject'
        : 'DROP TRIGGER baton_inject ON baton_sessions; DROP FUNCTION baton_inject();',
    )
  },
}

describeBackends('fault injection in the rotation', (backend) => {
  for (const fault of [successorInsertFails, sessionUpdateFails]) {
    it(`rolls everything back when ${fault.what}`, async () => {
      const b = backend()
      const clock = manualClock()
      const engine = createSessionEngine({ store: b.store, secret: SECRET, issuer: 'https://fault.test', clock })
      const first = await engine.signIn({ subject: 'fault', meta: { ip: '192.0.2.1', userAgent: 'Before/1.0' } })
      const hash = await sha256(first.refreshToken)
      const snapshot = async () => {
        const [token] = await b.rows<Record<string, unknown>>(
          'SELECT used_at, successor_hash FROM baton_refresh_tokens WHERE hash = ?',
          [hash],
        )
        const [session] = await b.rows<Record<string, unknown>>(
          'SELECT last_used_at, expires_at, ip, user_agent, revoked_at FROM baton_sessions WHERE id = ?',
          [first.session.id],
        )
        const [children] = await b.rows<{ n: unknown }>(
          'SELECT count(*) AS n FROM baton_refresh_tokens WHERE parent_hash = ?',
          [hash],
        )
        return {
          token: { usedAt: num(token?.used_at), successorHash: token?.successor_hash },
          session: {
            lastUsedAt: num(session?.last_used_at),
            expiresAt: num(session?.expires_at),
            ip: session?.ip,
            userAgent: session?.user_agent,
            revokedAt: num(session?.revoked_at),
          },
          successors: num(children?.n),
        }
      }
      const before = await snapshot()
      expect(before).toEqual({
        token: { usedAt: null, successorHash: null },
        session: {
          lastUsedAt: first.session.createdAt,
          expiresAt: first.session.expiresAt,
          ip: '192.0.2.1',
          userAgent: 'Before/1.0',
          revokedAt: null,
        },
        successors: 0,
      })

      clock.advance(5_000)
      await fault.install(b)
      try {
        const error = await engine
          .refresh({ refreshToken: first.refreshToken, meta: { ip: '192.0.2.99', userAgent: 'After/2.0' } })
          .then(
            () => null,
            (e: unknown) => e,
          )
        expect(isBatonError(error, 'ERR_STORE_UNAVAILABLE'), String(error)).toBe(true)
        // It was our fault that fired, not something else.
        expect(causes(error)).toContain('injected')
        expect(await snapshot()).toEqual(before)
        // Retrying while the fault persists changes nothing either.
        await expect(engine.refresh({ refreshToken: first.refreshToken })).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
        })
        expect(await snapshot()).toEqual(before)
      } finally {
        await fault.remove(b)
      }

      const second = await engine.refresh({ refreshToken: first.refreshToken, meta: { ip: '192.0.2.99' } })
      expect(second.graced).toBe(false)
      expect(second.session.id).toBe(first.session.id)
      const after = await snapshot()
      expect(after.token).toEqual({
        usedAt: first.session.createdAt + 5_000,
        successorHash: await sha256(second.refreshToken),
      })
      expect(after.session).toMatchObject({
        lastUsedAt: first.session.createdAt + 5_000,
        ip: '192.0.2.99',
        revokedAt: null,
      })
      expect(after.successors).toBe(1)
      // And the chain goes on normally.
      const third = await engine.refresh({ refreshToken: second.refreshToken })
      expect(third.graced).toBe(false)
      expect((await engine.verifyAccessToken(third.accessToken, { strict: true })).sessionId).toBe(first.session.id)
    })
  }
})
