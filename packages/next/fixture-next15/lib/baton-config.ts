import type { BatonSharedConfig } from '@baton/next/edge'

/**
 * What the routes (`lib/baton.ts`) and the Edge middleware both read: one
 * object, so they cannot disagree on cookie names. Plain http on 127.0.0.1,
 * hence `secure: false` (no `__Host-` prefix either) — the README's advice,
 * applied to both sides at once. No store, no Node import: the Edge loads it.
 */
export const batonConfig = {
  secret: process.env.BATON_SECRET ?? 'fixture-development-secret-0123456789abcdef',
  cookies: { secure: false },
  paths: { protected: ['/dashboard', '/api/me'] },
} satisfies BatonSharedConfig
