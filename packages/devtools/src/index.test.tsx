import { cleanup, screen } from '@testing-library/react'
import { afterEach, expect, it, vi } from 'vitest'

afterEach(() => {
  cleanup()
  vi.unstubAllEnvs()
})

/**
 * An entry imported fresh under this NODE_ENV (the default entry chooses when
 * imported, as a bundler decides when it builds), with a fixture from the same
 * fresh module graph (one BatonContext).
 */
async function fresh(entry: './index.js' | './production.js', env: string) {
  vi.stubEnv('NODE_ENV', env)
  vi.resetModules()
  const { BatonDevtools } = await import(entry)
  const { fakeClient, renderWith } = await import('./devtools.fixture.js')
  return { BatonDevtools, fake: fakeClient(), renderWith }
}

it.each(['production', 'test'])(
  'NODE_ENV=%s: @baton/devtools renders nothing and subscribes to nothing',
  async (env) => {
    const { BatonDevtools, fake, renderWith } = await fresh('./index.js', env)
    const { container } = renderWith(fake.client, <BatonDevtools initialIsOpen />)
    expect(container.innerHTML).toBe('')
    expect(fake.listenerCount()).toBe(0)
  },
)

it('NODE_ENV=development: @baton/devtools is the panel', async () => {
  const { BatonDevtools, fake, renderWith } = await fresh('./index.js', 'development')
  const { container } = renderWith(fake.client, <BatonDevtools />)
  expect(container.querySelector('[data-baton-devtools]')).not.toBeNull()
  expect(screen.getByRole('button', { name: 'Baton' })).toBeTruthy()
  expect(fake.listenerCount()).toBe(1)
})

it('@baton/devtools/production is the panel whatever NODE_ENV says', async () => {
  const { BatonDevtools, fake, renderWith } = await fresh('./production.js', 'production')
  renderWith(fake.client, <BatonDevtools />)
  expect(screen.getByRole('button', { name: 'Baton' }).getAttribute('aria-expanded')).toBe('false')
  expect(fake.listenerCount()).toBe(1)
})
