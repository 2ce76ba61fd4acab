// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BatonProvider, useAuthNavigation } from './index.js'
import { fakeServer, Show, serverSession } from './test-kit.fixture.js'

// Server rendering (a client component rendered by a server component):
// the provider must render from `initialSession` alone and touch nothing —
// no request, no timer, no BroadcastChannel, no lock.

afterEach(() => {
  vi.restoreAllMocks()
})

function spyOnSideEffects() {
  return {
    setTimeout: vi.spyOn(globalThis, 'setTimeout'),
    setInterval: vi.spyOn(globalThis, 'setInterval'),
    broadcastChannel: vi.spyOn(globalThis, 'BroadcastChannel'),
    fetch: vi.spyOn(globalThis, 'fetch'),
  }
}

describe('renderToString', () => {
  it('renders the user from initialSession, authenticated, with no side effects', () => {
    const spies = spyOnSideEffects()
    const server = fakeServer({ signedIn: true })
    const expiresAt = Date.now() + 900_000
    const html = renderToString(
      <BatonProvider fetch={server.fetchFor('server')} initialSession={serverSession(expiresAt)}>
        <Show />
      </BatonProvider>,
    )
    expect(html).toContain(`authenticated|demo@baton.dev|${expiresAt}|`)
    expect(server.calls).toEqual([])
    for (const [name, spy] of Object.entries(spies)) expect(spy, name).not.toHaveBeenCalled()
  })

  it('renders loading without initialSession, and unauthenticated with null, still without side effects', () => {
    const spies = spyOnSideEffects()
    const server = fakeServer({ signedIn: true })
    expect(
      renderToString(
        <BatonProvider fetch={server.fetchFor('server')}>
          <Show />
        </BatonProvider>,
      ),
    ).toContain('loading|||')
    expect(
      renderToString(
        <BatonProvider fetch={server.fetchFor('server')} initialSession={null}>
          <Show />
        </BatonProvider>,
      ),
    ).toContain('unauthenticated|||')
    expect(server.calls).toEqual([])
    for (const [name, spy] of Object.entries(spies)) expect(spy, name).not.toHaveBeenCalled()
  })

  it('useAuthNavigation renders with no location and no side effects (it reads `location` only when leaving)', () => {
    expect(typeof location).toBe('undefined') // nor `addEventListener`: it would throw here
    const spies = spyOnSideEffects()
    const server = fakeServer({ signedIn: true })
    function Account() {
      const { signOut } = useAuthNavigation()
      return <button type="button">{typeof signOut}</button>
    }
    const html = renderToString(
      <BatonProvider fetch={server.fetchFor('server')} initialSession={serverSession(Date.now() + 900_000)}>
        <Account />
      </BatonProvider>,
    )
    expect(html).toContain('function')
    expect(server.calls).toEqual([])
    for (const [name, spy] of Object.entries(spies)) expect(spy, name).not.toHaveBeenCalled()
  })
})
