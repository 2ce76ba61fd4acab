/** Methods safe to send twice: a retry after a timeout cannot do something twice. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])

/** Upstream statuses worth another try. */
const TRANSIENT_STATUS = new Set([502, 503, 504])

export const isIdempotent = (method: string | undefined): boolean => IDEMPOTENT.has((method ?? 'GET').toUpperCase())

export const isTransientStatus = (status: number): boolean => TRANSIENT_STATUS.has(status)

/** Backoff before retry `attempt` (0-based): `base · 2^attempt`, ±25 % jitter so instances spread out. */
export function backoff(attempt: number, baseMs: number): Promise<void> {
  const ms = baseMs * 2 ** attempt * (0.75 + Math.random() * 0.5)
  return new Promise((resolve) => setTimeout(resolve, ms))
}
