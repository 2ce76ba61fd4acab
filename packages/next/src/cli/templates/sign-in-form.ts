/** `app/login/sign-in-form.tsx`: a client form that signs in with `useAuthNavigation().signIn`. */
export function signInForm(): string {
  return `'use client'

import { BatonProvider, useAuthNavigation } from '@baton/react'
import { type FormEvent, useState } from 'react'

/**
 * The sign-in form. It brings its own session client (signed out: the page checked); once a
 * <BatonProvider> wraps your root layout, drop this one and render <Form> directly.
 */
export function SignInForm({ next }: { next: string }) {
  return (
    <BatonProvider initialSession={null}>
      <Form next={next} />
    </BatonProvider>
  )
}

function Form({ next }: { next: string }) {
  // signIn leaves for \`next\` with a full page load: no page cached while signed out is shown.
  const { signIn } = useAuthNavigation()
  const [error, setError] = useState<string | null>(null)
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
      setError(messageFor(failure))
    }
  }

  return (
    <form onSubmit={onSubmit}>
      {error ? <p role="alert">{error}</p> : null}
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  )
}

function messageFor(failure: unknown): string {
  const code = (failure as { code?: unknown } | null)?.code
  if (code === 'ERR_INVALID_CREDENTIALS') return 'Wrong email or password.'
  if (code === 'ERR_RATE_LIMITED') return 'Too many attempts: wait a minute and try again.'
  return 'Sign-in is unavailable right now: try again.'
}
`
}
