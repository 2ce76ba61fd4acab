'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { baton } from '@/lib/baton'

/** Sign-out without JavaScript. */
export async function signOutAction(): Promise<void> {
  await baton.actions.signOut({ redirectTo: '/login?error=signed_out' })
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  await baton.actions.signOut({ everywhere: true, redirectTo: '/login?error=signed_out' })
}

/** Revokes one of the user's own sessions; revoking the current one signs this browser out. */
export async function revokeDeviceAction(sessionId: unknown): Promise<void> {
  const session = await baton.requireSession({ strict: true, returnTo: '/devices' })
  if (typeof sessionId !== 'string' || sessionId.length > 200) redirect('/devices?error=bad_request')
  if (sessionId === session.sessionId) {
    await baton.actions.signOut({ redirectTo: '/login?error=signed_out' })
    return
  }
  // `subject` makes this a no-op for anyone else's session.
  const revoked = await baton.engine.revokeSession({ sessionId, subject: session.subject, reason: 'revoked_by_user' })
  revalidatePath('/devices')
  redirect(revoked ? '/devices?revoked=1' : '/devices?error=not_found')
}
