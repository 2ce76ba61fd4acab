export { AuthFailureError } from './auth-failure-error.js'
export { createRefresher, type Refresher, type RefreshFunction } from './refresher.js'
export type { BatonRequestOptions } from './request-options.js'
export { type WithBatonOptions, withBaton } from './with-baton.js'
