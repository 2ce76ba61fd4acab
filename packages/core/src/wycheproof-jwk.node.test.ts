/**
 * Project Wycheproof's JWK vectors (`json_web_key_test.json`) against key-set
 * loading: each group's key set goes through `publicKeySet` and, when its
 * first key is private, `asymmetricKeySet` too. A set that loads then checks
 * the case's JWS with both verifiers (jose's `verifyJws`, the fast path's
 * `fastVerifyJws`). Every `invalid` case is refused, at loading with a
 * `ConfigError` or at the signature; `valid` ones are accepted or refused
 * because their keys are of a kind Baton never loads from a JWK.
 */
import { beforeAll, expect, it } from 'vitest'
import { ConfigError } from './errors.js'
import { verifyJws } from './jwt-verifier.js'
import { fastVerifyJws } from './jwt-verifier.node.js'
import { asymmetricKeySet, type KeyedJwk, type KeySet, publicKeySet } from './key-set.js'
import { countResults, describeWycheproof, type WycheproofCase } from './wycheproof.fixture.js'

interface JwkCase extends WycheproofCase {
  jws: string
}
interface JwkGroup {
  comment: string
  private: { keys: Record<string, unknown>[] }
  tests: JwkCase[]
}

/** The one documented reason to refuse a valid case: Baton's key sets hold EdDSA and ES256 JWKs only. */
const STRICTER = 'only EdDSA (Ed25519) and ES256 (P-256) JWKs load; HS256 keys come from the secret, never a JWK'

interface Outcome {
  c: JwkCase
  group: string
  /** Per loader: the error it threw, or the verdict of both verifiers on the case's JWS. */
  loads: { loader: string; error?: unknown; jose?: boolean; fast?: boolean }[]
  /** Every key of the group is EdDSA/Ed25519 or ES256/P-256. */
  supported: boolean
}

const refused = (o: Outcome): boolean => o.loads.every((l) => l.error !== undefined || (!l.jose && !l.fast))
const ids = (list: Outcome[]): number[] => list.map((o) => o.c.tcId)

function loaders(keys: KeyedJwk[]): [string, () => Promise<KeySet>][] {
  const [first, ...rest] = keys
  const list: [string, () => Promise<KeySet>][] = [['publicKeySet', () => publicKeySet(keys)]]
  if (first && typeof first.d === 'string') {
    list.push(['asymmetricKeySet', () => asymmetricKeySet({ sign: first, verify: rest })])
  }
  return list
}

describeWycheproof<JwkGroup>('Wycheproof JWK vectors', 'json_web_key_test.json', (file) => {
  const outcomes: Outcome[] = []

  beforeAll(async () => {
    for (const group of file.testGroups) {
      const keys = group.private.keys as KeyedJwk[]
      const supported = keys.every(
        (k) => (k.alg === 'EdDSA' && k.crv === 'Ed25519') || (k.alg === 'ES256' && k.crv === 'P-256'),
      )
      for (const c of group.tests) {
        const loads: Outcome['loads'] = []
        for (const [loader, load] of loaders(keys)) {
          try {
            const set = await load()
            const jose = await verifyJws(set, c.jws).then(
              () => true,
              () => false,
            )
            loads.push({ loader, jose, fast: fastVerifyJws(set, c.jws) !== undefined })
          } catch (error) {
            loads.push({ loader, error })
          }
        }
        outcomes.push({ c, group: group.comment, loads, supported })
      }
    }
    console.info(
      `[baton] Wycheproof JWK: ${outcomes.length} cases ${JSON.stringify(countResults(outcomes.map((o) => o.c)))}; ` +
        `valid accepted: ${ids(outcomes.filter((o) => o.c.result === 'valid' && !refused(o))).join(' ') || 'none'}; ` +
        `valid refused (${STRICTER}): ${ids(outcomes.filter((o) => o.c.result === 'valid' && refused(o))).join(' ')}`,
    )
  })

  it('reads every case of the file', () => {
    expect(outcomes).toHaveLength(file.numberOfTests)
  })

  it('refuses every invalid case, with both loaders and both verifiers', () => {
    expect(ids(outcomes.filter((o) => o.c.result === 'invalid' && !refused(o)))).toEqual([])
  })

  it('refuses a key set only with a ConfigError (never a raw WebCrypto or jose error)', () => {
    for (const o of outcomes) {
      for (const l of o.loads)
        if (l.error !== undefined) expect(l.error, `${o.c.tcId} ${l.loader}`).toBeInstanceOf(ConfigError)
    }
  })

  it('refuses a valid case only when its keys are of a kind Baton never loads from a JWK', () => {
    expect(ids(outcomes.filter((o) => o.c.result === 'valid' && refused(o) && o.supported))).toEqual([])
  })

  it('refuses the key marked for encryption (use: "enc") at loading, naming it', () => {
    const encrypting = outcomes.filter((o) => o.group === 'invalid_use')
    expect(encrypting.length).toBeGreaterThan(0)
    for (const o of encrypting) {
      for (const l of o.loads)
        expect((l.error as Error | undefined)?.message).toMatch(/\(kid-ec-sign\): `use` is "enc"/)
    }
  })

  it('the fast path and jose agree wherever a key set loaded', () => {
    expect(ids(outcomes.filter((o) => o.loads.some((l) => l.error === undefined && l.jose !== l.fast)))).toEqual([])
  })
})
