export type { CookieSettings } from '../cookies/cookie-settings.js'
export { createEdgeProxy, type EdgeProxyOptions } from './edge-proxy.js'
