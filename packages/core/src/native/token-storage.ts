/**
 * Where the native client keeps the refresh token between runs: Expo's
 * SecureStore, the Keychain, a file with the right permissions… Each method
 * may be synchronous or return a promise.
 *
 * ```ts
 * import * as SecureStore from 'expo-secure-store'
 * const tokenStorage: TokenStorage = {
 *   get: (key) => SecureStore.getItemAsync(key),
 *   set: (key, value) => SecureStore.setItemAsync(key, value),
 *   delete: (key) => SecureStore.deleteItemAsync(key),
 * }
 * ```
 */
export interface TokenStorage {
  /** The value saved under `key`, or null. */
  get(key: string): string | null | Promise<string | null>
  /** Saves `value` under `key`, replacing any earlier one; settles once it is saved. */
  set(key: string, value: string): void | Promise<void>
  /** Forgets `key`; no error when it is absent. */
  delete(key: string): void | Promise<void>
}

/**
 * A storage in process memory: the refresh token lasts as long as the
 * process (a CLI run, a test). The default of the native client.
 */
export function memoryTokenStorage(): TokenStorage {
  const values = new Map<string, string>()
  return {
    get: (key) => values.get(key) ?? null,
    set(key, value) {
      values.set(key, value)
    },
    delete(key) {
      values.delete(key)
    },
  }
}
