import { ConfigError } from '../../verify.js'

/** Cookie names and attributes. */
export interface CookieSettings {
  /** Base name of the access-token cookie. Default `baton.at`. */
  accessName: string
  /** Base name of the refresh-token cookie. Default `baton.rt`. */
  refreshName: string
  /**
   * `Secure` attribute. Default: true when `NODE_ENV === 'production'`.
   * Set false only for plain-http development servers.
   */
  secure: boolean
  /** Prefix secure cookies with `__Host-` (no Domain, Path=/, Secure). Default: same as `secure`. */
  hostPrefix: boolean
  /** `lax` (default) or `strict`. `none` is refused: it would invite CSRF. */
  sameSite: 'lax' | 'strict'
}

/** RFC 6265 token characters; anything else could inject attributes into Set-Cookie. */
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/

/** The cookie names as sent, with `__Host-` applied. */
export interface CookieNames {
  access: string
  refresh: string
}

// Written out as `process.env.NODE_ENV` so bundlers (Next, Vite) inline it; guarded for runtimes without `process`.
declare const process: { env: Record<string, string | undefined> } | undefined

/** Applies defaults and refuses names or attributes that could break or inject into Set-Cookie. */
export function resolveCookieSettings(input: Partial<CookieSettings> = {}): CookieSettings {
  const secure = input.secure ?? (typeof process !== 'undefined' && process.env.NODE_ENV === 'production')
  const settings: CookieSettings = {
    accessName: input.accessName ?? 'baton.at',
    refreshName: input.refreshName ?? 'baton.rt',
    secure,
    hostPrefix: input.hostPrefix ?? secure,
    sameSite: input.sameSite ?? 'lax',
  }
  for (const name of [settings.accessName, settings.refreshName]) {
    if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
      throw new ConfigError(
        `Cookie name ${JSON.stringify(name)} must be 1-64 RFC 6265 token characters (no spaces, ";", "=", ",").`,
      )
    }
    if (/^__(host|secure)-/i.test(name))
      throw new ConfigError('Give cookie names without __Host-/__Secure-; Baton adds the prefix itself.')
  }
  if (settings.accessName === settings.refreshName)
    throw new ConfigError('The access and refresh cookies need different names.')
  if (settings.sameSite !== 'lax' && settings.sameSite !== 'strict')
    throw new ConfigError('`cookies.sameSite` must be "lax" or "strict".')
  if (settings.hostPrefix && !settings.secure) throw new ConfigError('The __Host- prefix needs `secure: true`.')
  return settings
}

/** The names cookies are set and read under. */
export function cookieNames(settings: CookieSettings): CookieNames {
  const prefix = settings.hostPrefix ? '__Host-' : ''
  return { access: prefix + settings.accessName, refresh: prefix + settings.refreshName }
}
