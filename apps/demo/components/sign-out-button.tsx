'use client'

import { useSession } from '@baton/react'
import { useRouter } from 'next/navigation'
import { type FormEvent, useState } from 'react'

/**
 * Signs out through `@baton/react` (every tab follows); without JavaScript
 * the form posts to the server action instead.
 */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  const { signOut } = useSession()
  const router = useRouter()
  const [pending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setPending(true)
    await signOut()
    router.replace('/login')
  }

  return (
    <form action={action} onSubmit={onSubmit}>
      <button type="submit" className="secondary" disabled={pending} data-testid="sign-out">
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </form>
  )
}
