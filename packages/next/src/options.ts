import type { BatonOptions as ServerOptions } from '@baton/core/server'
import type { BatonSharedConfig } from './shared-config.js'

export type { AuthenticatedUser, Credentials, PathRule, ResolvedBatonOptions } from '@baton/core/server'

/**
 * Options of {@link createBaton}: those of `@baton/core/server`'s
 * `createAuthServer`, less `framework` (the binding sets it), plus the
 * proxy's `devtools`. Every duration is in seconds (fractions allowed).
 */
export type BatonOptions = Omit<ServerOptions, 'framework'> & Pick<BatonSharedConfig, 'devtools'>
