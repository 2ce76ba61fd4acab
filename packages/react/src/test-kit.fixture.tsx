import type { ReactNode } from 'react'
import { useSession } from './use-session.js'

// The stand-in for `@baton/next`'s routes lives next to the client it serves.
export {
  type FakeServer,
  fakeLocks,
  fakeServer,
  PASSWORD,
  serverSession,
  USER,
} from '../../core/src/client/fake-server.fixture.js'

/** Every status a <Show> rendered, in order. */
export const rendered: string[] = []

/** Renders the session as text: `status|email|expiresAt|error code`. */
export function Show({ id = 'session' }: { id?: string }): ReactNode {
  const { status, user, expiresAt, error } = useSession()
  rendered.push(status)
  return <p data-testid={id}>{[status, String(user?.email ?? ''), expiresAt ?? '', error?.code ?? ''].join('|')}</p>
}
