'use client'

import { isAxiosError } from 'axios'
import { useState } from 'react'
import { useApi } from './providers'

interface Outcome {
  ok: number
  failed: number
  detail: string
}

/** `/api/me`'s answer: `{ user }`, or in OIDC mode the provider's userinfo itself. */
type MeAnswer = { user?: { email?: string }; email?: string }
const emailOf = (data: MeAnswer): string | undefined => data.user?.email ?? data.email

function describe(error: unknown): string {
  if (isAxiosError(error)) {
    const code = (error.response?.data as { error?: { code?: string } } | undefined)?.error?.code
    return error.response ? `${error.response.status} ${code ?? ''}`.trim() : (error.code ?? error.message)
  }
  return (error as { code?: string })?.code ?? String(error)
}

/**
 * A client component calling the protected `GET /api/me` through
 * `@baton/axios`: Bearer from memory; after expiry, N parallel calls share
 * one refresh and are each retried once.
 */
export function ApiProbe() {
  const api = useApi()
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [busy, setBusy] = useState(false)

  async function call(times: number) {
    setBusy(true)
    const results = await Promise.allSettled(Array.from({ length: times }, () => api.get<MeAnswer>('/me')))
    const ok = results.filter((r) => r.status === 'fulfilled')
    const failed = results.filter((r) => r.status === 'rejected')
    const detail =
      failed.length > 0
        ? `failed: ${describe(failed[0]!.reason)}`
        : `as ${ok[0]?.status === 'fulfilled' ? emailOf(ok[0].value.data) : '?'}`
    setOutcome({ ok: ok.length, failed: failed.length, detail })
    setBusy(false)
  }

  return (
    <div>
      <div className="actions">
        <button type="button" onClick={() => call(1)} disabled={busy} data-testid="call-api">
          Call /api/me
        </button>
        <button type="button" onClick={() => call(10)} disabled={busy} data-testid="call-api-10">
          10 calls in parallel
        </button>
      </div>
      <p data-testid="api-result" className={outcome?.failed ? 'error' : 'muted'} aria-live="polite">
        {busy
          ? 'Calling…'
          : outcome
            ? `${outcome.ok}/${outcome.ok + outcome.failed} succeeded ${outcome.detail}`
            : 'Not called yet.'}
      </p>
    </div>
  )
}
