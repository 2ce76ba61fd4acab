import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareHttp, type HttpSide, load } from './http-compare.js'
import { TokenPool, tokenSide } from './token-pool.js'

describe('TokenPool', () => {
  it('mints what is missing and comes back empty instead of throwing', async () => {
    let asked = 0
    const pool = new TokenPool(async (count) => {
      asked += count
      return Array.from({ length: count }, (_, i) => `t${asked - count + i}`)
    })
    expect(pool.take()).toBeUndefined()
    expect(pool.misses).toBe(1)
    await pool.ensure(3)
    await pool.ensure(2) // already there
    expect([pool.take(), pool.take()]).toEqual(['t0', 't1'])
    await pool.ensure(4) // one left: mints three
    expect(asked).toBe(6)
    expect([pool.available, pool.taken, pool.minted]).toEqual([4, 2, 6])
  })
})

/**
 * A server far faster than any guess: `POST /refresh` accepts each issued
 * token once (200) and answers 401 to anything else; `GET /plain` answers 200.
 */
describe('tokenSide against a fast server, from a tiny pool', () => {
  const issued = new Set<string>()
  const used = new Set<string>()
  let rejected = 0
  let server: Server
  let url = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/plain') return res.end('ok')
      const token = /rt=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? ''
      if (req.method === 'POST' && req.url === '/refresh' && issued.has(token) && !used.has(token)) {
        used.add(token)
        return res.end('rotated')
      }
      rejected++
      res.statusCode = 401
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const setup = (initialRate: number) => {
    const pool = new TokenPool(async (count) => {
      const tokens = Array.from({ length: count }, () => randomBytes(12).toString('base64url'))
      for (const token of tokens) issued.add(token)
      return tokens
    })
    const side = tokenSide({
      name: 'refresh',
      pool,
      options: { url, connections: 4 },
      initialRate,
      request: (request, token) => ({
        ...request,
        method: 'POST',
        path: '/refresh',
        headers: { cookie: `rt=${token}` },
      }),
      filler: (request) => ({ ...request, method: 'GET', path: '/plain' }),
    })
    return { pool, side }
  }

  it('mints more when the machine outruns the pool, never failing for it, each token used once', async () => {
    // Sized for 1 req/s: a pool of ~10 tokens for runs of 1 s, which this server empties at once.
    const { pool, side } = setup(1)
    const plain: HttpSide = { name: 'plain', options: { url: `${url}/plain`, connections: 4 } }
    const result = await compareHttp({
      subject: side,
      baseline: plain,
      rounds: 1,
      seconds: 1,
      warmupSeconds: 1,
      log: () => {},
    })

    expect(result.rounds).toHaveLength(1)
    expect(side.starvedRuns).toBeGreaterThan(0) // the pool did run dry…
    expect(pool.minted).toBeGreaterThan(100) // …and was refilled from the measured rate
    expect(rejected).toBe(0) // no token was presented twice, no request went without one
    // Up to one prepared request per connection and run is cancelled unsent.
    expect(used.size).toBeLessThanOrEqual(pool.taken)
    expect(used.size).toBeGreaterThanOrEqual(pool.taken - 4 * side.runs)
  })

  it('sizes an amount run from the amount, starting from an empty pool', async () => {
    const { pool, side } = setup(1)
    const run = await load(side, { amount: 200 })
    expect(run.requests.total).toBe(200)
    expect(side.starvedRuns).toBe(0)
    expect(pool.minted).toBe(204)
    expect(rejected).toBe(0)
  })
})
