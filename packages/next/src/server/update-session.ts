import type { AuthServer, BatonSession } from '@baton/core/server'
import type { BatonServerHelpers } from '../baton-api.js'
import { setCookies } from './actions.js'
import { requestHeaders } from './next-headers.js'

/** Creates `updateSession()`: the server layer's update, its cookie set through Next's `cookies()`. */
export function createSessionUpdate(server: AuthServer): Pick<BatonServerHelpers, 'updateSession'> {
  return {
    async updateSession(): Promise<BatonSession | null> {
      const { session, cookies } = await server.updateSession({ request: { headers: await requestHeaders() } })
      await setCookies(cookies)
      return session
    },
  }
}
