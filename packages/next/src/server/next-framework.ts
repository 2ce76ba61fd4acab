import type { FrameworkHooks } from '@baton/core/server'
import { beforeClock, requestHeaders } from './next-headers.js'
import { nextSignal } from './next-signals.js'

/** What the server layer must know of Next: its control-flow errors, Cache Components' clock rule, `headers()`. */
export const nextFramework: FrameworkHooks = {
  controlFlow: nextSignal,
  beforeClock,
  requestHeaders,
}
