/**
 * Project Wycheproof vectors for the core tests, read from the `shared/`
 * checkout beside the repository (`../shared/vectors/wycheproof/` from the
 * repo root; `BATON_WYCHEPROOF_DIR` overrides). Data only: never copied into
 * the repository. When the directory is absent the suites say so, visibly
 * skipped, as the Postgres server tests do without DATABASE_URL.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'vitest'
import type { KeySet } from './key-set.js'
import { hmacKeySet } from './key-set.js'
import type { DerivedSecret } from './secret.js'

/** Where the vectors are read from. */
export const WYCHEPROOF_DIR: string =
  process.env.BATON_WYCHEPROOF_DIR ?? fileURLToPath(new URL('../../../../shared/vectors/wycheproof/', import.meta.url))

/** A Wycheproof verdict: `acceptable` may go either way. */
export type WycheproofResult = 'valid' | 'invalid' | 'acceptable'

/** The fields every Wycheproof test case has. */
export interface WycheproofCase {
  tcId: number
  comment: string
  result: WycheproofResult
  flags: string[]
}

/** A Wycheproof file: groups of cases sharing a key. */
export interface WycheproofFile<Group> {
  numberOfTests: number
  testGroups: Group[]
}

/**
 * Declares `title` with `body(data)` when `file` exists in
 * {@link WYCHEPROOF_DIR}; otherwise a skipped test that says SKIPPED and why,
 * plus a warning in the run's output.
 */
export function describeWycheproof<Group>(
  title: string,
  file: string,
  body: (data: WycheproofFile<Group>) => void,
): void {
  const path = join(WYCHEPROOF_DIR, file)
  if (existsSync(path)) {
    const data = JSON.parse(readFileSync(path, 'utf8')) as WycheproofFile<Group>
    describe(title, () => body(data))
    return
  }
  console.warn(`[baton] ${title} SKIPPED: Wycheproof vectors not found at ${path} (set BATON_WYCHEPROOF_DIR).`)
  describe(title, () => {
    it.skip(`SKIPPED: Wycheproof vectors not found at ${path}`, () => {})
  })
}

/** Counts of a file's verdicts, for the run's summary line. */
export function countResults(cases: readonly WycheproofCase[]): Record<WycheproofResult, number> {
  const counts = { valid: 0, invalid: 0, acceptable: 0 }
  for (const c of cases) counts[c.result]++
  return counts
}

/**
 * An HS256 key set holding one Wycheproof `oct` JWK under its `kid`: the
 * stand-in for Baton's secret-derived set (Baton never loads HS256 keys from
 * JWKs), built by the same `hmacKeySet`, so `find` and the pinned algorithm
 * list are the production ones.
 */
export async function hmacTestKeySet(jwk: { kid?: unknown; k?: unknown }): Promise<KeySet> {
  const key = await crypto.subtle.importKey(
    'raw',
    Buffer.from(String(jwk.k), 'base64url'),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  )
  return hmacKeySet([{ kid: String(jwk.kid), accessTokenKey: key } as DerivedSecret])
}
