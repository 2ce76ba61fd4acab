/**
 * verify-hs256 and verify-eddsa: `verifyAccessToken` on Node (which takes the
 * node:crypto fast path through @baton/core's `#jwt-verifier` import) against
 * the floor of what any verifier must do — one node:crypto HMAC or Ed25519
 * verify, one JSON.parse of the claims and an `exp` check, in a plain loop.
 * jose's `jwtVerify` (what Baton used before, and still uses on the Edge) is
 * measured against the same floor, for the notes.
 */
import { createHmac, KeyObject, timingSafeEqual, verify } from 'node:crypto'
import {
  type AccessTokenPolicy,
  createSessionEngine,
  generateSigningKey,
  type KeySet,
  MemorySessionStore,
  memoryRevocationHub,
} from '@baton/core'
import { asymmetricKeySet, deriveSecret, hmacKeySet, signAccessToken, verifyAccessToken } from '@baton/core/internal'
import { jwtVerify } from 'jose'
import { type BenchContext, type Comparison, compare, fmt, type ResultRow, row, type Side } from '../harness.js'

const policy: AccessTokenPolicy = { issuer: 'https://bench.test', audience: 'https://bench.test', clockTolerance: 5 }

/** A realistic Baton access token: the user snapshot the Next adapter puts in, 15 minutes. */
async function token(keys: KeySet): Promise<string> {
  const now = Date.now()
  return signAccessToken(keys, policy, {
    subject: 'user-ada',
    sessionId: 'dGhpcyBpcyBhIHNlc3Npb24gaWQ',
    claims: { user: { id: 'user-ada', email: 'ada@example.com', name: 'Ada Lovelace' } },
    issuedAt: now,
    expiresAt: now + 15 * 60_000,
  })
}

/** The floor: signature check, claims parse, expiry check — nothing else. */
function floor(alg: 'HS256' | 'EdDSA', key: KeyObject, jwt: string): () => void {
  return () => {
    // Everything derived from the token is derived inside the loop, as a verifier must.
    const dot = jwt.lastIndexOf('.')
    const input = jwt.slice(0, dot)
    const signature = Buffer.from(jwt.slice(dot + 1), 'base64url')
    const ok =
      alg === 'HS256'
        ? timingSafeEqual(createHmac('sha256', key).update(input).digest(), signature)
        : verify(null, Buffer.from(input), key, signature)
    if (!ok) throw new Error('floor: bad signature')
    const claims = JSON.parse(Buffer.from(jwt.slice(jwt.indexOf('.') + 1, dot), 'base64url').toString())
    if (!(claims.exp > Date.now() / 1000)) throw new Error('floor: expired')
  }
}

function sides(keys: KeySet, jwt: string, floorOnce: () => void) {
  const baton: Side = {
    name: 'baton',
    async run(ops) {
      for (let i = 0; i < ops; i++) await verifyAccessToken(keys, policy, jwt, Date.now())
    },
  }
  const jose: Side = {
    name: 'jose',
    async run(ops) {
      const resolve = (header: { kid?: string; alg?: string }) => {
        const key = keys.find(header.kid, header.alg)
        if (!key) throw new Error('unknown key')
        return key.key
      }
      const options = {
        algorithms: [...keys.algorithms],
        issuer: policy.issuer,
        audience: policy.audience,
        typ: 'at+jwt',
        clockTolerance: policy.clockTolerance,
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
      }
      for (let i = 0; i < ops; i++) await jwtVerify(jwt, resolve, options)
    },
  }
  const plain: Side = {
    name: 'node:crypto',
    run(ops) {
      for (let i = 0; i < ops; i++) floorOnce()
    },
  }
  return { baton, jose, plain }
}

