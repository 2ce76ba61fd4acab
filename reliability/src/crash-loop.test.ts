/**
 * Crash safety: worker processes rotate refresh tokens as fast as they can
 * (single refreshes, two at once, sign-out and sign-in) and are SIGKILLed at a
 * random moment, over and over, two at a time on one database. After every
 * kill the tables are read in one snapshot and must be consistent (see
 * crash/consistency.ts), and every family the dead worker held must still
 * refresh from the last token it reported: a crash loses no session, even
 * when the response carrying the new token was lost with the process (the
 * grace window hands the successor back).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { createSessionEngine, type SessionEngine } from '@baton/core'
import { type Backend, backendKinds, openBackend } from '@baton/test-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { counts, findViolations } from './crash/consistency.js'
import type { CrashCommand, CrashReport } from './crash/crash-worker.js'
import { bundleEntry } from './shared/bundle.js'

const KILLS = Number(process.env.CRASH_KILLS ?? 200)
/** Workers alive at once, each owning its own families (start-up overlaps with the others' rotations). */
const SLOTS = Number(process.env.CRASH_SLOTS ?? 5)
const FAMILIES_PER_SLOT = 3
const SECRET = 'crash-loop-secret-0123456789abcdefghijkl'
const ISSUER = 'https://crash.test'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Stats {
  kills: number
  rotationsReported: number
  recoveredGraced: number
  recoveredRotated: number
  replaced: number
  midFlightKills: number
}

function describeCrashLoop(name: string, kind: 'sqlite' | 'postgres'): void {
  describe(`crash loop on ${name}: ${KILLS} SIGKILLs while rotating`, () => {
    let db: Backend
    let engine: SessionEngine
    let workerFile: string

    beforeAll(async () => {
      workerFile = await bundleEntry('crash/crash-worker.ts')
      db = await openBackend({ kind, schemaPrefix: 'baton_rel' })
      engine = createSessionEngine({ store: db.store, secret: SECRET, issuer: ISSUER, reuseGrace: 10 })
    })
    afterAll(async () => {
      await db?.close()
    })

    /** One worker's life: hand it the families, let it rotate, kill it, return what it last reported. */
    async function lifetime(tokens: string[], stats: Stats): Promise<{ token: string; replacing: boolean }[]> {
      const state = tokens.map((token) => ({ token, replacing: false }))
      const child: ChildProcess = fork(workerFile, [], {
        env: { ...process.env, CRASH_DB: db.url ?? '', CRASH_SECRET: SECRET, CRASH_ISSUER: ISSUER },
        execArgv: [],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      })
      let stderr = ''
      child.stderr?.on('data', (chunk) => {
        stderr += chunk
      })
      const gone = Promise.all([once(child, 'exit'), once(child, 'disconnect')])
      let rotated!: () => void
      const firstRotation = new Promise<void>((resolve) => {
        rotated = resolve
      })
      child.on('message', (message: CrashReport | { type: 'listening' }) => {
        if (message.type === 'listening') child.send({ type: 'families', tokens } satisfies CrashCommand)
        else if (message.type === 'replacing') (state[message.family] as { replacing: boolean }).replacing = true
        else {
          state[message.family] = { token: message.token, replacing: false }
          stats.rotationsReported++
          rotated()
        }
      })
      const started = await Promise.race([firstRotation.then(() => true), gone.then(() => false), sleep(30_000)])
      if (started !== true) {
        child.kill('SIGKILL')
        throw new Error(
          `worker ${child.pid} never rotated (${started === false ? 'it exited' : 'timeout'}):\n${stderr}`,
        )
      }
      // Let it run a random while: most kills land inside a rotation, some between.
      await sleep(Math.random() * 40)
      child.kill('SIGKILL')
      const [[code, signal]] = (await gone) as [[number | null, NodeJS.Signals | null], unknown]
      if (signal !== 'SIGKILL') throw new Error(`worker ${child.pid} died by itself (code ${code}):\n${stderr}`)
      stats.kills++
      return state
    }

    it('leaves no family with two live tokens, no token whose parent is unused, and loses no session', async () => {
      const stats: Stats = {
        kills: 0,
        rotationsReported: 0,
        recoveredGraced: 0,
        recoveredRotated: 0,
        replaced: 0,
        midFlightKills: 0,
      }
      const started = Date.now()
      const slot = async (k: number) => {
        let tokens = await Promise.all(
          Array.from({ length: FAMILIES_PER_SLOT }, async (_, i) => {
            return (await engine.signIn({ subject: `crash-${k}-${i}` })).refreshToken
          }),
        )
        while (stats.kills < KILLS) {
          const state = await lifetime(tokens, stats)
          const violations = await db.snapshot(findViolations)
          expect(violations, `after kill ${stats.kills}`).toEqual({})
          tokens = await Promise.all(
            state.map(async ({ token, replacing }, i) => {
              if (replacing) {
                stats.replaced++
                return (await engine.signIn({ subject: `crash-${k}-${i}` })).refreshToken
              }
              // Throws (failing the test) if the crash cost this family its session.
              const issued = await engine.refresh({ refreshToken: token })
              if (issued.graced) stats.recoveredGraced++
              else stats.recoveredRotated++
              return issued.refreshToken
            }),
          )
        }
      }
      await Promise.all(Array.from({ length: SLOTS }, (_, k) => slot(k)))

      expect(await db.snapshot(findViolations)).toEqual({})
      const sizes = await db.snapshot(counts)
      const seconds = (Date.now() - started) / 1000
      console.log(
        `[crash loop] ${name}: ${stats.kills} SIGKILLs in ${seconds.toFixed(1)} s, ${stats.rotationsReported} rotations reported, ` +
          `${sizes.tokens} token rows in ${sizes.sessions} sessions; recovery after each kill: ` +
          `${stats.recoveredGraced} lost responses handed back by grace, ${stats.recoveredRotated} plain rotations, ` +
          `${stats.replaced} families mid sign-out re-signed in; 0 violations`,
      )
      expect(stats.kills).toBeGreaterThanOrEqual(KILLS)
      // The kills really landed mid-flight: some responses were lost and recovered through grace.
      expect(stats.recoveredGraced).toBeGreaterThan(0)
    })
  })
}

// A SQLite file always; the Postgres server when DATABASE_URL is set, otherwise a visible skip.
const { run, skipped } = backendKinds({ suite: 'crash loop', kinds: ['sqlite', 'postgres'] })
for (const kind of run)
  describeCrashLoop(kind === 'sqlite' ? 'a SQLite file' : 'the Postgres server', kind as 'sqlite' | 'postgres')
for (const { reason } of skipped) {
  describe('crash loop on the Postgres server', () => {
    it.skip(`SKIPPED: ${reason}`, () => {})
  })
}
