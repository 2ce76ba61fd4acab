/**
 * `@baton/core/native`: the session client for apps without cookies — React
 * Native, Electron, CLIs — on Baton's token transport. Kept out of
 * `@baton/core/client` so browser bundles never carry it.
 */

export type {
  AuthClient,
  AuthClientEvent,
  AuthError,
  AuthState,
  ClientSession,
} from '../client/auth-types.js'
export { BatonError, type BatonErrorCode, isBatonError } from '../errors/base.js'
export { createAuthClient, type NativeAuthClient, type NativeAuthClientOptions } from './native-client.js'
export { memoryTokenStorage, type TokenStorage } from './token-storage.js'
export { type TokenTransport, type TokenTransportOptions, TRANSPORT_HEADER, tokenTransport } from './token-transport.js'
