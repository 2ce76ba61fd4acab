/**
 * Where a `next start` request's time goes: runs bench/next-app under the V8
 * profiler (`--cpu-prof`), loads one path for a few seconds with autocannon,
 * stops the server (which writes the profile) and prints the functions with
 * the most self time, Baton's own marked. Not part of `pnpm bench`.
 *
 *   pnpm --filter bench run profile /dashboard          # through Baton's proxy
 *   pnpm --filter bench run profile /plain              # the same page, no-op proxy
 *   pnpm --filter bench run profile refresh             # POST /api/auth/refresh, fresh token each
 *
 * With PROFILE_KEEP=1 the .cpuprofile files are kept (their folder is printed) for DevTools or
 * further analysis; PROFILE_SOURCES=1 adds self time by source file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { ACCESS_COOKIE, REFRESH_COOKIE, signInSessions } from './lib/app-sessions.js'
import { newSecret, startNextApp } from './lib/next-app.js'

const target = process.argv[2] ?? '/dashboard'
const seconds = Number(process.argv[3] ?? 8)
const dir = mkdtempSync(join(tmpdir(), 'baton-profile-'))
const profDir = join(dir, 'prof')
const db = join(dir, 'app.db')
const secret = newSecret()
const sessions = await signInSessions(db, secret, target === 'refresh' ? 5_000 : 1)
const first = sessions[0]
if (!first) throw new Error('no session')
const app = await startNextApp({
  db,
  secret,
  readyPath: '/api/plain',
  log: console.error,
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
})
// However the load ends, the server stops (and writes its profile).
try {
  let next = 0
  const options: autocannon.Options =
    target === 'refresh'
      ? {
          url: app.origin,
          connections: 10,
          duration: seconds,
          requests: [
            {
              method: 'POST',
              path: '/api/auth/refresh',
              headers: { origin: app.origin },
              setupRequest: (r) => ({
                ...r,
                headers: { ...r.headers, cookie: `${REFRESH_COOKIE}=${sessions[next++]?.refreshToken}` },
              }),
            },
          ],
        }
      : {
          url: `${app.origin}${target}`,
          connections: 10,
          duration: seconds,
          headers: { cookie: `${ACCESS_COOKIE}=${first.accessToken}; ${REFRESH_COOKIE}=${first.refreshToken}` },
        }
  const result = await autocannon(options)
  console.error(`${target}: ${Math.round(result.requests.total / result.duration)} req/s, non-2xx ${result.non2xx}`)
} finally {
  await app.stop()
}

// The server process with the most samples is the one that served (next start forks a worker).
interface Frame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}
const profiles = readdirSync(profDir).map((f) => JSON.parse(readFileSync(join(profDir, f), 'utf8')))
const profile = profiles.sort((a, b) => b.samples.length - a.samples.length)[0]
const byId = new Map<number, { callFrame: Frame }>(profile.nodes.map((n: { id: number }) => [n.id, n]))

// Server chunks are bundled and minified: map each frame back to its source file through the chunk's source map.
const maps = new Map<string, SourceMap | null>()
function origin(frame: Frame): string {
  if (!frame.url.startsWith('file://')) return frame.url === '' ? `(${frame.functionName || 'native'})` : frame.url
  const file = fileURLToPath(frame.url)
  let map = maps.get(file)
  if (map === undefined) {
    map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null
    maps.set(file, map)
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined
  return (entry?.originalSource ?? file).replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '')
}
/** A source file's bucket: Baton's packages by file, others by package. */
function bucket(source: string): string {
  const baton = /packages\/(core|drizzle|next)\/(?:dist|src)\/(.*)$/.exec(source)
  if (baton) return `@baton/${baton[1]} ${baton[2]}`
  if (source.startsWith('node:')) return 'node internals'
  if (source.startsWith('(')) return `native ${source}`
  // Next's own compiled server (webpack://next/…, ../../src/server/…) and the turbopack runtime.
  if (/^webpack:\/\/next\/|^(\.\.\/)+src\//.test(source)) return 'next'
  if (source.startsWith('turbopack:///[turbopack]')) return 'next (turbopack runtime)'
  const pkg = /^(@[^/]+\/[^/]+|[^/]+)/.exec(source.replace(/^.*bench\/next-app\//, 'app/'))
  return pkg?.[1] ?? source
}
const self = new Map<string, number>()
const files = new Map<string, number>()
const raw = new Map<string, number>()
let total = 0
let idle = 0
// Only the load: the profile spans the whole process, start-up (module loading) and shutdown included.
const times: number[] = []
let clock = 0
for (const dt of profile.timeDeltas as number[]) {
  clock += dt
  times.push(clock)
}
const from = clock - (seconds + 0.5) * 1e6
const to = clock - 0.3e6
profile.samples.forEach((id: number, i: number) => {
  const at = times[i] ?? 0
  if (at < from || at > to) return
  const dt = profile.timeDeltas[i] ?? 0
  total += dt
  const frame = byId.get(id)?.callFrame
  if (!frame) return
  if (frame.functionName === '(idle)') {
    idle += dt
    return
  }
  const source = origin(frame)
  raw.set(source, (raw.get(source) ?? 0) + dt)
  const key = `${frame.functionName || '(anonymous)'}  ${source}`
  self.set(key, (self.get(key) ?? 0) + dt)
  files.set(bucket(source), (files.get(bucket(source)) ?? 0) + dt)
})
const busy = total - idle
const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`
console.log(
  `\n${target}: busiest server process, the ${seconds} s of load: ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s`,
)
console.log('\nself time by package (Baton by file):')
for (const [key, t] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(t)}  ${key}`)
if (process.env.PROFILE_SOURCES) {
  console.log('\nself time by source file:')
  for (const [key, t] of [...raw].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(t)}  ${key}`)
}
console.log('\nself time by function:')
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(t)}  ${key}`)
if (process.env.PROFILE_KEEP) console.log(`\nprofiles kept in ${profDir}`)
else rmSync(dir, { recursive: true, force: true })
