// The SPA a newcomer writes from @baton/react's README: sign in, see the user, call the API, sign out.
import { AuthFailureError } from '@baton/axios'
import { useSession } from '@baton/react'
import { isAxiosError } from 'axios'
import { type FormEvent, useState } from 'react'
import { api } from './auth.ts'

export default function App() {
  const session = useSession()
  const [result, setResult] = useState<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setFailure(null)
    try {
      await session.signIn({ email: String(form.get('email')), password: String(form.get('password')) })
    } catch (error) {
      setFailure((error as { code?: string }).code ?? String(error))
    }
  }

  async function callApi() {
    try {
      const response = await api.get('/me')
      setResult(`${response.status} ${String(response.data.user?.email)}`)
    } catch (error) {
      // AuthFailureError: a 401 whose refresh failed too (signed out); else axios' own error.
      if (error instanceof AuthFailureError) setResult(`failed: ${error.status} ${error.code}`)
      else setResult(`failed: ${isAxiosError(error) ? error.response?.status : String(error)}`)
    }
  }

  return (
    <main>
      <h1>Baton SPA</h1>
      <p data-testid="status">
        {session.status} {session.status === 'authenticated' ? String(session.user?.email) : ''}
      </p>
      {session.status === 'error' ? <p role="alert">Sign-in is unavailable ({session.error.code}).</p> : null}
      {session.status === 'unauthenticated' ? (
        <form onSubmit={onSubmit}>
          <label>
            Email <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            Password <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit">Sign in</button>
          {failure ? <p role="alert">{failure}</p> : null}
        </form>
      ) : null}
      <button type="button" onClick={callApi}>
        Call /api/me
      </button>
      {result ? <p data-testid="api-result">{result}</p> : null}
      {session.status === 'authenticated' ? (
        <button type="button" onClick={() => session.signOut()}>
          Sign out
        </button>
      ) : null}
    </main>
  )
}
