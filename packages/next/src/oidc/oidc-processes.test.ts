import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import {
  type BackendKind,
  backendKinds,
  type OidcEvent,
  type OidcProviderFixture,
  openBackend,
  startOidcProvider,
} from '@baton/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBaton } from '../create-baton.js'
import type { BatonOptions } from '../options.js'
import { SECRET } from '../test-app.fixture.js'
import {
  CALLBACK,
  oidcOptions,
  type RefreshWorker,
  signInWithOidc,
  startRefreshWorker,
  userinfo,
  type WorkerReport,
} from './oidc-processes.fixture.js'

// The provider's access tokens live TTL seconds; Baton refreshes a third of that before expiry,
// so a refreshed token stays fresh ~2.7 s: long enough to check it before it goes stale again.
const TTL = 4
const CALLS = 20
let op: OidcProviderFixture

beforeAll(async () => {
  op = await startOidcProvider({ redirectUris: [CALLBACK], accessTokenTtl: TTL })
})
afterAll(() => op?.close())

const baton = (store: BatonOptions['store']) =>
  createBaton({ store, secret: SECRET, cookies: { secure: false }, oidc: oidcOptions(op.issuer) })
/** A moment when every access token issued so far has expired at the provider. */
const afterExpiry = () => Date.now() + TTL * 1000 + 150
const double = (e: OidcEvent) => e.type === 'refresh_token.reused' || e.type === 'grant.revoked'

/** Starts two workers (in parallel: tsx start-up dominates) and waits until both warmed up. */
async function twoWorkers(dbs: [string, string], backend: string): Promise<RefreshWorker[]> {
  const workers = dbs.map((db) => startRefreshWorker({ backend, db, issuer: op.issuer }))
  try {
    await Promise.all(workers.map((w) => w.next('ready', 60_000)))
  } catch (error) {
    await Promise.all(workers.map((w) => w.close()))
    throw error
  }
  return workers
}

/** One expiry: both workers call getAccessToken CALLS times each at one start time, not before `notBefore`. */
async function round(workers: RefreshWorker[], sessionId: string, notBefore: number, refreshDelayMs = 0) {
  const grantsBefore = op.counts.refreshToken
  const from = op.events.length
  const startAt = Math.max(Date.now() + 250, notBefore)
  for (const w of workers) w.send({ type: 'go', sessionId, count: CALLS, startAt, refreshDelayMs })
  const reports = (await Promise.all(workers.map((w) => w.next('done')))) as Extract<WorkerReport, { type: 'done' }>[]
  return { reports, grantsBefore, grants: op.counts.refreshToken - grantsBefore, events: op.events.slice(from) }
}

const { run, skipped } = backendKinds({ suite: 'oidc processes', kinds: ['sqlite', 'postgres'] })
const title: Record<BackendKind, string> = {
  sqlite: 'SQLite file',
  postgres: 'Postgres server',
  memory: '',
  pglite: '',
}