export default async function verifyBenchmarks(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = []
  const quick = ctx.quick
  const measure = (subject: Side, baseline: Side, warmupOps: number): Promise<Comparison> =>
    compare({
      subject,
      baseline,
      rounds: quick ? 4 : 12,
      warmupOps,
      batchMs: quick ? 100 : 300,
      minOps: 50,
      maxOps: 10_000_000,
      log: ctx.log,
    })
  const notes = (c: Comparison, jose: Comparison, jwt: string) =>
    `verifyAccessToken (node:crypto fast path) vs the floor; jose jwtVerify measured the same way: ` +
    `${fmt(jose.subject)} ops/s, ${jose.ratio.toFixed(3)} of the floor, so Baton is ` +
    `${(c.ratio / jose.ratio).toFixed(1)}× jose; token ${jwt.length} bytes, same token every call`

  if (ctx.wants('verify-hs256')) {
    const keys = hmacKeySet([await deriveSecret('bench-secret-0123456789abcdef-0123456789')])
    const jwt = await token(keys)
    const s = sides(keys, jwt, floor('HS256', KeyObject.from(keys.signing.key), jwt))
    ctx.log('  verify-hs256: Baton vs floor')
    const c = await measure(s.baton, s.plain, 5_000)
    ctx.log('  verify-hs256: jose vs floor')
    const jose = await measure(s.jose, s.plain, 2_000)
    rows.push(
      row(
        {
          id: 'verify-hs256',
          baseline: 'node:crypto HMAC + JSON.parse + exp check',
          target: 0.5,
          notes: notes(c, jose, jwt),
        },
        c,
      ),
    )
  }
  if (ctx.wants('verify-eddsa')) {
    const { privateJwk } = await generateSigningKey({ kid: 'bench-ed' })
    const keys = await asymmetricKeySet({ sign: privateJwk })
    const jwt = await token(keys)
    const publicKey = KeyObject.from((keys.find('bench-ed', 'EdDSA') ?? keys.signing).key)
    const s = sides(keys, jwt, floor('EdDSA', publicKey, jwt))
    ctx.log('  verify-eddsa: Baton vs floor')
    const c = await measure(s.baton, s.plain, 500)
    ctx.log('  verify-eddsa: jose vs floor')
    const jose = await measure(s.jose, s.plain, 500)
    rows.push(
      row(
        {
          id: 'verify-eddsa',
          baseline: 'node:crypto Ed25519 verify + JSON.parse + exp check',
          target: 0.9,
          notes: notes(c, jose, jwt),
        },
        c,
      ),
    )
  }
  if (ctx.wants('verify-revocation-set')) {
    // The same stateless engine check, with and without a revocation feed holding 100,000 revoked sessions.
    const secret = 'bench-secret-0123456789abcdef-0123456789'
    const store = new MemorySessionStore()
    const hub = memoryRevocationHub()
    const plainEngine = createSessionEngine({ store, secret, issuer: 'baton' })
    const fedEngine = createSessionEngine({ store, secret, issuer: 'baton', revocations: hub.feed() })
    const issued = await fedEngine.signIn({ subject: 'user-ada', user: { id: 'user-ada', email: 'ada@example.com' } })
    await fedEngine.verifyAccessToken(issued.accessToken) // starts its feed
    const until = Date.now() + 3_600_000
    await hub.feed().publish(Array.from({ length: 100_000 }, (_, i) => ({ sessionId: `revoked-${i}`, until })))
    const side = (name: string, engine: typeof plainEngine): Side => ({
      name,
      async run(ops) {
        for (let i = 0; i < ops; i++) await engine.verifyAccessToken(issued.accessToken)
      },
    })
    ctx.log('  verify-revocation-set: with 100,000 revoked sessions vs no feed')
    const c = await measure(side('with set', fedEngine), side('no feed', plainEngine), 5_000)
    rows.push(
      row(
        {
          id: 'verify-revocation-set',
          baseline: 'the same engine check without a revocation feed',
          target: 0.95,
          notes:
            'engine.verifyAccessToken (stateless, HS256) with a revocation feed whose set holds 100,000 revoked ' +
            'sessions (a Map lookup per check) against the same check without a feed; target: at most 5% slower',
        },
        c,
      ),
    )
  }
  return rows
}
