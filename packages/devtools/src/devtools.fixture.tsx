import type { AuthClient, AuthState } from '@baton/react'
import { BatonContext } from '@baton/react'
import { type RenderResult, render } from '@testing-library/react'
import type { ReactNode } from 'react'
import { type Mock, vi } from 'vitest'
import type { ClientEvent } from './contract.js'

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A compact JWT with these claims (the signature is filler: the panel never verifies). */
export function makeToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return `${b64url({ alg: 'EdDSA', kid: 'key-2026', typ: 'JWT', ...header })}.${b64url(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`
}

/** Looks like a refresh token; no panel may ever show one. */
export const REFRESH_LIKE = 'rt_5pV9qL2xZ8sK1mN4bC7dF0gH3jA6wE'

/** A fake client, its spied actions, and the controls a test drives it with. */
export interface FakeClient {
  client: AuthClient
  /** Every member that would act (none may be called by the panel). */
  actions: Record<'start' | 'signIn' | 'signOut' | 'refresh' | 'getAccessToken' | 'adopt', Mock>
  /** Sends an event to the panel, as the client would. */
  emit(event: Omit<ClientEvent, 'at'> & { at?: number }): void
  set(next: AuthState, nextToken?: string | null): void
  listenerCount(): number
}

/** A fake `AuthClient` with the contract the panel reads, and spies on every member that would act. */
export function fakeClient(options: { state?: AuthState; token?: string | null } = {}): FakeClient {
  let state: AuthState = options.state ?? {
    status: 'authenticated',
    user: { id: 'user-1', email: 'demo@baton.dev' },
    session: null,
    expiresAt: Date.now() + 300_000,
    error: null,
  }
  let token = options.token ?? null
  const listeners = new Set<() => void>()
  const eventListeners = new Set<(event: ClientEvent) => void>()
  const actions = {
    start: vi.fn(() => () => undefined),
    signIn: vi.fn(),
    signOut: vi.fn(),
    refresh: vi.fn(),
    getAccessToken: vi.fn(),
    adopt: vi.fn(),
  }
  const client = {
    ...actions,
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onEvent(listener: (event: ClientEvent) => void) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    peekAccessToken: vi.fn(() => token),
  }
  return {
    client: client as unknown as AuthClient,
    actions,
    emit(event: Omit<ClientEvent, 'at'> & { at?: number }): void {
      for (const listener of eventListeners) listener({ at: Date.now(), ...event })
    },
    set(next: AuthState, nextToken: string | null = token): void {
      state = next
      token = nextToken
      for (const listener of listeners) listener()
    },
    listenerCount: () => eventListeners.size,
  }
}

/** Renders `ui` inside a provider of `client` (the context directly: the fake is not started). */
export function renderWith(client: AuthClient, ui: ReactNode): RenderResult {
  return render(<BatonContext.Provider value={client}>{ui}</BatonContext.Provider>)
}
