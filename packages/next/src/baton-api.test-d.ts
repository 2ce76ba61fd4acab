// The public types of @baton/next, checked by `tsc -p tsconfig.test.json` (the typecheck step):
// a change to what createBaton returns, or to a helper's signature, fails the build here.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SessionEngine } from '@baton/core'
import type { AuthServer } from '@baton/core/server'
import type { NextRequest } from 'next/server.js'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type Baton,
  type BatonActions,
  type BatonOptions,
  type BatonPagesHelpers,
  type BatonProxy,
  type BatonRouteHandlers,
  type BatonServerHelpers,
  type BatonSession,
  type CookieNames,
  createBaton,
  type SignInResult,
  type StorelessSession,
  type StorelessUpstream,
  type UpstreamFetch,
} from './index.js'

describe('public types of @baton/next', () => {
  it('createBaton takes one options object and returns the declared Baton', () => {
    expectTypeOf(createBaton).parameters.toEqualTypeOf<[BatonOptions]>()
    expectTypeOf(createBaton).returns.toEqualTypeOf<Baton>()
  })

  it('Baton holds every binding under its declared name', () => {
    expectTypeOf<Baton['engine']>().toEqualTypeOf<SessionEngine>()
    expectTypeOf<Baton['cookieNames']>().toEqualTypeOf<CookieNames>()
    expectTypeOf<Baton['handlers']>().toEqualTypeOf<BatonRouteHandlers>()
    expectTypeOf<Baton['proxy']>().toEqualTypeOf<BatonProxy>()
    expectTypeOf<Baton['actions']>().toEqualTypeOf<BatonActions>()
    expectTypeOf<Baton['pages']>().toEqualTypeOf<BatonPagesHelpers>()
    expectTypeOf<Baton>().toMatchTypeOf<BatonServerHelpers>()
    expectTypeOf<Baton['server']>().toEqualTypeOf<AuthServer>()
    expectTypeOf<keyof Baton>().toEqualTypeOf<
      | 'server'
      | 'engine'
      | 'options'
      | 'cookieNames'
      | 'handlers'
      | 'proxy'
      | 'actions'
      | 'pages'
      | 'upstream'
      | 'oidc'
      | 'session'
      | 'requireSession'
      | 'updateSession'
      | 'withAuth'
      | 'cors'
      | 'preflight'
    >()
  })

  it('the storeless variant uses the same names for the same roles', () => {
    expectTypeOf<keyof StorelessUpstream>().toEqualTypeOf<'handlers' | 'session' | 'withAuth' | 'withSession'>()
    expectTypeOf<StorelessUpstream['handlers']['POST']>().toEqualTypeOf<BatonRouteHandlers['POST']>()
    const storeless = {} as StorelessUpstream
    storeless.withAuth(async (_request, context) => {
      expectTypeOf(context.auth).toEqualTypeOf<StorelessSession>()
      expectTypeOf(context.upstream).toEqualTypeOf<UpstreamFetch>()
      return Response.json({})
    })
  })

  it('route handlers and the proxy are Web-standard', () => {
    expectTypeOf<BatonRouteHandlers['GET']>().toEqualTypeOf<(request: Request) => Promise<Response>>()
    expectTypeOf<keyof BatonRouteHandlers>().toEqualTypeOf<'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH' | 'OPTIONS'>()
    expectTypeOf<BatonProxy>().toEqualTypeOf<(request: NextRequest) => Promise<Response>>()
  })

  it('session helpers', () => {
    expectTypeOf<Baton['session']>().returns.toEqualTypeOf<Promise<BatonSession | null>>()
    expectTypeOf<Baton['requireSession']>().returns.toEqualTypeOf<Promise<BatonSession>>()
    expectTypeOf<Baton['updateSession']>().toEqualTypeOf<() => Promise<BatonSession | null>>()
    const baton = {} as Baton
    const handler = baton.withAuth<{ params: Promise<{ id: string }> }>(async (_request, context) => {
      expectTypeOf(context.auth).toEqualTypeOf<BatonSession>()
      expectTypeOf(context.params).toEqualTypeOf<Promise<{ id: string }>>()
      return Response.json({})
    })
    expectTypeOf(handler).toEqualTypeOf<
      (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>
    >()
    expectTypeOf(baton.cors(handler)).toEqualTypeOf<
      (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>
    >()
  })

  it('actions and Pages Router helpers', () => {
    expectTypeOf<BatonActions['signIn']>().returns.toEqualTypeOf<Promise<SignInResult>>()
    expectTypeOf<BatonActions['signOut']>().returns.toEqualTypeOf<Promise<{ revoked: number }>>()
    expectTypeOf<BatonPagesHelpers['getSession']>().parameters.toEqualTypeOf<
      [{ req: IncomingMessage; res: ServerResponse }]
    >()
  })
})
