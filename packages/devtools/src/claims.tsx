import { type ReactNode, useMemo, useSyncExternalStore } from 'react'
import type { ObservedClient } from './contract.js'
import { decodeToken } from './decode-token.js'
import { clock } from './format.js'
import { Facts, Section } from './section.js'

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time'])

function claimText(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') return `${value} (${clock(value * 1000)})`
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The access token's header `alg`/`kid` and its claims, decoded from the
 * client's in-memory token. The token itself is never rendered.
 */
export function Claims({ client }: { client: ObservedClient }): ReactNode {
  const peek = (): string | null => client.peekAccessToken?.() ?? null
  const token = useSyncExternalStore(client.subscribe, peek, peek)
  const decoded = useMemo(() => decodeToken(token), [token])
  let body: ReactNode
  if (!client.peekAccessToken) body = <p>This client has no peekAccessToken(): update @baton/core.</p>
  else if (!decoded) body = <p>{token ? 'The access token is not a JWT.' : 'No access token in memory.'}</p>
  else {
    const claims = Object.entries(decoded.claims).map(([name, value]) => [name, claimText(name, value)] as const)
    body = <Facts rows={[['alg (header)', decoded.alg ?? '—'], ['kid (header)', decoded.kid ?? '—'], ...claims]} />
  }
  return <Section title="Access token">{body}</Section>
}
