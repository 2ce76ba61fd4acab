import type { NextConfig } from 'next'

const config: NextConfig = {
  // better-sqlite3 is a native addon: load it with Node's require, never bundle it.
  serverExternalPackages: ['better-sqlite3', 'pg'],
  // Benchmark code, typechecked by bench's tsc, not by next build.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
}

export default config
