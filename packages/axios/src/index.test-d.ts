import type { BatonError } from '@baton/core/client'
import axios, { type AxiosError, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type AuthFailureError,
  type BatonRequestOptions,
  createRefresher,
  type Refresher,
  type RefreshFunction,
  type WithBatonOptions,
  withBaton,
} from './index.js'

const api = axios.create()
const getAccessToken = () => 'token'
const refresh = async () => 'token'

describe('public types of @baton/axios', () => {
  it('withBaton takes an instance and options, and returns an eject function', () => {
    expectTypeOf(withBaton).parameters.toEqualTypeOf<[typeof api, WithBatonOptions]>()
    expectTypeOf(withBaton).returns.toEqualTypeOf<() => void>()
  })

  it('pins the option types', () => {
    expectTypeOf<WithBatonOptions['getAccessToken']>().toEqualTypeOf<
      () => string | null | undefined | Promise<string | null | undefined>
    >()
    expectTypeOf<RefreshFunction>().toEqualTypeOf<(options: { cause: 'axios' }) => Promise<string | null | undefined>>()
    // A function without parameters still fits, and so does the session client's refresh.
    expectTypeOf<() => Promise<string | null>>().toExtend<RefreshFunction>()
    expectTypeOf<NonNullable<WithBatonOptions['onAuthFailure']>>().toEqualTypeOf<(error: AuthFailureError) => void>()
    expectTypeOf<NonNullable<WithBatonOptions['shouldRefresh']>>().toEqualTypeOf<(error: AxiosError) => boolean>()
    expectTypeOf<NonNullable<WithBatonOptions['skip']>>().toEqualTypeOf<
      (config: InternalAxiosRequestConfig) => boolean
    >()
  })

  it('accepts the getters of @baton/react (async, null when signed out) and sync ones', () => {
    const client = { getAccessToken: async (): Promise<string | null> => null, refresh: async () => null }
    withBaton(api, client)
    withBaton(api, { getAccessToken: () => undefined, refresh: async () => undefined, onAuthFailure: async () => {} })
    withBaton(api, { getAccessToken, refresher: createRefresher(refresh) })
  })

  it('needs exactly one of refresh and refresher', () => {
    // @ts-expect-error neither
    withBaton(api, { getAccessToken })
    // @ts-expect-error both
    withBaton(api, { getAccessToken, refresh, refresher: createRefresher(refresh) })
    // @ts-expect-error refresh must return a promise
    withBaton(api, { getAccessToken, refresh: () => 'token' })
  })

  it('createRefresher returns a shareable Refresher', () => {
    expectTypeOf(createRefresher).parameters.toEqualTypeOf<[RefreshFunction]>()
    expectTypeOf(createRefresher(refresh)).toEqualTypeOf<Refresher>()
    expectTypeOf<Refresher['refresh']>().toEqualTypeOf<() => Promise<string>>()
    expectTypeOf<Refresher['pending']>().toEqualTypeOf<Promise<string> | undefined>()
  })

  it('types config.baton on every axios call through module augmentation', () => {
    expectTypeOf<AxiosRequestConfig['baton']>().toEqualTypeOf<BatonRequestOptions | undefined>()
    expectTypeOf<InternalAxiosRequestConfig['baton']>().toEqualTypeOf<BatonRequestOptions | undefined>()
    expectTypeOf<BatonRequestOptions>().toEqualTypeOf<{ skipAuth?: boolean; skipRefresh?: boolean }>()
    api.get('/me', { baton: { skipAuth: true } })
    api.post('/auth/refresh', null, { baton: { skipRefresh: true } })
    // @ts-expect-error unknown option
    api.get('/me', { baton: { skipAll: true } })
  })

  it('AuthFailureError is a BatonError with its refresh error', () => {
    expectTypeOf<AuthFailureError>().toExtend<BatonError>()
    expectTypeOf<AuthFailureError['code']>().toEqualTypeOf<BatonError['code']>()
    expectTypeOf<AuthFailureError['refreshError']>().toBeUnknown()
  })
})
