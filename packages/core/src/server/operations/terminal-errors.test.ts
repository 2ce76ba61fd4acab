import { describe, expect, it } from 'vitest'
import {
  BatonError,
  InternalError,
  RefreshRouteUnavailableError,
  RefreshTokenMissingError,
  SessionRevokedError,
  StoreUnavailableError,
  UpstreamSessionEndedError,
  UpstreamUnavailableError,
} from '../../index.js'
import { isTerminal } from './terminal-errors.js'

describe('isTerminal', () => {
  it('ends the session on a refusal, including a session the upstream ended', () => {
    expect(isTerminal(new RefreshTokenMissingError())).toBe(true)
    expect(isTerminal(new SessionRevokedError())).toBe(true)
    expect(isTerminal(new UpstreamSessionEndedError())).toBe(true)
    expect(isTerminal(new BatonError('ERR_UPSTREAM_SESSION_ENDED', 'from the refresh route', { status: 401 }))).toBe(
      true,
    )
  })

  it('keeps the session on an outage or an unexpected error', () => {
    for (const error of [
      new StoreUnavailableError(),
      new UpstreamUnavailableError(),
      new RefreshRouteUnavailableError(),
      new InternalError(),
      new Error('not Baton'),
    ]) {
      expect(isTerminal(error), String(error)).toBe(false)
    }
  })
})
