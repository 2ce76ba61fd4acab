#!/usr/bin/env node
// `npm run demo:oidc`: the demo in OpenID Connect mode against a local OpenID provider (test-kit's
// oidc-provider 8 with its development login pages), so it can be tried with no account anywhere.
// Expects the demo built (the root script builds it first). Ctrl-C stops both.
//
//   PORT                    the demo's port (default 3000); BATON_ORIGIN its public origin
//   OIDC_PROVIDER_PORT      the provider's port (default: a free one)
//   OIDC_ACCESS_TOKEN_TTL   the provider's access-token lifetime in seconds (default 60)
// Any other BATON_* variable (BATON_ACCESS_TTL, BATON_DATABASE_URL, …) passes through to the demo.
import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
// test-kit is a private workspace: imported by path, it resolves oidc-provider from its own node_modules.
import { DEFAULT_OIDC_CLIENT, startOidcProvider } from '../test-kit/src/oidc-provider.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DEMO = join(ROOT, 'apps', 'demo')
const port = Number(process.env.PORT || 3000)
const origin = new URL(process.env.BATON_ORIGIN || `http://127.0.0.1:${port}`).origin

const provider = await startOidcProvider({
  redirectUris: [`${origin}/api/auth/callback/oidc`],
  postLogoutRedirectUris: [`${origin}/login`],
  backchannelLogoutUri: `${origin}/api/auth/backchannel-logout/oidc`,
  accessTokenTtl: Number(process.env.OIDC_ACCESS_TOKEN_TTL || 60),
  ...(process.env.OIDC_PROVIDER_PORT ? { port: Number(process.env.OIDC_PROVIDER_PORT) } : {}),
})
console.log(`[demo:oidc] OpenID provider at ${provider.issuer} (client ${DEFAULT_OIDC_CLIENT.client_id})`)

const next = spawn(
  process.execPath,
  [
    join(DEMO, 'node_modules', 'next', 'dist', 'bin', 'next'),
    'start',
    '-H',
    process.env.HOST || '127.0.0.1',
    '-p',
    String(port),
  ],
  {
    cwd: DEMO,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      BATON_ORIGIN: origin,
      BATON_OIDC_ISSUER: provider.issuer,
      BATON_OIDC_CLIENT_ID: DEFAULT_OIDC_CLIENT.client_id,
      BATON_OIDC_CLIENT_SECRET: DEFAULT_OIDC_CLIENT.client_secret,
      // oidc-provider issues a refresh token (offline_access) only after an explicit consent.
      BATON_OIDC_PROMPT: process.env.BATON_OIDC_PROMPT || 'consent',
    },
  },
)

let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  if (next.exitCode === null) next.kill('SIGTERM')
  await provider.close().catch(() => undefined)
  process.exit(code)
}
process.on('SIGINT', () => stop(130))
process.on('SIGTERM', () => stop(143))
next.on('exit', (code) => stop(code ?? 1))

// Say where to go once the demo answers.
for (let i = 0; i < 120 && !stopping; i++) {
  const up = await fetch(`${origin}/login`, { redirect: 'manual' }).then(
    (r) => r.status < 500,
    () => false,
  )
  if (up) {
    console.log(`\n[demo:oidc] Open ${origin}/dashboard and choose "Sign in with ${new URL(provider.issuer).host}":`)
    console.log('[demo:oidc] at the provider, any login name is an account (any password), then consent.\n')
    break
  }
  await new Promise((r) => setTimeout(r, 500))
}
