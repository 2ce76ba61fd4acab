import type { ReactNode } from 'react'
import { clock } from './format.js'
import { Section } from './section.js'
import { type DeviceSession, useDevices } from './use-devices.js'

/** `Firefox 128 on Linux`-ish: the user agent's last product token and its platform, else the agent cut short. */
function deviceName(session: DeviceSession): string {
  const agent = session.userAgent ?? 'unknown agent'
  const platform = /\(([^;)]+)/.exec(agent)?.[1]
  const product = agent.match(/[A-Za-z]+\/[\d.]+/g)?.at(-1)
  return product && platform ? `${product} on ${platform}` : agent.slice(0, 48)
}

/** The device list: each session, this one marked, a Revoke button for the others, and a reload button. */
export function Devices({ basePath }: { basePath: string }): ReactNode {
  const { sessions, error, busy, reload, revoke } = useDevices(basePath)
  return (
    <Section title="Devices">
      <button type="button" onClick={reload} disabled={busy}>
        Reload devices
      </button>
      {error ? <p role="alert">Devices: {error}</p> : null}
      {sessions ? (
        <ul data-devices="">
          {sessions.map((session) => (
            <li key={session.id}>
              {deviceName(session)}
              {session.current ? ' (this device)' : ''} · {session.ip ?? 'no IP'} · used {clock(session.lastUsedAt)}{' '}
              {session.current ? null : (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => revoke(session.id)}
                  aria-label={`Revoke ${deviceName(session)}, session ${session.id}`}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  )
}
