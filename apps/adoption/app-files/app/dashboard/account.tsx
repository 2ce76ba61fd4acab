'use client'
// useSession() for the user, the axios instance for a protected route, useAuthNavigation() to sign out.
import { useAuthNavigation, useSession } from '@baton/react'
import { useState } from 'react'
import { useApi } from './api-provider'

export function Account() {
  const { status, user } = useSession()
  const { signOut } = useAuthNavigation()
  const api = useApi()
  const [result, setResult] = useState<string | null>(null)

  async function callApi() {
    try {
      const response = await api.get('/me')
      setResult(`${response.status} ${String(response.data.user?.email)}`)
    } catch (error) {
      setResult(`failed: ${(error as Error).message}`)
    }
  }

  return (
    <section>
      <p data-testid="client-user">
        useSession(): {status} {String(user?.email)}
      </p>
      <button type="button" onClick={callApi}>
        Call /api/me
      </button>
      {result ? <p data-testid="api-result">{result}</p> : null}
      <button type="button" onClick={() => signOut({ redirectTo: '/login' })}>
        Sign out
      </button>
    </section>
  )
}
