// Type tests of @baton/core's public entries besides `./server` (which has its own): the root,
// `./verify`, `./client` and `./native` (checked by `tsc -p tsconfig.test.json`).
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AuthClient,
  type AuthClientOptions,
  type AuthState,
  createAuthClient as createBrowserClient,
} from './client/index.js'
import {
  type BatonErrorCode,
  CsrfError,
  createSessionEngine,
  type IssuedSession,
  type SessionEngine,
  type SessionEngineOptions,
  TransportRefusedError,
} from './index.js'
import {
  createAuthClient as createNativeClient,
  memoryTokenStorage,
  type NativeAuthClient,
  type NativeAuthClientOptions,
  type TokenStorage,
} from './native/index.js'
import { effectiveLeeway, seconds } from './verify.js'

describe('@baton/core', () => {
  it('createSessionEngine takes one options object and returns the declared engine', () => {
    expectTypeOf<Parameters<typeof createSessionEngine>>().toEqualTypeOf<[input: SessionEngineOptions]>()
    expectTypeOf(createSessionEngine).returns.toEqualTypeOf<SessionEngine>()
    expectTypeOf<ReturnType<SessionEngine['signIn']>>().toEqualTypeOf<Promise<IssuedSession>>()
  })

  it('each error class has its code static and on the instance, as in jose', () => {
    expectTypeOf(CsrfError.code).toEqualTypeOf<'ERR_CSRF'>()
    expectTypeOf<CsrfError['code']>().toEqualTypeOf<'ERR_CSRF'>()
    expectTypeOf(TransportRefusedError.code).toEqualTypeOf<'ERR_TRANSPORT_REFUSED'>()
    expectTypeOf<'ERR_TRANSPORT_REFUSED'>().toMatchTypeOf<BatonErrorCode>()
  })
})

describe('@baton/core/verify', () => {
  it('durations and the leeway rule take one options object, numbers in, numbers out', () => {
    expectTypeOf(effectiveLeeway).parameters.toEqualTypeOf<[{ leeway: number; ttl: number }]>()
    expectTypeOf(effectiveLeeway).returns.toEqualTypeOf<number>()
    expectTypeOf(seconds).returns.toEqualTypeOf<number>()
  })
})

describe('@baton/core/client and @baton/core/native', () => {
  it('the browser client: options object optional, declared AuthClient', () => {
    expectTypeOf<Parameters<typeof createBrowserClient>>().toEqualTypeOf<[options?: AuthClientOptions]>()
    expectTypeOf(createBrowserClient).returns.toEqualTypeOf<AuthClient>()
    expectTypeOf<ReturnType<AuthClient['getState']>>().toEqualTypeOf<AuthState>()
  })

  it('the native client takes a token storage and is an AuthClient too', () => {
    expectTypeOf<Parameters<typeof createNativeClient>>().toEqualTypeOf<[options: NativeAuthClientOptions]>()
    expectTypeOf(createNativeClient).returns.toEqualTypeOf<NativeAuthClient>()
    expectTypeOf<NativeAuthClient>().toMatchTypeOf<AuthClient>()
    expectTypeOf<NativeAuthClientOptions['tokenStorage']>().toEqualTypeOf<TokenStorage | undefined>()
    expectTypeOf(memoryTokenStorage).returns.toEqualTypeOf<TokenStorage>()
  })
})
