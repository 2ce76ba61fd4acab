// The public types of @baton/react, checked by `tsc -p tsconfig.test.json` (the typecheck step).
import type { ReactNode } from 'react'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AuthClient,
  type AuthNavigation,
  type AuthState,
  BatonProvider,
  type BatonProviderProps,
  type ClientSession,
  createAuthClient,
  type UseSessionResult,
  useAuthNavigation,
  useBaton,
  useSession,
} from './index.js'

const session: ClientSession = { user: { id: 'u1' }, accessTokenExpiresAt: 0 }

describe('public types of @baton/react', () => {
  it('BatonProvider takes options, or a client with the server session — not a client and options', () => {
    expectTypeOf(BatonProvider).returns.toEqualTypeOf<ReactNode>()
    expectTypeOf<{ basePath: string; initialSession: null }>().toMatchTypeOf<BatonProviderProps>()
    expectTypeOf<{ client: AuthClient; initialSession: ClientSession | null }>().toMatchTypeOf<BatonProviderProps>()
    // A client's options are those it was made with: passing them beside it is a type error.
    expectTypeOf<{ client: AuthClient; basePath: string }>().not.toMatchTypeOf<BatonProviderProps>()
    expectTypeOf(createAuthClient).returns.toEqualTypeOf<AuthClient>()
    expectTypeOf(createAuthClient({ initialSession: session })).toEqualTypeOf<AuthClient>()
  })

  it('useSession narrows on status', () => {
    expectTypeOf(useSession).returns.toEqualTypeOf<UseSessionResult>()
    const result = {} as UseSessionResult
    if (result.status === 'authenticated') expectTypeOf(result.expiresAt).toEqualTypeOf<number>()
    if (result.status === 'error') expectTypeOf(result.error.code).toBeString()
    if (result.status === 'unauthenticated') expectTypeOf(result.user).toEqualTypeOf<null>()
    expectTypeOf(result.signIn).returns.toEqualTypeOf<Promise<AuthState>>()
    expectTypeOf(result.getAccessToken).returns.toEqualTypeOf<Promise<string | null>>()
  })

  it('useBaton and useAuthNavigation', () => {
    expectTypeOf(useBaton).returns.toEqualTypeOf<AuthClient>()
    expectTypeOf(useAuthNavigation).returns.toEqualTypeOf<AuthNavigation>()
    expectTypeOf<AuthNavigation['signOut']>().parameters.toEqualTypeOf<[{ redirectTo: string; everywhere?: boolean }]>()
  })
})
