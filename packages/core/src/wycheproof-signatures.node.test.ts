/**
 * Project Wycheproof's raw signature vectors against the fast path's
 * signature primitive (`verifySignature`, through `keyObjectFor` as the fast
 * path uses it): Ed25519 (EdDSA), ECDSA P-256 / SHA-256 in IEEE P1363 form
 * (ES256) and HMAC-SHA256 (HS256; only `tagSize: 256` groups, as HS256 tags
 * are never truncated). Every `valid` case verifies, every `invalid` one is
 * refused, and each verdict matches WebCrypto's, the primitive jose uses.
 */
import { Buffer } from 'node:buffer'
import { expect, it } from 'vitest'
import type { AccessTokenAlgorithm } from './key-set.js'
import { keyObjectFor, verifySignature } from './node-signature.node.js'
import { countResults, describeWycheproof, type WycheproofCase } from './wycheproof.fixture.js'

interface SignatureCase extends WycheproofCase {
  /** HMAC: the key is per case. */
  key?: string
  msg: string
  sig?: string
  tag?: string
}
interface SignatureGroup {
  publicKeyDer?: string
  tagSize?: number
  tests: SignatureCase[]
}

interface Suite {
  title: string
  file: string
  alg: AccessTokenAlgorithm
  /** WebCrypto's algorithm for import and verify. */
  webcrypto: AlgorithmIdentifier | EcKeyImportParams | HmacImportParams
  verifyParams: AlgorithmIdentifier | EcdsaParams
  applies(group: SignatureGroup): boolean
}

const suites: Suite[] = [
  {
    title: 'Ed25519',
    file: 'ed25519_test.json',
    alg: 'EdDSA',
    webcrypto: { name: 'Ed25519' },
    verifyParams: { name: 'Ed25519' },
    applies: () => true,
  },
  {
    title: 'ECDSA P-256 SHA-256 (P1363)',
    file: 'ecdsa_secp256r1_sha256_p1363_test.json',
    alg: 'ES256',
    webcrypto: { name: 'ECDSA', namedCurve: 'P-256' },
    verifyParams: { name: 'ECDSA', hash: 'SHA-256' },
    applies: () => true,
  },
  {
    title: 'HMAC-SHA256',
    file: 'hmac_sha256_test.json',
    alg: 'HS256',
    webcrypto: { name: 'HMAC', hash: 'SHA-256' },
    verifyParams: { name: 'HMAC' },
    applies: (group) => group.tagSize === 256,
  },
]

const hex = (value: string | undefined): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(value ?? '', 'hex'))

/** The case's key (HMAC) or its group's public key, as WebCrypto imports it; undefined when it refuses. */
async function importKey(suite: Suite, group: SignatureGroup, c: SignatureCase): Promise<CryptoKey | undefined> {
  const hmac = suite.alg === 'HS256'
  return crypto.subtle
    .importKey(hmac ? 'raw' : 'spki', hex(hmac ? c.key : group.publicKeyDer), suite.webcrypto, false, ['verify'])
    .catch(() => undefined)
}

for (const suite of suites) {
  describeWycheproof<SignatureGroup>(`Wycheproof ${suite.title} vectors`, suite.file, (file) => {
    it(`verifies every valid ${suite.alg} signature, refuses every invalid one, and agrees with WebCrypto`, async () => {
      const groups = file.testGroups.filter((g) => suite.applies(g))
      const wrong: string[] = []
      let unimportable = 0
      for (const group of groups) {
        for (const c of group.tests) {
          const cryptoKey = await importKey(suite, group, c)
          const key = cryptoKey && keyObjectFor(cryptoKey, suite.alg)
          if (!cryptoKey) unimportable++
          else expect(key, 'keyObjectFor refused a key WebCrypto imported').not.toBeNull()
          const signature = hex(c.sig ?? c.tag)
          const message = hex(c.msg)
          const fast = key
            ? verifySignature(suite.alg, key, Buffer.from(message).toString('latin1'), Buffer.from(signature))
            : false
          const web = cryptoKey
            ? await crypto.subtle.verify(suite.verifyParams, cryptoKey, signature, message).catch(() => false)
            : false
          const expected = c.result === 'acceptable' ? web : c.result === 'valid'
          if (fast !== expected || fast !== web) wrong.push(`${c.tcId} (${c.result}, fast ${fast}, WebCrypto ${web})`)
        }
      }
      const cases = groups.flatMap((g) => g.tests)
      console.info(
        `[baton] Wycheproof ${suite.title}: ${cases.length} cases ${JSON.stringify(countResults(cases))}` +
          `${unimportable ? `; ${unimportable} under a public key WebCrypto refuses to import` : ''}`,
      )
      expect(wrong).toEqual([])
    })
  })
}
