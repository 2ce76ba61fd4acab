import { BadRequestError, createSessionEngine, type SessionEngine } from '../index.js'
import type { AuthServer } from './auth-server.js'
import { createContext } from './context.js'
import { authenticateVerifier, type CredentialsVerifier } from './identity.js'
import { createOidcRuntime } from './oidc/oidc-runtime.js'
import { refresh } from './operations/refresh.js'
import {
  currentSession,
  currentSessionPayload,
  listSessions,
  publicKeys,
  revokeSession,
  verifiedSession,
} from './operations/session.js'
import { signIn } from './operations/sign-in.js'
import { signOut } from './operations/sign-out.js'
import { cookiesAfter } from './operations/terminal-errors.js'
import { updateSession } from './operations/update-session.js'
import type { BatonOptions, ResolvedBatonOptions } from './options.js'
import { resolveBatonOptions } from './resolve-options.js'
import { createRouter } from './router.js'
import { createUpstream } from './upstream/create-upstream.js'

type Authenticate = NonNullable<BatonOptions['authenticate']>

/** OIDC without `authenticate`: `POST /login` with a password is refused (400), sign-in goes through the provider. */
const passwordsOff: CredentialsVerifier = {
  async verify() {
    throw new BadRequestError('This app signs in through its OpenID provider: GET /api/auth/signin/{provider}.')
  },
}

/**
 * Creates Baton's server from one options object, validated here at startup.
 * Mount `handle` at `basePath` in any server that speaks `Request`/`Response`:
 *
 * ```ts
 * const auth = createAuthServer({ store, secret: process.env.BATON_SECRET!, authenticate })
 * Bun.serve({ fetch: (request) => auth.handle(request) })
 * ```
 */
export function createAuthServer(options: BatonOptions): AuthServer {
  const resolved: ResolvedBatonOptions = resolveBatonOptions(options)
  // The engine reads only its own options from the object.
  const engine: SessionEngine = createSessionEngine({ ...options, issuer: options.issuer ?? 'baton' })
  const upstream = createUpstream(engine, options.secret, options.upstream)
  const oidc = options.oidc ? createOidcRuntime(engine, options.secret, options.oidc) : undefined
  const ctx = createContext({
    engine,
    options: resolved,
    // Without upstream mode or OIDC, resolveBatonOptions has refused options lacking `authenticate`.
    credentials:
      upstream.identity?.verifier ??
      (options.authenticate ? authenticateVerifier(options.authenticate as Authenticate) : passwordsOff),
    keeper: upstream.identity?.keeper ?? oidc?.keeper,
    oidc,
    framework: options.framework,
  })
  return {
    engine,
    options: resolved,
    cookieNames: ctx.names,
    upstream: oidc?.api ?? upstream.api,
    oidc: {
      enabled: oidc !== undefined,
      providers: [...(oidc?.providers.values() ?? [])].map(({ name, label, issuer }) => ({
        name,
        label,
        issuer: issuer.href,
      })),
    },
    handle: createRouter(ctx),
    signIn: (input) => signIn(ctx, input),
    refresh: (input) => refresh(ctx, input),
    signOut: (input) => signOut(ctx, input),
    session: (input) => currentSession(ctx, input),
    verifyRequest: (input) => verifiedSession(ctx, input),
    sessionPayload: (input) => currentSessionPayload(ctx, input),
    listSessions: (input) => listSessions(ctx, input),
    revokeSession: (input) => revokeSession(ctx, input),
    updateSession: (input) => updateSession(ctx, input),
    jwks: () => publicKeys(ctx),
    cookiesAfter: (error) => cookiesAfter(error, ctx.clearCookies),
  }
}
