import type { AuthenticatedUser, Credentials, OidcOptions } from '@baton/core/server'
import { createBaton, verifyPassword } from '@baton/next'
import { openDemoDatabase } from './database'
import { DATA_DIR, readEnv } from './env'
import type { OidcDemoEnv } from './oidc-env'
import { demoSecret } from './secret'

/**
 * The demo's one Baton instance. Next.js evaluates this module once per
 * server bundle (proxy, route handlers, pages): those copies share state only
 * through the database, exactly like separate instances behind a load balancer.
 */
export const env = readEnv()
export const database = openDemoDatabase(env.database)

export const baton = createBaton({
  store: database.store,
  secret: demoSecret(env.secret, DATA_DIR),
  accessTokenTtl: env.accessTtl,
  refreshTokenTtl: env.refreshTtl,
  sessionTtl: Math.max(env.refreshTtl, 30 * 24 * 3600),
  reuseGrace: env.reuseGrace,
  // Strict checks read the store every time: a revoked device is out at its next navigation.
  revocationCacheTtl: 0,
  // Stateless checks (the default, as in /api/whoami) hear every revocation too: Postgres LISTEN/NOTIFY,
  // or a change check on the SQLite file. Until the feed has caught up, they read the store.
  revocations: database.revocations,
  // The demo is served over plain http on 127.0.0.1. Behind HTTPS, drop this line:
  // the default (Secure + __Host- in production) is what a real app wants.
  cookies: { secure: process.env.BATON_SECURE_COOKIES === 'true', hostPrefix: false },
  paths: { protected: ['/dashboard', '/devices', '/api/me', '/api/whoami'], signIn: '/login' },
  rateLimit: { limit: env.loginRateLimit },
  // Upstream mode: sign-in goes to the upstream API, whose tokens stay sealed in the store.
  upstream: env.upstreamUrl ? { url: env.upstreamUrl } : undefined,
  // OpenID Connect mode: sign-in at the provider named `oidc` (/api/auth/signin/oidc); its tokens stay
  // sealed in the store and `baton.upstream.getAccessToken` hands out its access token, refreshed once.
  oidc: env.oidc ? oidcOptions(env.oidc) : undefined,
  // Redirects (the provider's callback, the post-logout page) are built on this origin, never on `Host`.
  publicOrigin: env.oidc?.origin,
  // `next start` passes a client's X-Forwarded-For through unchanged, so it is trusted only when
  // BATON_TRUST_PROXY says how many proxies of yours append to it (0: no IP is recorded).
  trustProxy: env.trustProxy,
  // A React SPA on another origin of the same site (e.g. Vite on http://localhost:5173):
  // BATON_CORS_ORIGINS lists its origins, comma-separated. Off when unset.
  cors: process.env.BATON_CORS_ORIGINS
    ? { origins: process.env.BATON_CORS_ORIGINS.split(',').map((o) => o.trim()) }
    : undefined,
  // The app's own claim, recomputed at every sign-in, refresh and `baton.updateSession()`: a role
  // changed on the dashboard reaches this device at once and the user's other devices at their next
  // refresh. (The default claims are `{ user }`; keep the user snapshot alongside.)
  async claims(session) {
    return { user: session.user, role: await database.users.roleOf(session.subject) }
  },
  // Local mode (neither BATON_UPSTREAM_URL nor BATON_OIDC_ISSUER): the demo's own users table.
  // OIDC mode has no passwords here (POST /api/auth/login answers 400).
  authenticate: env.oidc ? undefined : authenticate,
})

async function authenticate(credentials: Credentials): Promise<AuthenticatedUser | null> {
  await database.ready
  const email = credentials.email?.trim().toLowerCase()
  const user = email ? await database.users.findByEmail(email) : null
  // Always verify (a null hash for unknown accounts): the same answer in the same time.
  const ok = await verifyPassword(credentials.password ?? '', user?.passwordHash ?? null)
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null
}

/** The one provider, `oidc`, from BATON_OIDC_* (see the README). */
function oidcOptions(oidc: OidcDemoEnv): OidcOptions {
  return {
    providers: {
      oidc: {
        issuer: oidc.issuer,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        clientAuth: oidc.clientAuth,
        scope: oidc.scope,
        authorizationParams: oidc.prompt ? { prompt: oidc.prompt } : undefined,
        label: oidc.label,
      },
    },
  }
}
