'use client'

export type {
  AuthClient,
  AuthClientEvent,
  AuthClientOptions,
  AuthError,
  AuthState,
  ClientSession,
  RefreshCause,
  TabLock,
} from '@baton/core/client'
export { createAuthClient } from '@baton/core/client'
export { BatonContext, BatonProvider, type BatonProviderProps } from './baton-provider.js'
export { type AuthNavigation, type AuthNavigationOptions, useAuthNavigation } from './use-auth-navigation.js'
export { type UseSessionResult, useBaton, useSession } from './use-session.js'
