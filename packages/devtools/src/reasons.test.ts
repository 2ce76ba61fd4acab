import { describe, expect, it } from 'vitest'
import { causeText, lockText, resultText, signOutReason } from './reasons.js'

describe('signOutReason', () => {
  it.each([
    [
      'ERR_REFRESH_TOKEN_REUSED',
      'Signed out: the refresh token was used twice (a stolen copy, or a race without the lock), so the session was ended.',
    ],
    ['ERR_SESSION_REVOKED', 'Signed out: the session was revoked from another device.'],
    ['ERR_SESSION_EXPIRED', 'Signed out: the session expired.'],
    ['ERR_REFRESH_TOKEN_INVALID', 'Signed out: the refresh token is expired or unknown to the server.'],
    ['ERR_UPSTREAM_SESSION_ENDED', 'Signed out: the upstream (OpenID) provider ended the session.'],
    ['ERR_SOMETHING_NEW', 'Signed out: the server answered ERR_SOMETHING_NEW.'],
  ])('%s in this tab', (code, text) => {
    expect(signOutReason({ code })).toBe(text)
  })

  it('no code: signed out here, or no session on the server', () => {
    expect(signOutReason({})).toBe('Signed out by the app (signOut(), an idle timeout), or the server saw no session.')
  })

  it('from another tab, with and without the reason that tab knew', () => {
    expect(signOutReason({ from: 'tab', code: 'ERR_SESSION_REVOKED' })).toBe(
      'Another tab signed out: the session was revoked from another device.',
    )
    expect(signOutReason({ from: 'tab' })).toBe('Another tab signed out.')
    expect(signOutReason({ from: 'tab', code: 'ERR_SESSION_EXPIRED' }, 'tab 3f2a')).toBe(
      'Another tab (tab 3f2a) signed out: the session expired.',
    )
  })
})

describe('causes, locks and results', () => {
  it('every refresh cause has words', () => {
    const causes = [
      'timer',
      'focus',
      'online',
      'visibilitychange',
      'token',
      'session',
      'adopt',
      'retry',
      'call',
      'axios',
    ] as const
    const texts = causes.map(causeText)
    expect(new Set(texts).size).toBe(causes.length)
    expect(texts.every((text, i) => text.length > 0 && text !== causes[i])).toBe(true)
    expect(causeText('session')).toBe('GET /session answered 401 on load')
    expect(causeText(undefined)).toBe('')
  })

  it('locks and results', () => {
    expect(lockText('waited')).toBe('waited for another tab')
    expect(lockText('timeout')).toBe('lock wait timed out, refreshed anyway')
    expect(resultText({ type: 'refreshed', at: 1 })).toBe('ok')
    expect(resultText({ type: 'refreshed', at: 1, shared: true })).toBe("ok, another tab's session (no request)")
    expect(resultText({ type: 'refresh-failed', at: 1, code: 'ERR_NETWORK' })).toBe('failed: ERR_NETWORK')
  })
})
