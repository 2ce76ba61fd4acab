'use client'

import { isBatonError } from '@baton/core/client'
import { useAuthNavigation } from '@baton/react'
import { type FormEvent, useState } from 'react'
import { messageFor } from '@/lib/messages'

interface Props {
  /** The server action: the path taken without JavaScript. */
  action: (form: FormData) => Promise<void>
  next: string
  initialError: string | null
}

/** Sign-in through `@baton/react` when JavaScript runs, through the server action when it does not. */
export function LoginForm({ action, next, initialError }: Props) {
  // Sign-in leaves with a full page load: Next's router may hold `next` as prefetched while
  // signed out (a redirect back here), and a client-side navigation would replay it.
  const { signIn } = useAuthNavigation()
  const [error, setError] = useState(initialError)
  const [pending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setPending(true)
    setError(null)
    try {
      const credentials = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') }
      // On success the page is leaving: the button stays at "Signing in…".
      await signIn(credentials, { redirectTo: next })
    } catch (failure) {
      setPending(false)
      setError(messageFor(isBatonError(failure) ? failure.code : 'ERR_NETWORK'))
    }
  }

  return (
    <form action={action} onSubmit={onSubmit} className="stack">
      {error ? (
        <p className="error" role="alert" data-testid="login-error">
          {error}
        </p>
      ) : null}
      <input type="hidden" name="next" value={next} />
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required defaultValue="demo@baton.dev" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={pending} data-testid="sign-in">
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  )
}
