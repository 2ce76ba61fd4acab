export type { CookieSettings } from '../cookies/cookie-settings.js'
export type { BatonSharedConfig } from '../shared-config.js'
export { createEdgeProxy, type EdgeProxyOptions } from './edge-proxy.js'
