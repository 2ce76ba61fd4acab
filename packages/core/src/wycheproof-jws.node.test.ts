/**
 * Project Wycheproof's JWS vectors (`json_web_signature_test.json`) against
 * both verifiers: jose (`verifyJws`, the signature layer of `verifyJwt`) and
 * the node:crypto fast path alone (`fastVerifyJws`, no jose fallback), then
 * the full `verifyAccessTokenWith` of each. Every `invalid` case is refused;
 * every `valid` one is accepted or refused for one of the stricter reasons
 * below (also in the core README); the two verifiers agree on every case.
 */
import { beforeAll, expect, it } from 'vitest'
import { type AccessTokenPolicy, verifyAccessTokenWith } from './access-token.js'
import { ConfigError } from './errors.js'
import { verifyJws, verifyJwt as verifyWithJose } from './jwt-verifier.js'
import { fastVerifyJws, verifyJwt as verifyWithNode } from './jwt-verifier.node.js'
import { type KeyedJwk, type KeySet, publicKeySet } from './key-set.js'
import { countResults, describeWycheproof, hmacTestKeySet, type WycheproofCase } from './wycheproof.fixture.js'

interface JwsCase extends WycheproofCase {
  jws: unknown
}
interface JwsGroup {
  comment: string
  private: Record<string, unknown>
  tests: JwsCase[]
}

/** Why Baton may refuse a case Wycheproof calls valid: stricter, never looser. */
const STRICTER = {
  algorithm: 'key set refused: Baton verifies HS256, EdDSA and ES256 only (RS*, PS*, ES512 keys never load)',
  alphabet: 'a part holds characters outside the base64url alphabet (RFC 7515 §2: no other characters)',
} as const

interface Outcome {
  c: JwsCase
  /** Same token and key as a case labelled valid: the label cannot be right. */
  twin?: JwsCase
  loadError?: unknown
  jose: boolean
  fast: boolean
}

const policy: AccessTokenPolicy = { issuer: 'https://app.test', audience: 'https://app.test', clockTolerance: 5 }
const accepted = (o: Outcome): boolean => o.jose
const ids = (list: Outcome[]): number[] => list.map((o) => o.c.tcId)

async function load(jwk: Record<string, unknown>): Promise<KeySet> {
  return jwk.kty === 'oct' && jwk.alg === 'HS256' ? hmacTestKeySet(jwk) : publicKeySet([jwk as KeyedJwk])
}

function stricterReason(o: Outcome): string | undefined {
  if (o.loadError instanceof ConfigError) return STRICTER.algorithm
  if (typeof o.c.jws === 'string' && !/^[A-Za-z0-9_.-]*$/.test(o.c.jws)) return STRICTER.alphabet
  return undefined
}

describeWycheproof<JwsGroup>('Wycheproof JWS vectors', 'json_web_signature_test.json', (file) => {
  const outcomes: Outcome[] = []

  beforeAll(async () => {
    const valid = new Map<string, JwsCase>()
    for (const g of file.testGroups)
      for (const c of g.tests) if (c.result === 'valid') valid.set(JSON.stringify([g.private, c.jws]), c)
    for (const group of file.testGroups) {
      let keys: KeySet | undefined
      let loadError: unknown
      try {
        keys = await load(group.private)
      } catch (error) {
        loadError = error
      }
      for (const c of group.tests) {
        const twin = c.result === 'valid' ? undefined : valid.get(JSON.stringify([group.private, c.jws]))
        const token = c.jws as string
        const jose = keys
          ? await verifyJws(keys, token).then(
              () => true,
              () => false,
            )
          : false
        const fast = keys ? fastVerifyJws(keys, token) !== undefined : false
        outcomes.push({ c, twin, loadError, jose, fast })
      }
    }
    const byReason = new Map<string | undefined, number[]>()
    for (const o of outcomes.filter((o) => o.c.result === 'valid' && !accepted(o))) {
      byReason.set(stricterReason(o), [...(byReason.get(stricterReason(o)) ?? []), o.c.tcId])
    }
    console.info(
      `[baton] Wycheproof JWS: ${outcomes.length} cases ${JSON.stringify(countResults(outcomes.map((o) => o.c)))}; ` +
        `valid cases accepted: ${ids(outcomes.filter((o) => o.c.result === 'valid' && accepted(o))).join(' ')}; ` +
        [...byReason].map(([reason, list]) => `refused, ${reason}: ${list.join(' ')}`).join('; '),
    )
  })

  it('reads every case of the file', () => {
    expect(outcomes).toHaveLength(file.numberOfTests)
  })

  it('refuses every invalid case (but those that carry a valid case’s token and key byte for byte)', () => {
    const invalid = outcomes.filter((o) => o.c.result === 'invalid' && !o.twin)
    expect(ids(invalid.filter((o) => o.jose || o.fast))).toEqual([])
  })

  it('treats the two mislabelled cases (367, 370: the token of 357 under its key) like their valid twin', () => {
    const twins = outcomes.filter((o) => o.twin)
    expect(twins.map((o) => [o.c.tcId, o.twin?.tcId])).toEqual([
      [367, 357],
      [370, 357],
    ])
    for (const o of twins) expect(o.jose).toBe(true)
  })

  it('accepts every valid case, or refuses it for a documented stricter reason', () => {
    const refused = outcomes.filter((o) => o.c.result === 'valid' && !accepted(o))
    expect(refused.filter((o) => stricterReason(o) === undefined).map((o) => o.c)).toEqual([])
    // The alphabet reason covers exactly two cases; everything else refused never loaded its key.
    expect(ids(refused.filter((o) => stricterReason(o) === STRICTER.alphabet))).toEqual([372, 373])
    expect(ids(outcomes.filter((o) => o.c.result === 'valid' && accepted(o))).length).toBeGreaterThan(0)
  })

  it('the fast path and jose agree on the signature of every case', () => {
    expect(ids(outcomes.filter((o) => o.jose !== o.fast))).toEqual([])
  })

  it('the full verifiers refuse every case alike (no payload is a Baton access token)', async () => {
    const now = Date.UTC(2030, 0, 1)
    for (const o of outcomes) {
      if (o.loadError !== undefined) continue
      const keys = await load(file.testGroups.find((g) => g.tests.includes(o.c))?.private ?? {})
      const verdicts = await Promise.all(
        [verifyWithJose, verifyWithNode].map((verifier) =>
          verifyAccessTokenWith(verifier, keys, policy, o.c.jws, now).then(
            () => 'accepted',
            (error: { toJSON(): unknown }) => JSON.stringify(error.toJSON()),
          ),
        ),
      )
      expect(verdicts, `tcId ${o.c.tcId}`).toEqual([
        '{"error":{"code":"ERR_ACCESS_TOKEN_INVALID","message":"The access token is invalid."}}',
        '{"error":{"code":"ERR_ACCESS_TOKEN_INVALID","message":"The access token is invalid."}}',
      ])
    }
  })
})
