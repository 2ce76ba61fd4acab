/** Per-request options, passed as `config.baton` on any axios call. */
export interface BatonRequestOptions {
  /** Send this request without the Bearer header. A 401 on it is final. */
  skipAuth?: boolean
  /** A 401 on this request is final: no refresh, no retry. Mark the refresh call itself with it. */
  skipRefresh?: boolean
}

declare module 'axios' {
  // biome-ignore lint/suspicious/noExplicitAny: an augmentation must repeat axios's own type parameters
  interface AxiosRequestConfig<D = any> {
    /** `@baton/axios` options for this request. */
    baton?: BatonRequestOptions
  }
}
