/**
 * Rows the engine may meet that Baton did not write the way it writes them:
 * hand edits, foreign tools, half-restored backups, a different schema
 * version. Whatever is in the table, `engine.refresh` answers a clean
 * BatonError (ERR_REFRESH_TOKEN_INVALID, or reuse where the row says the
 * token was used) — never a crash, a TypeError or ERR_STORE_UNAVAILABLE.
 * Malformed token strings are refused before the store is asked anything.
 */
import { createSessionEngine, isBatonError, type SessionEngine, type SessionStore } from '@baton/core'
import { refreshTokens, sha256 } from '@baton/core/internal'
import { manualClock } from '@baton/core/testing'
import { expect, it } from 'vitest'
import { describeBackends, num, type TestBackend } from './backends.fixture.js'

const SECRET = 'corrupt-rows-secret-0123456789abcdef'
const tokens = refreshTokens()

function setup(b: TestBackend, options: { reuseGrace?: number; store?: SessionStore } = {}) {
  const clock = manualClock()
  const engine = createSessionEngine({
    store: options.store ?? b.store,
    secret: SECRET,
    issuer: 'https://corrupt.test',
    clock,
    reuseGrace: options.reuseGrace ?? 10,
  })
  return { clock, engine }
}

/** The BatonError code `engine.refresh` answers, or a description of anything else it did. */
async function refreshOutcome(engine: SessionEngine, refreshToken: unknown): Promise<string> {
  try {
    await engine.refresh({ refreshToken })
    return 'ok'
  } catch (error) {
    return isBatonError(error) ? error.code : `not a BatonError: ${String(error)}`
  }
}

async function revokeReason(b: TestBackend, sessionId: string): Promise<unknown> {
  const [row] = await b.rows<{ revoke_reason: unknown }>('SELECT revoke_reason FROM baton_sessions WHERE id = ?', [
    sessionId,
  ])
  return row?.revoke_reason
}

/** Signs in through the engine; returns the token, its hash and the session id. */
async function signedIn(engine: SessionEngine, subject: string) {
  const issued = await engine.signIn({ subject, user: { name: subject } })
  return { issued, token: issued.refreshToken, hash: await sha256(issued.refreshToken), sessionId: issued.session.id }
}

