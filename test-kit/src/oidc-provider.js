// A real OpenID provider (panva's oidc-provider 8) on 127.0.0.1 for relying-party tests, plus
// counters, fault injection and a way to drive its development sign-in pages. Types: ./oidc-provider.d.ts.
import { generateKeyPair, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { promisify } from 'node:util'
// @ts-expect-error oidc-provider 8 ships no type declarations (its instance is typed `any` here)
import Provider from 'oidc-provider'
import { freePort } from './free-port.js'
import { CookieJar } from './sign-in.js'

/** @typedef {import('./oidc-provider.js').OidcClientMetadata} OidcClientMetadata */
/** @typedef {import('./oidc-provider.js').OidcEvent} OidcEvent */

/** @type {typeof import('./oidc-provider.js').DEFAULT_OIDC_CLIENT} */
export const DEFAULT_OIDC_CLIENT = Object.freeze({
  client_id: 'baton-test',
  client_secret: 'baton-test-secret-0123456789abcdef0123456789',
  token_endpoint_auth_method: 'client_secret_basic',
})

/** The paths of the endpoints {@link failNext} can break (oidc-provider's default routes). */
const PATHS = /** @type {const} */ ({
  token: '/token',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  userinfo: '/me',
})

const DAY = 24 * 60 * 60
const capitalise = (/** @type {string} */ word) => word.charAt(0).toUpperCase() + word.slice(1)

/** @param {OidcClientMetadata} client @returns {OidcClientMetadata} */
const withDefaults = (client) => ({
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  ...client,
})

/** An RS256 signing key (a private JWK), new for each provider. */
async function signingKey() {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(6).toString('hex'), use: 'sig', alg: 'RS256' }
}

/** @type {typeof import('./oidc-provider.js').startOidcProvider} */
export async function startOidcProvider(options = {}) {
  const {
    redirectUris = ['http://127.0.0.1/callback'],
    postLogoutRedirectUris = [],
    accessTokenTtl = 60,
    refreshTokenTtl = 30 * DAY,
    introspection = true,
    rotateRefreshTokens = true,
  } = options
  const port = options.port ?? (await freePort())
  const issuer = `http://127.0.0.1:${port}`
  const clients = (
    options.clients ?? [
      {
        ...DEFAULT_OIDC_CLIENT,
        redirect_uris: [...redirectUris],
        post_logout_redirect_uris: [...postLogoutRedirectUris],
        ...(options.backchannelLogoutUri
          ? { backchannel_logout_uri: options.backchannelLogoutUri, backchannel_logout_session_required: true }
          : {}),
      },
    ]
  ).map(withDefaults)

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [await signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    /** @param {unknown} _ctx @param {string} sub */
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: capitalise(sub), email: `${sub}@example.com`, email_verified: true }),
    }),
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: introspection, allowedPolicy: async () => true },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
      // DPoP (RFC 9449) for clients that send proofs; Bearer stays allowed for the others.
      dPoP: { enabled: true },
    },
    pkce: { methods: ['S256'], required: () => true },
    rotateRefreshToken: rotateRefreshTokens,
    /** @param {unknown} _ctx @param {any} client @param {any} code */
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    clientBasedCORS: () => true,
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      RefreshToken: refreshTokenTtl,
      Grant: refreshTokenTtl,
      Session: DAY,
      Interaction: 60 * 60,
    },
  })

  const counts = { authorizationCode: 0, refreshToken: 0, revocation: 0, introspection: 0, injected: 0 }
  /** @type {OidcEvent[]} */
  const events = []
  /** @type {Map<string, { status: number, times: number }>} */
  const failures = new Map()

  provider.use(async (/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
    const endpoint = Object.entries(PATHS).find(([, path]) => path === ctx.path)?.[0]
    const failure = endpoint ? failures.get(endpoint) : undefined
    if (endpoint && failure && failure.times > 0) {
      failure.times -= 1
      counts.injected += 1
      ctx.status = failure.status
      ctx.set('cache-control', 'no-store')
      ctx.body = { error: 'temporarily_unavailable', error_description: `injected by failNext (${endpoint})` }
      return
    }
    await next()
    const grantType = ctx.oidc?.route === 'token' ? ctx.oidc.params?.grant_type : undefined
    if (grantType === 'authorization_code') counts.authorizationCode += 1
    else if (grantType === 'refresh_token') counts.refreshToken += 1
    else if (ctx.oidc?.route === 'revocation') counts.revocation += 1
    else if (ctx.oidc?.route === 'introspection') counts.introspection += 1
  })

  provider.on('grant.revoked', (/** @type {unknown} */ _ctx, /** @type {string} */ grantId) =>
    events.push({ type: 'grant.revoked', grantId }),
  )
  provider.on('refresh_token.consumed', (/** @type {any} */ token) =>
    events.push({ type: 'refresh_token.consumed', grantId: token.grantId, clientId: token.clientId }),
  )
  provider.on('grant.error', (/** @type {any} */ ctx, /** @type {any} */ error) => {
    const refreshToken = ctx.oidc?.entities?.RefreshToken
    const description = error.error_detail ?? error.error_description
    const base = { error: error.error, description, grantId: refreshToken?.grantId }
    events.push({ type: 'grant.error', ...base })
    if (description === 'refresh token already used') events.push({ type: 'refresh_token.reused', ...base })
  })
  // RP-initiated logout at /session/end: (ctx, client, sub, sid) or (ctx, error, client, sub, sid).
  /** @typedef {[unknown, { clientId: string }, string, string]} Sent */
  provider.on('backchannel.success', (/** @type {Sent} */ ...[, client, sub, sid]) =>
    events.push({ type: 'backchannel.success', clientId: client.clientId, sub, sid }),
  )
  /** @typedef {[unknown, Error, { clientId: string }, string, string]} Failed */
  provider.on('backchannel.error', (/** @type {Failed} */ ...[, error, client, sub, sid]) =>
    events.push({ type: 'backchannel.error', clientId: client.clientId, sub, sid, description: error.message }),
  )

  const server = createServer(provider.callback())
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve(null)))

  return {
    issuer,
    port,
    provider,
    clients,
    counts,
    events,
    failNext({ endpoint, status = 503, times = 1 }) {
      failures.set(endpoint, { status, times })
    },
    async backchannelLogout({ sub, sid, clientIds }) {
      const targets = clients.filter(
        (client) => client.backchannel_logout_uri && (!clientIds || clientIds.includes(client.client_id)),
      )
      return Promise.all(
        targets.map(async ({ client_id: clientId, backchannel_logout_uri: uri = '' }) => {
          const client = await provider.Client.find(clientId)
          try {
            await client.backchannelLogout(sub, sid)
            events.push({ type: 'backchannel.success', clientId, sub, sid })
            return { clientId, uri, ok: true }
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error)
            events.push({ type: 'backchannel.error', clientId, sub, sid, description: message })
            return { clientId, uri, ok: false, error: message }
          }
        }),
      )
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}

