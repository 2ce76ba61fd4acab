import { SessionActionForm } from '@/components/session-action-form'
import { SessionGuard } from '@/components/session-guard'
import { baton, env } from '@/lib/baton'
import { deviceLabel } from '@/lib/user-agent'
import { revokeDeviceAction, signOutEverywhereAction, signOutHereAction } from '../session-actions'

type Search = Promise<Record<string, string | string[] | undefined>>

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)

const NOTICES: Record<string, string> = {
  revoked: 'The device was signed out. It loses access at its next request.',
  not_found: 'That session no longer exists (it may have been signed out already).',
  bad_request: 'That request was not understood.',
}

/**
 * Without a trusted proxy, Baton records no IP: Next gives route handlers no socket address, and a
 * client's own X-Forwarded-For is forgeable. Said on the page, so that it does not look like a fault.
 */
const UNKNOWN_IP =
  env.trustProxy === 0
    ? 'not recorded (no trusted proxy: BATON_TRUST_PROXY is 0)'
    : 'unknown (the proxy sent no usable X-Forwarded-For)'

export default async function Devices({ searchParams }: { searchParams: Search }) {
  const session = await baton.requireSession({ strict: true, returnTo: '/devices' })
  const sessions = await baton.engine.listSessions({ subject: session.subject })
  const params = await searchParams
  const notice = params.revoked ? NOTICES.revoked : typeof params.error === 'string' ? NOTICES[params.error] : null
  return (
    <main>
      <SessionGuard />
      <div className="heading">
        <h1>Devices</h1>
        <SessionActionForm action={signOutEverywhereAction}>
          <button type="submit" className="danger" data-testid="sign-out-everywhere">
            Sign out everywhere
          </button>
        </SessionActionForm>
      </div>
      {notice ? (
        <p className={params.error ? 'error' : 'notice'} role="status">
          {notice}
        </p>
      ) : null}
      <ul className="devices" data-testid="devices">
        {sessions.map((s) => (
          <li key={s.id} className="card device" data-session-id={s.id} data-current={s.id === session.sessionId}>
            <div>
              <strong>{deviceLabel(s.userAgent)}</strong>
              {s.id === session.sessionId ? <span className="badge">This device</span> : null}
              <dl className="facts">
                <dt>IP</dt>
                <dd>{s.ip ?? UNKNOWN_IP}</dd>
                <dt>Signed in</dt>
                <dd>{time(s.createdAt)} UTC</dd>
                <dt>Last used</dt>
                <dd>{time(s.lastUsedAt)} UTC</dd>
                <dt>Session</dt>
                <dd>
                  <code>{s.id}</code>
                </dd>
              </dl>
            </div>
            {s.id === session.sessionId ? (
              <SessionActionForm action={signOutHereAction}>
                <button type="submit" className="secondary" data-testid="revoke">
                  Sign out
                </button>
              </SessionActionForm>
            ) : (
              // This browser stays signed in: the action's redirect may be a client-side navigation.
              <form action={revokeDeviceAction.bind(null, s.id)}>
                <button type="submit" className="secondary" data-testid="revoke">
                  Revoke
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </main>
  )
}
