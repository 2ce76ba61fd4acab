import { useBaton } from '@baton/react'
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react'
import { Claims } from './claims.js'
import type { ObservedClient } from './contract.js'
import { Devices } from './devices.js'
import { LastSignOut } from './last-sign-out.js'
import { SessionTimes } from './session-times.js'
import { CSS, type DevtoolsPosition, ROOT_ATTRIBUTE, rootStyle } from './styles.js'
import { newTabIdentity } from './tab-channel.js'
import { Timeline } from './timeline.js'
import { useDevtoolsEvents } from './use-devtools-events.js'

/** Props of `<BatonDevtools />`. */
export interface BatonDevtoolsProps {
  /** Open on first render. Default false: only the toggle shows. */
  initialIsOpen?: boolean
  /** Corner of the toggle and panel. Default `bottom-right`. */
  position?: DevtoolsPosition
  /** Where `@baton/next`'s routes are mounted (for the device list). Default `/api/auth`. */
  basePath?: string
}

const noSubscribe = (): (() => void) => () => undefined

/**
 * The devtools panel for the nearest `<BatonProvider>`: a toggle button and
 * a non-modal dialog. It only listens: it never refreshes, signs in or out,
 * or changes the client; its only requests are the device list's. Renders
 * nothing on the server (the first client render matches).
 */
export function BatonDevtoolsPanel({
  initialIsOpen = false,
  position = 'bottom-right',
  basePath = '/api/auth',
}: BatonDevtoolsProps): ReactNode {
  const client = useBaton() as ObservedClient
  const [tab] = useState(newTabIdentity)
  const timeline = useDevtoolsEvents({ client, tab })
  const [open, setOpen] = useState(initialIsOpen)
  const mounted = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  )
  const toggle = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLElement>(null)
  const focusPanel = useRef(false)
  const panelId = useId()
  // Opened with the toggle: focus moves into the panel (only then, never taken back later).
  useEffect(() => {
    if (open && focusPanel.current) panel.current?.focus()
    focusPanel.current = false
  }, [open])
  if (!mounted) return null

  const close = (): void => {
    setOpen(false)
    toggle.current?.focus()
  }
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation()
      close()
    }
  }
  const root = { [ROOT_ATTRIBUTE]: '', className: 'bdt', style: rootStyle(position), onKeyDown }
  return (
    <div {...root}>
      <style>{CSS}</style>
      <section
        id={panelId}
        className="bdt-panel"
        role="dialog"
        aria-modal="false"
        aria-label="Baton devtools"
        hidden={!open}
        tabIndex={-1}
        ref={panel}
      >
        {open ? (
          <>
            <div className="bdt-head">
              <h2>Baton devtools · this is {tab.label}</h2>
              <button type="button" onClick={close} aria-label="Close Baton devtools">
                ×
              </button>
            </div>
            <LastSignOut entry={timeline.lastSignOut} entries={timeline.entries} tab={tab.id} />
            <SessionTimes client={client} />
            <Claims client={client} />
            <Timeline entries={timeline.entries} tab={tab.id} />
            <Devices basePath={basePath} />
          </>
        ) : null}
      </section>
      <button
        ref={toggle}
        type="button"
        className="bdt-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          focusPanel.current = !open
          setOpen(!open)
        }}
      >
        Baton
      </button>
    </div>
  )
}
