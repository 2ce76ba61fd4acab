import { join } from 'node:path'
import type { NextConfig } from 'next'

/** This app's own `next` (15.x), not the Next 16 that @baton/next's workspace folder holds for its tests. */
const NEXT_ROOT = join(process.cwd(), 'node_modules', 'next')

const config: NextConfig = {
  // better-sqlite3 is a native addon: load it with Node's require, never bundle it.
  serverExternalPackages: ['better-sqlite3'],
  // The fixture is checked by the test, not by next build.
  typescript: { ignoreBuildErrors: true },
  eslint: { ignoreDuringBuilds: true },
  poweredByHeader: false,
  webpack(webpackConfig: { resolve: { alias: Record<string, unknown> } }) {
    // A user's app has one `next`; the workspace link to @baton/next must resolve to the same one.
    webpackConfig.resolve.alias = { ...webpackConfig.resolve.alias, next: NEXT_ROOT }
    return webpackConfig
  },
}

export default config
