/**
 * Next.js steers rendering by throwing: `redirect()`, `notFound()`,
 * `forbidden()`, `unauthorized()`, a prerender that must stop where request
 * data is read (Cache Components), dynamic usage during static generation, and
 * so on. Those are not failures, and a helper that catches errors must let them
 * through untouched, or a build logs `[baton] unexpected error … Route /api/me
 * needs to bail out of prerendering` and a redirect becomes a 503.
 *
 * Next's own `unstable_rethrow` (next/navigation) does not know them all in
 * every supported version — 15.x's misses the Cache Components prerender
 * interrupt (`NEXT_PRERENDER_INTERRUPTED`), 16.4's React's postpone — so they
 * are recognised here, by the markers Next and React put on them (the same in
 * 15.x and 16.x; `next-signals.test.ts` checks them against both installs and
 * their `unstable_rethrow`). No Next import: this module loads anywhere, the
 * Edge proxy's bundle and plain Node included.
 */

/** `digest` values Next gives its control-flow errors. */
const EXACT_DIGESTS: ReadonlySet<string> = new Set([
  'DYNAMIC_SERVER_USAGE', // dynamic API during static generation (Cache Components off)
  'NEXT_PRERENDER_INTERRUPTED', // request data read during a Cache Components prerender
  'HANGING_PROMISE_REJECTION', // a request-data promise rejected as the prerender was aborted
  'BAILOUT_TO_CLIENT_SIDE_RENDERING', // useSearchParams() and next/dynamic with ssr: false
  'NEXT_NOT_FOUND', // notFound() before the HTTP fallback errors
])

/** `digest` prefixes: `NEXT_REDIRECT;replace;/login;307;` and `NEXT_HTTP_ERROR_FALLBACK;404`. */
const DIGEST_PREFIXES = ['NEXT_REDIRECT;', 'NEXT_HTTP_ERROR_FALLBACK;'] as const

const REACT_POSTPONE = Symbol.for('react.postpone')

function isSignal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { digest, code, message, $$typeof } = error as Record<string, unknown>
  if (typeof digest === 'string' && (EXACT_DIGESTS.has(digest) || DIGEST_PREFIXES.some((p) => digest.startsWith(p))))
    return true
  // `dynamic = 'error'` meeting request data: Next turns it into the build error it should be.
  if (code === 'NEXT_STATIC_GEN_BAILOUT') return true
  // Partial prerendering's postpone (React's, and Next's rethrown copy of it).
  if ($$typeof === REACT_POSTPONE) return true
  return (
    typeof message === 'string' &&
    message.includes('needs to bail out of prerendering at this point because it used') &&
    message.includes('ppr-caught-error')
  )
}

/**
 * The Next.js control-flow error in `error` — the error itself, or one it
 * wraps as `cause` (Next's `unstable_rethrow` looks there too) — or null.
 */
export function nextSignal(error: unknown): unknown {
  const seen = new Set<unknown>()
  for (let current = error; typeof current === 'object' && current !== null && !seen.has(current); ) {
    if (isSignal(current)) return current
    seen.add(current)
    current = (current as { cause?: unknown }).cause
  }
  return null
}

/** True when `error` is (or wraps) one of Next's control-flow errors. */
export function isNextSignal(error: unknown): boolean {
  return nextSignal(error) !== null
}

/**
 * Throws the Next.js control-flow error in `error` (itself, or the `cause` it
 * wraps) untouched; returns otherwise. Call it first in every `catch` that
 * might see one.
 */
export function rethrowNextSignal(error: unknown): void {
  const signal = nextSignal(error)
  if (signal !== null) throw signal
}

/** For `.catch()` on calls whose failure means "no": null, but Next's signals go on. */
export function nullUnlessNextSignal(error: unknown): null {
  rethrowNextSignal(error)
  return null
}
