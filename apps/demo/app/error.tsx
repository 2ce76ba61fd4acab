'use client'

/** Shown when a page fails to render (for example, the database is unreachable). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="narrow">
      <h1>Something went wrong</h1>
      <p>
        The page could not be shown. If the database is down, your session is kept: try again in a moment.
        {error.digest ? <span className="muted"> (reference {error.digest})</span> : null}
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </main>
  )
}