/** The page's text, without tags, for error messages. */
const textOf = (/** @type {string} */ html) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 600)

/** The first POST form of a dev-interactions page: its action and hidden fields. */
function formOf(/** @type {string} */ html) {
  const form = /<form\b[^>]*\baction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return undefined
  /** @type {Record<string, string>} */
  const fields = {}
  for (const [input] of (form[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1]
    if (name && /\btype="hidden"/i.test(input)) fields[name] = /\bvalue="([^"]*)"/.exec(input)?.[1] ?? ''
  }
  return { action: (form[1] ?? '').replaceAll('&amp;', '&'), fields }
}

/**
 * Plays the browser from `start`: follows redirects (cookies per host, `jar` for the provider's),
 * submits each form `fill` completes, until a redirect to `target` (a URL without query) or away.
 * @param {string} name @param {string} startUrl @param {string | null} target @param {CookieJar} jar
 * @param {(fields: URLSearchParams) => boolean} fill completes a form's fields; false: not expected
 * @param {(url: URL) => boolean} [doneAt] also done when a 200 page is at such a URL
 */
async function browse(name, startUrl, target, jar, fill, doneAt = () => false) {
  const start = new URL(startUrl)
  const isTarget = (/** @type {URL} */ url) =>
    target ? `${url.origin}${url.pathname}` === target.split('?')[0] : url.origin !== start.origin
  const jars = new Map([[start.host, jar]])
  let url = start
  /** @type {URLSearchParams | undefined} */
  let body
  for (let step = 0; step < 20; step++) {
    const hostJar = jars.get(url.host) ?? new CookieJar()
    jars.set(url.host, hostJar)
    const headers = new Headers({ accept: 'text/html' })
    if (hostJar.header()) headers.set('cookie', hostJar.header())
    const response = await fetch(url, { method: body ? 'POST' : 'GET', headers, body, redirect: 'manual' })
    hostJar.absorb(response)
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel()
      url = new URL(location, url)
      body = undefined
      if (isTarget(url)) return url
      continue
    }
    const html = await response.text()
    if (response.ok && doneAt(url)) return url
    const form = response.ok ? formOf(html) : undefined
    body = form && new URLSearchParams(form.fields)
    if (!form || !body || !fill(body)) throw new Error(`${name}: ${url} answered ${response.status}: ${textOf(html)}`)
    url = new URL(form.action, url)
  }
  throw new Error(`${name}: no redirect to the client after 20 steps (last: ${url})`)
}

/** @type {typeof import('./oidc-provider.js').signInAtProvider} */
export function signInAtProvider(authorizationUrl, { login = 'alice', password = 'any', jar = new CookieJar() } = {}) {
  const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri')
  return browse('signInAtProvider', authorizationUrl, redirectUri, jar, (fields) => {
    if (fields.get('prompt') === 'login') {
      fields.set('login', login)
      fields.set('password', password)
    }
    return fields.get('prompt') === 'login' || fields.get('prompt') === 'consent'
  })
}

/** @type {typeof import('./oidc-provider.js').signOutAtProvider} */
export function signOutAtProvider(endSessionUrl, { jar }) {
  const postLogoutUri = new URL(endSessionUrl).searchParams.get('post_logout_redirect_uri')
  const confirm = (/** @type {URLSearchParams} */ fields) => {
    fields.set('logout', 'yes')
    return fields.has('xsrf')
  }
  return browse('signOutAtProvider', endSessionUrl, postLogoutUri, jar, confirm, (url) =>
    url.pathname.endsWith('/session/end/success'),
  )
}
