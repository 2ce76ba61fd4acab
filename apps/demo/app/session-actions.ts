'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { baton, database } from '@/lib/baton'

const SIGNED_OUT = '/login?error=signed_out'

/**
 * Where the page goes next. A form posted without JavaScript is redirected; `SessionActionForm`
 * sends `leave=1` and gets the path back, to go there with a full page load (see there why).
 */
function goTo(form: FormData | undefined, path: string): string {
  if (form?.get('leave') !== '1') redirect(path)
  return path
}

/** Sign-out without JavaScript. */
export async function signOutAction(): Promise<void> {
  await baton.actions.signOut({ redirectTo: SIGNED_OUT })
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhereAction(form?: FormData): Promise<string> {
  await baton.actions.signOut({ everywhere: true })
  return goTo(form, SIGNED_OUT)
}

/** Signs this browser out, from the device list. */
export async function signOutHereAction(form?: FormData): Promise<string> {
  await baton.actions.signOut()
  return goTo(form, SIGNED_OUT)
}

/** Revokes one of the user's own sessions; revoking the current one signs this browser out. */
export async function revokeDeviceAction(sessionId: unknown): Promise<void> {
  const session = await baton.requireSession({ strict: true, returnTo: '/devices' })
  if (typeof sessionId !== 'string' || sessionId.length > 200) redirect('/devices?error=bad_request')
  if (sessionId === session.sessionId) {
    await baton.actions.signOut({ redirectTo: SIGNED_OUT })
    return
  }
  // `subject` makes this a no-op for anyone else's session.
  const revoked = await baton.engine.revokeSession({ sessionId, subject: session.subject, reason: 'revoked_by_user' })
  revalidatePath('/devices')
  redirect(revoked ? '/devices?revoked=1' : '/devices?error=not_found')
}

/**
 * Switches the user's role (reader ↔ editor) and re-issues this device's access token with it, without
 * a new sign-in: `baton.updateSession()` recomputes `claims`. The user's other devices get the new role
 * at their next refresh.
 */
export async function switchRoleAction(): Promise<void> {
  const session = await baton.requireSession({ strict: true, returnTo: '/dashboard' })
  await database.users.setRole(session.subject, session.claims.role === 'editor' ? 'reader' : 'editor')
  const updated = await baton.updateSession()
  redirect(updated ? '/dashboard' : SIGNED_OUT)
}