describeBackends(
  'corrupt or foreign rows',
  (backend, name) => {
    it('a well-formed token whose hash is unknown is invalid', async () => {
      const { engine } = setup(backend())
      expect(await refreshOutcome(engine, tokens.generate())).toBe('ERR_REFRESH_TOKEN_INVALID')
      expect(await engine.signOut({ refreshToken: tokens.generate() })).toBeNull()
    })

    it('a token row whose session does not exist is invalid', async () => {
      const b = backend()
      const { clock, engine } = setup(b)
      const orphan = tokens.generate()
      const insert = () =>
        b.run('INSERT INTO baton_refresh_tokens (hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
          orphanHash,
          'no-such-session',
          clock.now(),
          clock.now() + 86_400_000,
        ])
      const orphanHash = await sha256(orphan)
      // The foreign key stops such rows; a restore or a foreign tool may not have had it.
      await expect(insert()).rejects.toThrow()
      if (b.dialect === 'sqlite') {
        await b.exec('PRAGMA foreign_keys = OFF')
        await insert()
        await b.exec('PRAGMA foreign_keys = ON')
      } else {
        await b.exec(
          'ALTER TABLE baton_refresh_tokens DROP CONSTRAINT baton_refresh_tokens_session_id_baton_sessions_id_fk',
        )
        await insert()
      }
      try {
        expect(await refreshOutcome(engine, orphan)).toBe('ERR_REFRESH_TOKEN_INVALID')
        expect(await engine.signOut({ refreshToken: orphan })).toBeNull()
        // Same when the orphan is presented as a used token within grace.
        await b.run('UPDATE baton_refresh_tokens SET used_at = ?, successor_hash = ? WHERE hash = ?', [
          clock.now(),
          'x',
          orphanHash,
        ])
        expect(await refreshOutcome(engine, orphan)).toBe('ERR_REFRESH_TOKEN_INVALID')
      } finally {
        await b.run('DELETE FROM baton_refresh_tokens WHERE hash = ?', [orphanHash])
        if (b.dialect === 'pg') {
          await b.exec(`ALTER TABLE baton_refresh_tokens ADD CONSTRAINT baton_refresh_tokens_session_id_baton_sessions_id_fk
            FOREIGN KEY (session_id) REFERENCES baton_sessions(id) ON DELETE cascade`)
        }
      }
    })

    // Postgres types refuse text in a bigint column; SQLite's type affinity keeps it as text.
    if (name === 'SQLite file') {
      it('text in an integer column makes the token invalid, and changes nothing', async () => {
        const b = backend()
        const { engine } = setup(b)
        const cases: [table: 'baton_refresh_tokens' | 'baton_sessions', column: string, value: unknown][] = [
          ['baton_refresh_tokens', 'expires_at', 'soon'],
          ['baton_refresh_tokens', 'used_at', 'x'],
          ['baton_refresh_tokens', 'used_at', ''],
          ['baton_refresh_tokens', 'expires_at', Buffer.from('blob')],
          ['baton_sessions', 'absolute_expires_at', 'never'],
          ['baton_sessions', 'revoked_at', 'no'],
        ]
        for (const [table, column, value] of cases) {
          const { token, hash, sessionId } = await signedIn(engine, `typed-${column}`)
          const where = table === 'baton_sessions' ? 'id = ?' : 'hash = ?'
          await b.run(`UPDATE ${table} SET ${column} = ? WHERE ${where}`, [
            value,
            table === 'baton_sessions' ? sessionId : hash,
          ])
          const [stored] = await b.rows<{ t: string }>(`SELECT typeof(${column}) AS t FROM ${table} WHERE ${where}`, [
            table === 'baton_sessions' ? sessionId : hash,
          ])
          expect(stored?.t, `${column} really holds a non-integer`).not.toBe('integer')
          expect(await refreshOutcome(engine, token), `${table}.${column} = ${String(value)}`).toBe(
            'ERR_REFRESH_TOKEN_INVALID',
          )
          const [children] = await b.rows<{ n: number }>(
            'SELECT count(*) AS n FROM baton_refresh_tokens WHERE parent_hash = ?',
            [hash],
          )
          expect(children?.n).toBe(0)
        }
      })
    }

    it('a session whose user snapshot is not a JSON object still refreshes, with user null', async () => {
      const b = backend()
      const { engine } = setup(b)
      // SQLite keeps the snapshot as text (so it can be broken JSON); Postgres as jsonb (valid JSON, wrong shape).
      const values =
        b.dialect === 'sqlite'
          ? ['{not json', '[1,2]', '"a string"', '42', 'null', '']
          : ['[1,2]', '"a string"', '42', 'null']
      for (const value of values) {
        const { token, sessionId } = await signedIn(engine, 'json-user')
        await b.run(
          b.dialect === 'sqlite'
            ? 'UPDATE baton_sessions SET "user" = ? WHERE id = ?'
            : 'UPDATE baton_sessions SET "user" = ?::jsonb WHERE id = ?',
          [value, sessionId],
        )
        const next = await engine.refresh({ refreshToken: token })
        expect(next.session.user, value).toBeNull()
        const verified = await engine.verifyAccessToken(next.accessToken, { strict: true })
        expect(verified.user).toBeNull()
        expect(verified.claims).not.toHaveProperty('user')
        expect((await b.store.getSession(sessionId))?.user).toBeNull()
        expect(await engine.listSessions({ subject: 'json-user' })).toContainEqual(
          expect.objectContaining({ id: sessionId, user: null }),
        )
      }
    })

    it('a used token (within grace) whose successor_hash is garbage is treated as reuse: the family is revoked', async () => {
      const b = backend()
      const { clock, engine } = setup(b)
      for (const garbage of ['garbage', '', "'; DROP TABLE baton_sessions; --", 'é\u0000']) {
        const { token, hash, sessionId } = await signedIn(engine, 'garbage-successor')
        await b.run('UPDATE baton_refresh_tokens SET used_at = ?, successor_hash = ? WHERE hash = ?', [
          clock.now(),
          garbage.replace('\u0000', ''), // Postgres text cannot hold NUL
          hash,
        ])
        clock.advance(1_000)
        expect(await refreshOutcome(engine, token), JSON.stringify(garbage)).toBe('ERR_REFRESH_TOKEN_REUSED')
        expect(await revokeReason(b, sessionId)).toBe('refresh_token_reused')
      }
      // The SQL-ish value was data, nothing more.
      expect(await b.rows('SELECT count(*) AS n FROM baton_sessions')).toHaveLength(1)
    })

    it('a used token (within grace) whose recorded successor row is gone or foreign is invalid, not a crash', async () => {
      const b = backend()
      const { clock, engine } = setup(b)
      // The successor row was deleted (e.g. a partial restore).
      const gone = await signedIn(engine, 'successor-gone')
      await engine.refresh({ refreshToken: gone.token })
      await b.run('DELETE FROM baton_refresh_tokens WHERE parent_hash = ?', [gone.hash])
      clock.advance(1_000)
      expect(await refreshOutcome(engine, gone.token)).toBe('ERR_REFRESH_TOKEN_INVALID')
      expect(await revokeReason(b, gone.sessionId)).toBeNull()

      // The successor row was moved to another family.
      const moved = await signedIn(engine, 'successor-moved')
      const other = await signedIn(engine, 'other-family')
      await engine.refresh({ refreshToken: moved.token })
      await b.run('UPDATE baton_refresh_tokens SET session_id = ? WHERE parent_hash = ?', [other.sessionId, moved.hash])
      clock.advance(1_000)
      expect(await refreshOutcome(engine, moved.token)).toBe('ERR_REFRESH_TOKEN_INVALID')
      expect(await revokeReason(b, other.sessionId)).toBeNull()
    })

    it('a session whose subject was blanked by hand is invalid', async () => {
      const b = backend()
      const { engine } = setup(b)
      // The session's subject was blanked by hand: the engine refuses to act for nobody.
      const blank = await signedIn(engine, 'blank-subject')
      await b.run(`UPDATE baton_sessions SET subject = '' WHERE id = ?`, [blank.sessionId])
      expect(await refreshOutcome(engine, blank.token)).toBe('ERR_REFRESH_TOKEN_INVALID')
    })

    it('SQL-ish, NUL, unicode and non-string tokens are refused as malformed before the store is asked', async () => {
      const b = backend()
      const calls: string[] = []
      const spy = new Proxy(b.store, {
        get(target, name) {
          const value = Reflect.get(target, name, target)
          if (typeof value !== 'function') return value
          return (...args: unknown[]) => {
            calls.push(String(name))
            return value.apply(target, args)
          }
        },
      })
      const { engine } = setup(b, { store: spy })
      const valid = tokens.generate()
      const body = valid.slice(4)
      const presented: unknown[] = [
        `brt_' OR '1'='1' --`,
        `brt_${"'; DROP TABLE baton_sessions; --".padEnd(43, 'A')}`,
        `brt_${'A'.repeat(42)}'`,
        `brt_${'\u0000'.repeat(43)}`,
        `brt_${body.slice(0, 20)}\u0000${body.slice(21)}`,
        `${valid}\u0000`,
        `brt_${'é'.repeat(43)}`,
        `brt_${'😀'.repeat(21)}A`,
        `brt_${body.slice(0, 42)}\u212A`, // KELVIN SIGN, which NFKC-folds to K
        `brt_${'Ａ'.repeat(43)}`, // full-width
        `${valid} `,
        ` ${valid}`,
        `${valid}\n`,
        `BRT_${body}`,
        body,
        `brt_${body}${body}`,
        `brt_${'A'.repeat(1_000_000)}`,
        '',
        'brt_',
        undefined,
        null,
        42,
        { toString: () => valid },
        [valid],
        Buffer.from(valid),
      ]
      for (const value of presented) {
        const error = await engine.refresh({ refreshToken: value }).then(
          () => null,
          (e: unknown) => e,
        )
        const label = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : String(value)
        expect(isBatonError(error, 'ERR_REFRESH_TOKEN_INVALID'), label).toBe(true)
        expect((error as Error).message, label).toBe('The refresh token is malformed.')
      }
      expect(calls).toEqual([])
      // The valid token of the same shape does reach the store (the spy works): unknown hash.
      expect(await refreshOutcome(engine, valid)).toBe('ERR_REFRESH_TOKEN_INVALID')
      expect(calls).toEqual(['findRefreshToken'])
      // And the tables are all still there.
      expect(num((await b.rows<{ n: unknown }>('SELECT count(*) AS n FROM baton_sessions'))[0]?.n)).toBeGreaterThan(0)
    })
  },
  { only: ['SQLite file', 'PGlite'] },
)
