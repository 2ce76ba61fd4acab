'use client'

import { useAuthNavigation } from '@baton/react'
import { type FormEvent, type ReactNode, useState } from 'react'

/**
 * A form for a server action that can end the session (sign out everywhere, revoke a device).
 * Without JavaScript it posts and the action redirects. With it, the action is told to return
 * where to go instead (`leave=1`), and the page goes there with a full page load: with Cache
 * Components, Next keeps up to three visited pages in the document across client-side
 * navigations (hidden, in React's `<Activity>`), so a redirect from the action would leave
 * the signed-in pages behind it — in the DOM, and on Back.
 */
export function SessionActionForm({
  action,
  children,
}: {
  action: (form: FormData) => Promise<string>
  children: ReactNode
}) {
  const { leave } = useAuthNavigation()
  const [pending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (pending) return
    const form = new FormData(event.currentTarget)
    form.set('leave', '1')
    setPending(true)
    try {
      leave(await action(form))
    } catch {
      // The action failed (say, the database is down): the page stays, and the form works again.
      setPending(false)
    }
  }

  // Posted to without JavaScript, the action redirects: its return value goes unused.
  const post = action as unknown as (form: FormData) => Promise<void>
  return (
    <form action={post} onSubmit={onSubmit} aria-busy={pending}>
      {children}
    </form>
  )
}
