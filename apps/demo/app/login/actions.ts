'use server'

import { redirect } from 'next/navigation'
import { baton } from '@/lib/baton'

/** Sign-in without JavaScript: a plain form post. */
export async function signInAction(form: FormData): Promise<void> {
  const result = await baton.actions.signIn(form, { redirectTo: form.get('next') })
  if (!result.ok) {
    const next = typeof form.get('next') === 'string' ? String(form.get('next')) : '/dashboard'
    redirect(`/login?error=${encodeURIComponent(result.error.code)}&next=${encodeURIComponent(next)}`)
  }
  redirect('/dashboard')
}
