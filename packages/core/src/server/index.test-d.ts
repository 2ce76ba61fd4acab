// Type tests of `@baton/core/server`'s public API (checked by `tsc -p tsconfig.test.json`).
import { describe, expectTypeOf, it } from 'vitest'
import type { SessionEngine, SessionInfo } from '../index.js'
import {
  type AuthServer,
  type BatonOptions,
  type BatonSession,
  type CookieInstruction,
  createAuthServer,
  createStorelessUpstream,
  type IssuedTokens,
  isTerminal,
  type StorelessUpstream,
  toSetCookie,
} from './index.js'

describe('@baton/core/server types', () => {
  it('createAuthServer takes one options object and returns the declared AuthServer', () => {
    expectTypeOf<Parameters<typeof createAuthServer>>().toEqualTypeOf<[options: BatonOptions]>()
    expectTypeOf(createAuthServer).returns.toEqualTypeOf<AuthServer>()
    expectTypeOf<AuthServer['engine']>().toEqualTypeOf<SessionEngine>()
    expectTypeOf<AuthServer['handle']>().toEqualTypeOf<(request: Request) => Promise<Response>>()
  })

  it('every operation returns data plus cookie instructions', () => {
    expectTypeOf<ReturnType<AuthServer['signIn']>>().toEqualTypeOf<Promise<IssuedTokens>>()
    expectTypeOf<IssuedTokens['cookies']>().toEqualTypeOf<CookieInstruction[]>()
    expectTypeOf<ReturnType<AuthServer['signOut']>>().toEqualTypeOf<
      Promise<{ revoked: number; cookies: CookieInstruction[] }>
    >()
    expectTypeOf<ReturnType<AuthServer['updateSession']>>().toEqualTypeOf<
      Promise<{ session: BatonSession | null; cookies: CookieInstruction[] }>
    >()
    expectTypeOf<ReturnType<AuthServer['session']>>().toEqualTypeOf<Promise<BatonSession | null>>()
    expectTypeOf<ReturnType<AuthServer['listSessions']>>().toEqualTypeOf<Promise<SessionInfo[]>>()
    expectTypeOf<ReturnType<AuthServer['cookiesAfter']>>().toEqualTypeOf<CookieInstruction[]>()
  })

  it('cookie instructions carry what a framework cookie API needs', () => {
    expectTypeOf<CookieInstruction>().toEqualTypeOf<{
      name: string
      value: string
      maxAge: number
      expires: number
      path: '/'
      httpOnly: true
      secure: boolean
      sameSite: 'lax' | 'strict'
    }>()
    expectTypeOf(toSetCookie).returns.toEqualTypeOf<string>()
    expectTypeOf(isTerminal).returns.toEqualTypeOf<boolean>()
  })

  it('the storeless variant has the same names for the same roles', () => {
    expectTypeOf(createStorelessUpstream).returns.toEqualTypeOf<StorelessUpstream>()
    expectTypeOf<keyof StorelessUpstream>().toEqualTypeOf<'handlers' | 'session' | 'withAuth' | 'withSession'>()
  })

  it('refuses options that are not one object', () => {
    // @ts-expect-error the options object is required
    createAuthServer()
  })
})
