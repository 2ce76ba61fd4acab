import { jsonSealer } from '@baton/core/internal'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqliteFile, SECRET, signInUpstream, upstreamBaton, useUpstream } from './upstream.fixture.js'

const NEXT_SECRET = 'the-next-secret-after-rotation-0123456789'
const OTHER_SECRET = 'an-unrelated-secret-that-opens-nothing-0123'
const kidOf = (sealed: string | null | undefined) =>
  JSON.parse(Buffer.from(String(sealed).split('.')[0] ?? '', 'base64url').toString()).kid as string

describe('sealed JSON (compact JWE, dir + A256GCM)', () => {
  it('opens what it sealed; refuses tampering, other keys, other labels and junk', async () => {
    const sealer = jsonSealer(SECRET, 'test/label')
    const sealed = await sealer.seal({ a: 1 })
    expect(await sealer.open(sealed)).toEqual({ a: 1 })
    const parts = sealed.split('.')
    const flipped = (parts[3] as string).startsWith('A') ? `B${parts[3]?.slice(1)}` : `A${parts[3]?.slice(1)}`
    expect(await sealer.open([...parts.slice(0, 3), flipped, parts[4]].join('.'))).toBeNull()
    expect(await jsonSealer(OTHER_SECRET, 'test/label').open(sealed)).toBeNull()
    expect(await jsonSealer(SECRET, 'other/label').open(sealed)).toBeNull()
    for (const junk of ['', 'a.b.c.d.e', 'x'.repeat(20_000), '{}']) expect(await sealer.open(junk)).toBeNull()
  })

  it('seals with the first secret and opens with any listed one (rotation)', async () => {
    const old = jsonSealer(SECRET, 'test/label')
    const rotated = jsonSealer([NEXT_SECRET, SECRET], 'test/label')
    const before = await old.seal({ v: 'old' })
    expect(await rotated.open(before)).toEqual({ v: 'old' })
    const after = await rotated.seal({ v: 'new' })
    expect(kidOf(after)).not.toBe(kidOf(before))
    expect(await jsonSealer(NEXT_SECRET, 'test/label').open(after)).toEqual({ v: 'new' })
  })
})

describe('upstream tokens across a secret rotation', () => {
  const upstream = useUpstream()
  const sqlite = openSqliteFile()
  afterAll(() => sqlite.close())

  it('sessions sealed under the old secret keep working; a refresh reseals them under the new one', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const { sessionId } = await signInUpstream(baton)
    const token = await baton.upstream.getAccessToken({ sessionId })
    const oldKid = kidOf((await sqlite.store.getSession(sessionId))?.data)

    const { baton: rotated, clock } = upstreamBaton(
      sqlite.store,
      { url: upstream().url },
      { secret: [NEXT_SECRET, SECRET] },
    )
    expect(await rotated.upstream.getAccessToken({ sessionId })).toBe(token)
    clock.advance(60_000)
    const fresh = await rotated.upstream.getAccessToken({ sessionId })
    expect(fresh).not.toBe(token)
    const newKid = kidOf((await sqlite.store.getSession(sessionId))?.data)
    expect(newKid).not.toBe(oldKid)

    // Once the old secret is dropped, the resealed session still opens.
    const { baton: done } = upstreamBaton(sqlite.store, { url: upstream().url }, { secret: NEXT_SECRET })
    expect(await done.upstream.getAccessToken({ sessionId })).toBe(fresh)
  })

  it('data no listed secret opens, or copied from another session, ends the session (401) instead of a 500', async () => {
    const { baton } = upstreamBaton(sqlite.store, { url: upstream().url })
    const a = await signInUpstream(baton)
    const b = await signInUpstream(baton)
    const { baton: stranger } = upstreamBaton(sqlite.store, { url: upstream().url }, { secret: OTHER_SECRET })
    await expect(stranger.upstream.getAccessToken(a)).rejects.toMatchObject({ code: 'ERR_UPSTREAM_SESSION_ENDED' })
    expect((await sqlite.store.getSession(a.sessionId))?.revokedAt).not.toBeNull()

    // Session b's sealed pair pasted into session c: bound to b's id, it does not open for c.
    const c = await signInUpstream(baton)
    const rowB = await sqlite.store.getSession(b.sessionId)
    const rowC = await sqlite.store.getSession(c.sessionId)
    await sqlite.store.updateSessionData(c.sessionId, {
      data: rowB?.data ?? null,
      expectedVersion: rowC?.dataVersion ?? 0,
    })
    await expect(baton.upstream.getAccessToken(c)).rejects.toMatchObject({ code: 'ERR_UPSTREAM_SESSION_ENDED' })
    await expect(baton.upstream.getAccessToken(b)).resolves.toMatch(/^uat_/)
  })
})
