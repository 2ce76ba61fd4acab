import type { BatonRequestOptions } from './request-options.js'

/**
 * What `withBaton` records on `config.baton` while a request is in its care.
 * axios copies `config.baton` as a plain object when the request is retried,
 * so this state travels with the retry (older axios versions drop symbol keys).
 */
export interface RequestState extends BatonRequestOptions {
  /** The Authorization value `withBaton` set (anything else is the caller's). */
  _auth?: string | null | undefined
  /** This request has had its one retry. */
  _retried?: boolean
  /** The token the retry goes out with: the one the refresh returned. */
  _token?: string
  /** The refresh this request waited for before it was sent. */
  _waited?: Promise<string>
}