describe('OpenID Connect refresh: two OS processes on one store → one refresh_token grant per expiry', () => {
  for (const kind of run) {
    it(`${title[kind]}: 2 processes × ${CALLS} calls, two expiries, against oidc-provider`, async () => {
      const backend = await openBackend({ kind })
      let workers: RefreshWorker[] = []
      try {
        const app = baton(backend.store)
        const sessionId = await signInWithOidc(app, 'alice')
        let notBefore = afterExpiry()
        let previous = await app.upstream.getAccessToken({ sessionId })
        const started = Date.now()
        workers = await twoWorkers([backend.url as string, backend.url as string], kind)
        const startupMs = Date.now() - started
        // Expiry 1 as fast as the provider answers; expiry 2 with a slow provider (300 ms), so that the
        // other process surely finds the lease held and has to wait for the new tokens.
        for (const [expiry, delay] of [
          [1, 0],
          [2, 300],
        ] as const) {
          const r = await round(workers, sessionId, notBefore, delay)
          notBefore = afterExpiry()
          // The test process, a third instance on the store, reads the same new token (no grant of its own).
          const third = await app.upstream.getAccessToken({ sessionId })
          console.info(
            `[oidc processes] ${title[kind]} expiry ${expiry}: provider grants ${r.grants}, per process ` +
              `${r.reports.map((x) => `${x.pid}: ${x.grants} grant(s) ${x.ms} ms (late ${x.lateMs} ms) store ${JSON.stringify(x.store)}`).join(', ')}; ` +
              `worker start-up ${startupMs} ms`,
          )
          expect(r.reports.flatMap((x) => x.errors)).toEqual([])
          expect(r.grants).toBe(1)
          expect(r.reports.map((x) => x.grants).sort()).toEqual([0, 1])
          const waiter = r.reports.find((x) => x.grants === 0) as (typeof r.reports)[number]
          // It never wrote tokens: at most a lease claim that lost the compare-and-set.
          expect(waiter.store.writes).toBe(waiter.store.lost)
          // With the slow provider it polled the session (beyond one read per call) while the lease was held.
          if (delay > 0) expect(waiter.store.reads - CALLS).toBeGreaterThanOrEqual(3)
          expect(r.events.filter(double)).toEqual([])
          expect(r.events.filter((e) => e.type === 'refresh_token.consumed')).toHaveLength(1)
          const tokens = r.reports.flatMap((x) => x.tokens)
          expect(tokens).toHaveLength(2 * CALLS)
          expect(new Set(tokens).size).toBe(1)
          const [token] = tokens as [string]
          expect(token).not.toBe(previous)
          expect(third).toBe(token)
          expect(await userinfo(op.issuer, token)).toEqual({ status: 200, sub: 'alice' })
          // Nor did the third instance's read or the userinfo call cause another grant.
          expect(op.counts.refreshToken - r.grantsBefore).toBe(1)
          previous = token
        }
        // The second expiry spent the refresh token the first one rotated in: the grant is intact.
        expect(op.events.filter(double)).toEqual([])
      } finally {
        await Promise.all(workers.map((w) => w.close()))
        await backend.close()
      }
    }, 120_000)
  }
  for (const { kind, reason } of skipped) {
    it.skip(`${title[kind]}: SKIPPED (${reason}; set DATABASE_URL to run it)`, () => {})
  }
})

describe('negative control: without a shared lease the provider sees the double spend', () => {
  it('two processes on two copies of the session (two SQLite files) → two grants of one refresh token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-oidc-control-'))
    const [fileA, fileB] = [join(dir, 'a.db'), join(dir, 'b.db')]
    const db = openSqliteDatabase(fileA)
    let workers: RefreshWorker[] = []
    try {
      migrate(db)
      const sessionId = await signInWithOidc(baton(new SqliteSessionStore(db)), 'carol')
      const notBefore = afterExpiry()
      await db.$client.backup(fileB) // the same sealed tokens, but a lease neither process sees of the other
      workers = await twoWorkers([fileA, fileB], 'sqlite')
      const r = await round(workers, sessionId, notBefore)
      console.info(
        `[oidc processes] control: provider grants ${r.grants}, events ${r.events.map((e) => e.type).join(', ')}; ` +
          `errors ${JSON.stringify(r.reports.flatMap((x) => x.errors).slice(0, 2))}`,
      )
      // Each process spent the same refresh token once: what the lease exists to prevent.
      expect(r.grants).toBe(2)
      expect(r.reports.map((x) => x.grants)).toEqual([1, 1])
      const tokens = new Set(r.reports.flatMap((x) => x.tokens))
      if (r.events.some((e) => e.type === 'refresh_token.reused')) {
        // The second spend revoked the grant: that process's session ended (invalid_grant), and the
        // token the first process just got is dead too — the user is signed out everywhere.
        expect(r.events.some((e) => e.type === 'grant.revoked')).toBe(true)
        const [failed, ...more] = r.reports.filter((x) => x.errors.length > 0)
        expect(more).toEqual([])
        expect(failed?.errors).toHaveLength(CALLS)
        expect(failed?.errors[0]).toMatch(/ended the session/)
        expect(tokens.size).toBe(1)
        expect((await userinfo(op.issuer, [...tokens][0] as string)).status).toBe(401)
      } else {
        // Both requests passed oidc-provider's reuse check at once: two live token sets from one refresh token.
        expect(tokens.size).toBe(2)
      }
    } finally {
      await Promise.all(workers.map((w) => w.close()))
      db.$client.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
