import { baton, env } from './baton'

/** Discovery's answer, once per process (retried after a failure). */
let endpoint: Promise<string> | null = null

/** A provider call that failed: the route answers 502 with this. */
export class UserinfoError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
    this.name = 'UserinfoError'
  }
}

function userinfoEndpoint(issuer: string): Promise<string> {
  endpoint ??= (async () => {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) })
    if (!response.ok) throw new UserinfoError(`discovery answered ${response.status}`, response.status)
    const { userinfo_endpoint: found } = (await response.json()) as { userinfo_endpoint?: unknown }
    if (typeof found !== 'string') throw new UserinfoError('the provider has no userinfo_endpoint', null)
    return found
  })().catch((error: unknown) => {
    endpoint = null
    throw error
  })
  return endpoint
}

/**
 * The provider's userinfo for a signed-in session, called with the provider's access token
 * (`baton.upstream.getAccessToken`: refreshed once per expiry across requests, tabs and
 * instances). A 401 from the provider asks Baton for a newer token once.
 * @throws BatonErrors from `getAccessToken` (withAuth answers them), `UserinfoError` otherwise
 */
export async function fetchUserinfo(session: { sessionId: string }): Promise<Record<string, unknown>> {
  if (!env.oidc) throw new Error('OIDC mode is off (BATON_OIDC_ISSUER is unset).')
  const url = await userinfoEndpoint(env.oidc.issuer)
  let token = await baton.upstream.getAccessToken(session)
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(5_000),
    })
    if (response.status === 401 && attempt === 0) {
      await response.body?.cancel()
      token = await baton.upstream.getAccessToken(session, { rejected: token })
      continue
    }
    if (!response.ok) throw new UserinfoError(`userinfo answered ${response.status}`, response.status)
    return (await response.json()) as Record<string, unknown>
  }
}
