'use client'

import { useAuthNavigation } from '@baton/react'
import { type FormEvent, useState } from 'react'

/**
 * Signs out through `@baton/react` (every tab follows) and leaves with a full
 * page load, so neither Next's router nor Back shows a signed-in page from
 * memory; without JavaScript the form posts to the server action instead.
 */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  const { signOut } = useAuthNavigation()
  const [pending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setPending(true)
    await signOut({ redirectTo: '/login' })
  }

  return (
    <form action={action} onSubmit={onSubmit}>
      <button type="submit" className="secondary" disabled={pending} data-testid="sign-out">
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </form>
  )
}
