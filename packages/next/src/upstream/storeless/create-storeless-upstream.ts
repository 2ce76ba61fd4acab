import {
  createStorelessUpstream as createStorelessServer,
  type StorelessUpstream,
  type StorelessUpstreamOptions,
} from '@baton/core/server'
import { nextFramework } from '../../server/next-framework.js'

/** Options of {@link createStorelessUpstream}: the server layer's, less `framework` (set here). */
export type { StorelessUpstreamOptions } from '@baton/core/server'
export {
  COOKIE_SEALING_LABEL,
  type StorelessSession,
  type StorelessUpstream,
  type UpstreamFetch,
} from '@baton/core/server'

/**
 * Upstream mode without a database: the upstream pair and the user live in
 * one sealed HttpOnly cookie (compact JWE, `dir` + `A256GCM`). The server
 * layer's storeless variant, bound to Next: `session()` without a request
 * reads `headers()`, and Next's `redirect()` passes through. Refreshes are
 * single-flighted in this process only — read "Storeless variant" in the
 * README for what that does not cover.
 */
export function createStorelessUpstream(options: Omit<StorelessUpstreamOptions, 'framework'>): StorelessUpstream {
  return createStorelessServer({ ...options, framework: nextFramework })
}
