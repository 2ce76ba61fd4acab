export type { CookieSettings } from '@baton/core/server/edge'
export type { BatonSharedConfig } from '../shared-config.js'
export { createEdgeProxy, type EdgeProxyOptions } from './edge-proxy.js'
