import type { NextConfig } from 'next'

const config: NextConfig = {
  // Native and Node-only drivers: loaded with Node's require, never bundled.
  serverExternalPackages: ['better-sqlite3', 'pg'],
  // `pnpm typecheck` checks the app; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Next 16's setup for new apps: the session is read at request time, so pages stream it in
  // (or block on it, `instant = false`) — see app/layout.tsx.
  cacheComponents: true,
  partialPrefetching: true,
  // One directory up is the monorepo: trace files from there.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
}

export default config
