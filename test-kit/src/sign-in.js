/** @type {typeof import('./index.js').CookieJar} */
export class CookieJar {
  /** @type {Map<string, string>} */
  cookies = new Map()

  /** @param {Record<string, string>} [initial] */
  constructor(initial = {}) {
    for (const [name, value] of Object.entries(initial)) this.cookies.set(name, value)
  }

  /** @param {string} name */
  get(name) {
    return this.cookies.get(name)
  }

  /** @param {string} name @param {string} value */
  set(name, value) {
    this.cookies.set(name, value)
    return this
  }

  /** @param {Response | Headers | readonly string[]} from */
  absorb(from) {
    /** @type {readonly string[]} */
    const lines =
      from instanceof Response ? from.headers.getSetCookie() : from instanceof Headers ? from.getSetCookie() : from
    /** @type {Record<string, string>} */
    const set = {}
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      if (eq < 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attributes.some((attribute) => {
        const [key = '', raw = ''] = attribute.split('=').map((part) => part.trim())
        if (key.toLowerCase() === 'max-age') return Number(raw) <= 0
        if (key.toLowerCase() === 'expires') return Date.parse(raw) <= Date.now()
        return false
      })
      set[name] = expired ? '' : value
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return set
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  toJSON() {
    return Object.fromEntries(this.cookies)
  }
}

/**
 * POSTs JSON to `{base}{path}` the way the app's own pages do: same-origin `Origin`, the jar's
 * cookies, no redirects followed; absorbs what the answer sets and parses its body.
 * @param {{ base: string, path: string, jar: CookieJar, json?: unknown, origin?: string | undefined, headers?: Record<string, string> | undefined, fetch?: ((request: Request) => Promise<Response>) | undefined }} options
 */
async function post({ base, path, jar, json, origin, headers = {}, fetch = globalThis.fetch }) {
  const url = `${base.replace(/\/+$/, '')}${path}`
  const sent = new Headers(headers)
  if (!sent.has('origin')) sent.set('origin', origin ?? new URL(url).origin)
  const cookie = jar.header()
  if (cookie && !sent.has('cookie')) sent.set('cookie', cookie)
  if (json !== undefined) sent.set('content-type', 'application/json')
  const request = new Request(url, {
    method: 'POST',
    headers: sent,
    redirect: 'manual',
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  })
  const response = await fetch(request)
  const text = await response.text()
  /** @type {unknown} */
  let body = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: the text stays the body, for the error message
  }
  return { response, set: jar.absorb(response), body }
}

/** @param {unknown} body */
const tokenOf = (body) =>
  typeof body === 'object' && body !== null && 'accessToken' in body && typeof body.accessToken === 'string'
    ? body.accessToken
    : null

/** @type {typeof import('./index.js').signIn} */
export async function signIn({ base, credentials, jar = new CookieJar(), origin, headers, fetch }) {
  const { response, body } = await post({ base, path: '/login', jar, json: credentials, origin, headers, fetch })
  const accessToken = tokenOf(body)
  if (response.status !== 200 || !accessToken) {
    const shown = typeof body === 'string' ? body : JSON.stringify(body)
    throw new Error(`signIn: POST ${base}/login answered ${response.status}: ${shown.slice(0, 300)}`)
  }
  return { jar, accessToken, body: /** @type {any} */ (body), response }
}

/** @type {typeof import('./index.js').refresh} */
export async function refresh({ base, jar, origin, headers, fetch }) {
  const { response, set, body } = await post({ base, path: '/refresh', jar, origin, headers, fetch })
  return { status: response.status, accessToken: tokenOf(body), body, set, response }
}
