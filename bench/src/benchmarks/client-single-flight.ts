/**
 * client-single-flight: 100 parallel requests whose access token has just
 * expired, through an axios instance with `@baton/axios`'s `withBaton`, to a
 * real HTTP API on 127.0.0.1 (a worker thread, so server and client do not
 * share an event loop). Every batch must make exactly one refresh, and the
 * batch must take no longer than the unavoidable sequence done by hand with
 * plain axios: 100 requests that get 401, one refresh, 100 retries with the
 * new token — i.e. all that `withBaton` adds on top of the two rounds of
 * requests is at most the one refresh round trip.
 */
import { Worker } from 'node:worker_threads'
import { withBaton } from '@baton/axios'
import axios from 'axios'
import { type BenchContext, median, type ResultRow } from '../harness.js'

const PARALLEL = 100
/** Server-side time of one refresh (a rotation's store write and signing, roughly). */
const REFRESH_DELAY_MS = 10

/** The API: `GET /data/:i` is 200 only for `Bearer <current>`; `POST /refresh` rotates; `POST /expire` changes the token behind the client's back. */
const SERVER = `
const { createServer } = require('node:http')
const { parentPort, workerData } = require('node:worker_threads')
let n = 0
let current = 't0'
let refreshes = 0
const send = (res, status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)) }
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/refresh') {
    refreshes++
    setTimeout(() => { current = 't' + ++n; send(res, 200, { accessToken: current }) }, workerData.delay)
  } else if (req.method === 'POST' && req.url === '/expire') {
    current = 'expired-' + ++n
    send(res, 200, { refreshes })
  } else if (req.method === 'GET' && req.url === '/stats') {
    send(res, 200, { refreshes, current })
  } else if (req.url.startsWith('/data/')) {
    if (req.headers.authorization === 'Bearer ' + current) send(res, 200, { id: req.url.slice(6) })
    else send(res, 401, { error: { code: 'ERR_ACCESS_TOKEN_EXPIRED', message: 'expired' } })
  } else send(res, 404, {})
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
`

export default async function clientSingleFlight(ctx: BenchContext): Promise<ResultRow[]> {
  const worker = new Worker(SERVER, { eval: true, workerData: { delay: REFRESH_DELAY_MS } })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    const url = `http://127.0.0.1:${port}`
    const plain = axios.create({ baseURL: url, validateStatus: () => true })
    const stats = async () => (await plain.get<{ refreshes: number; current: string }>('/stats')).data
    const expire = () => plain.post('/expire')

    // The client under test: its token holder starts stale each batch.
    let token = 'stale'
    const client = axios.create({ baseURL: url })
    withBaton(client, {
      getAccessToken: () => token,
      refresh: async () => {
        token = (await plain.post<{ accessToken: string }>('/refresh')).data.accessToken
        return token
      },
    })
    const paths = Array.from({ length: PARALLEL }, (_, i) => `/data/${i}`)

    const subjectBatch = async (): Promise<{ ms: number; refreshes: number }> => {
      await expire()
      const before = (await stats()).refreshes
      const started = performance.now()
      const responses = await Promise.all(paths.map((p) => client.get(p)))
      const ms = performance.now() - started
      if (responses.some((r) => r.status !== 200)) throw new Error('a request failed after the refresh')
      return { ms, refreshes: (await stats()).refreshes - before }
    }
    // The unavoidable sequence, by hand: every request meets its 401, one refresh, every request again.
    const idealBatch = async (): Promise<number> => {
      await expire()
      const stale = { headers: { authorization: 'Bearer stale' } }
      const started = performance.now()
      const first = await Promise.all(paths.map((p) => plain.get(p, stale)))
      if (first.some((r) => r.status !== 401)) throw new Error('ideal: expected 401s')
      const fresh = (await plain.post<{ accessToken: string }>('/refresh')).data.accessToken
      const again = await Promise.all(paths.map((p) => plain.get(p, { headers: { authorization: `Bearer ${fresh}` } })))
      if (again.some((r) => r.status !== 200)) throw new Error('ideal: retry failed')
      return performance.now() - started
    }
    const refreshRoundTrip = async (): Promise<number> => {
      const started = performance.now()
      await plain.post('/refresh')
      return performance.now() - started
    }

    for (let i = 0; i < 5; i++) {
      await subjectBatch()
      await idealBatch()
    }
    const rounds = ctx.quick ? 6 : 30
    const samples: { subject: number; ideal: number; refresh: number; refreshes: number }[] = []
    for (let i = 0; i < rounds; i++) {
      let subject: { ms: number; refreshes: number }
      let ideal: number
      if (i % 2 === 0) {
        subject = await subjectBatch()
        ideal = await idealBatch()
      } else {
        ideal = await idealBatch()
        subject = await subjectBatch()
      }
      samples.push({ subject: subject.ms, ideal, refresh: await refreshRoundTrip(), refreshes: subject.refreshes })
    }
    const refreshCounts = [...new Set(samples.map((s) => s.refreshes))]
    const exactlyOne = refreshCounts.length === 1 && refreshCounts[0] === 1
    const subjectMs = median(samples.map((s) => s.subject))
    const idealMs = median(samples.map((s) => s.ideal))
    const refreshMs = median(samples.map((s) => s.refresh))
    const ratios = samples.map((s) => s.ideal / s.subject)
    const ratio = Math.round(median(ratios) * 1000) / 1000
    // What withBaton adds on top of the two rounds of 100 requests (the by-hand sequence less its
    // refresh), per round, against one refresh round trip measured in the same round.
    const added = median(samples.map((s) => s.subject - (s.ideal - s.refresh)))
    const withinOneRefresh = added <= refreshMs
    ctx.log(
      `  100 × 401 through withBaton: ${subjectMs.toFixed(1)} ms; by hand: ${idealMs.toFixed(1)} ms; ` +
        `one refresh: ${refreshMs.toFixed(1)} ms; refreshes per batch: ${refreshCounts.join(', ')}`,
    )
    return [
      {
        id: 'client-single-flight',
        value: Math.round((1000 / subjectMs) * 10) / 10,
        unit: 'batches/s',
        baseline: 'by hand, plain axios: 100 × 401, one refresh, 100 retries',
        baselineValue: Math.round((1000 / idealMs) * 10) / 10,
        ratio,
        // The target is not a ratio: exactly one refresh per batch, and added latency ≤ one refresh round trip.
        pass: exactlyOne && withinOneRefresh,
        notes:
          `${PARALLEL} parallel GETs with an expired token per batch, server on 127.0.0.1 in a worker thread, ` +
          `refresh takes ${REFRESH_DELAY_MS} ms server-side; refreshes per batch: ${refreshCounts.join(', ')} ` +
          `(${exactlyOne ? 'exactly one every time' : 'NOT exactly one'}); median batch ${subjectMs.toFixed(1)} ms ` +
          `through withBaton vs ${idealMs.toFixed(1)} ms by hand; latency withBaton adds over the two rounds of ` +
          `requests ${added.toFixed(1)} ms (median per round) vs one refresh round trip ${refreshMs.toFixed(1)} ms ` +
          `(${withinOneRefresh ? 'within' : 'NOT within'}); ` +
          `per-round ratio ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)} over ${rounds} rounds`,
      },
    ]
  } finally {
    await worker.terminate()
  }
}
