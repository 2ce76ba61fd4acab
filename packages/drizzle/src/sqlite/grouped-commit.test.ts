import { statSync } from 'node:fs'
import type { RotateRefreshTokenInput } from '@baton/core'
import { sessionRecord, tokenRecord } from '@baton/core/testing'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { groupedCommit } from './grouped-commit.js'
import { SqliteSessionStore } from './sqlite-store.js'
import { tempSqlite } from './temp-database.fixture.js'

let temp: ReturnType<typeof tempSqlite>
let store: SqliteSessionStore

beforeEach(() => {
  // Inline: no worker checkpoints (and restarts) the WAL while a test counts its frames.
  temp = tempSqlite({ checkpoint: 'inline' })
  store = new SqliteSessionStore(temp.db)
})
afterEach(() => temp.dispose())

/** Signs in `count` sessions, one live token each; returns the rotation of each token to a new one. */
async function sessions(count: number): Promise<RotateRefreshTokenInput[]> {
  const inputs: RotateRefreshTokenInput[] = []
  for (let i = 0; i < count; i++) {
    const session = sessionRecord()
    const token = tokenRecord(session)
    await store.createSession(session, token)
    const usedAt = session.createdAt + 1000
    inputs.push({
      hash: token.hash,
      sessionId: session.id,
      usedAt,
      successor: tokenRecord(session, { parentHash: token.hash, createdAt: usedAt }),
      session: { lastUsedAt: usedAt, expiresAt: session.expiresAt, userAgent: 'test', ip: '127.0.0.1' },
    })
  }
  return inputs
}

/** Frames SQLite appended to the WAL while `work` ran (nothing checkpoints it meanwhile). */
async function walFramesDuring(work: () => Promise<unknown>): Promise<number> {
  temp.db.$client.pragma('wal_checkpoint(TRUNCATE)')
  temp.db.$client.pragma('wal_autocheckpoint = 0')
  await work()
  return statSync(`${temp.file}-wal`).size / (4096 + 24)
}

describe('grouped commits (SQLite rotations)', () => {
  it('commit the rotations asked for in one turn together: fewer WAL frames than one by one', async () => {
    const apart = await sessions(8)
    const together = await sessions(8)
    const grouped = await walFramesDuring(async () => {
      const results = await Promise.all(together.map((input) => store.rotateRefreshToken(input)))
      expect(results).toEqual(together.map(() => ({ status: 'rotated' })))
    })
    const oneByOne = await walFramesDuring(async () => {
      for (const input of apart) expect(await store.rotateRefreshToken(input)).toEqual({ status: 'rotated' })
    })
    // One by one, each commit writes its own copy of the pages they share (the table's and indexes' last pages).
    expect(grouped, `${grouped} frames grouped, ${oneByOne} one by one`).toBeLessThan(oneByOne * 0.75)
    for (const input of [...apart, ...together]) {
      expect((await store.findRefreshToken(input.successor.hash))?.token.parentHash).toBe(input.hash)
    }
  })

  it('run at once for a caller that awaits each one, and group again once others come', async () => {
    const calls: number[] = []
    const run = groupedCommit(temp.db.$client, (n: number) => {
      calls.push(n)
      return n
    })
    /** Asks for one operation; whether it ran before the call returned. */
    const ask = (n: number) => {
      const before = calls.length
      const result = run(n)
      return { atOnce: calls.length > before, result }
    }
    // At first each waits for the end of the turn; eight groups of one in a row end that.
    for (let i = 0; i < 8; i++) {
      const { atOnce, result } = ask(i)
      expect(atOnce).toBe(false)
      expect(await result).toBe(i)
    }
    // Then a lone caller's operations run at once, but for every sixty-fourth (a probe for company).
    const atOnce: boolean[] = []
    for (let i = 0; i < 128; i++) {
      const asked = ask(100 + i)
      atOnce.push(asked.atOnce)
      await asked.result
    }
    expect(atOnce.filter((ran) => !ran)).toHaveLength(2)
    // A burst: the callers after a probe join its group, and grouping resumes.
    const burst = Array.from({ length: 70 }, (_, i) => run(200 + i))
    expect(await Promise.all(burst)).toEqual(Array.from({ length: 70 }, (_, i) => 200 + i))
    const after = ask(300)
    expect(after.atOnce).toBe(false)
    expect(await after.result).toBe(300)
    expect(calls).toHaveLength(8 + 128 + 70 + 1)
  })

  it('keep the compare-and-set: one token rotated twice in a group gives one rotated, one used', async () => {
    const [input] = await sessions(1)
    if (!input) throw new Error('no session')
    const rival = { ...input, successor: { ...input.successor, hash: 'race-rival' } }
    const [first, second] = await Promise.all([store.rotateRefreshToken(input), store.rotateRefreshToken(rival)])
    expect(first).toEqual({ status: 'rotated' })
    expect(second).toMatchObject({ status: 'used', token: { hash: input.hash, successorHash: input.successor.hash } })
    expect(await store.findRefreshToken('race-rival')).toBeNull()
  })

  it('reject only the operation that throws; the rest of the group commits', async () => {
    const [good, bad, alsoGood] = await sessions(3)
    if (!good || !bad || !alsoGood) throw new Error('no sessions')
    // A successor whose hash already exists breaks the primary key: that rotation fails, and only it.
    const clash = { ...bad, successor: { ...bad.successor, hash: good.hash } }
    const results = await Promise.allSettled([good, clash, alsoGood].map((input) => store.rotateRefreshToken(input)))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    // The failed rotation left nothing behind: its token is still live and can rotate.
    expect((await store.findRefreshToken(bad.hash))?.token.usedAt).toBeNull()
    expect(await store.rotateRefreshToken(bad)).toEqual({ status: 'rotated' })
    expect((await store.findRefreshToken(alsoGood.successor.hash))?.token.parentHash).toBe(alsoGood.hash)
  })

  it('reject the whole group when its transaction cannot start (another process holds the lock), writing none of it', async () => {
    const calls: number[] = []
    const run = groupedCommit(temp.db.$client, (n: number) => {
      calls.push(n)
      temp.db.$client
        .prepare('INSERT INTO baton_rate_limits (key, count, window_start, window_ms) VALUES (?, 1, 0, 1)')
        .run(`k${n}`)
      return n * 2
    })
    expect(await Promise.all([run(1), run(2)])).toEqual([2, 4])
    const other = new Database(temp.file)
    other.exec('BEGIN IMMEDIATE')
    temp.db.$client.pragma('busy_timeout = 50')
    const results = await Promise.allSettled([run(3), run(4)])
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : r.value))).toEqual([
      'SQLITE_BUSY',
      'SQLITE_BUSY',
    ])
    other.exec('ROLLBACK')
    other.close()
    expect(await run(5)).toBe(10)
    expect(calls).toEqual([1, 2, 5])
    const keys = temp.db.$client.prepare('SELECT key FROM baton_rate_limits ORDER BY key').pluck().all()
    expect(keys).toEqual(['k1', 'k2', 'k5'])
  })
})
