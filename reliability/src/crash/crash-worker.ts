/**
 * Child process of crash-loop.test.ts, bundled by esbuild and run with plain
 * `node` (start-up is what bounds how many kills fit in a minute). It rotates
 * the families it is handed as fast as it can, until it is SIGKILLed.
 *
 * env: CRASH_DB (SQLite file or postgres:// URL), CRASH_SECRET, CRASH_ISSUER
 * parent → child  { type: 'families', tokens: string[] }   one live refresh token per family
 * child → parent  { type: 'rotated', family, token }        written to the pipe before the family rotates again
 *                 { type: 'replacing', family }             the family is about to be signed out and replaced
 * A refresh that fails, or two parallel refreshes that disagree, ends the
 * process with exit code 3 and the reason on stderr: the parent fails the test.
 */
import { createSessionEngine, isBatonError, type SessionStore } from '@baton/core'
import { PgSessionStore } from '@baton/drizzle/pg'
import { openSqliteDatabase, SqliteSessionStore } from '@baton/drizzle/sqlite'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'

export type CrashReport = { type: 'rotated'; family: number; token: string } | { type: 'replacing'; family: number }
export type CrashCommand = { type: 'families'; tokens: string[] }

const url = process.env.CRASH_DB ?? ''
const store: SessionStore = url.startsWith('postgres')
  ? new PgSessionStore(drizzle({ client: new pg.Pool({ connectionString: url, max: 4 }) }))
  : new SqliteSessionStore(openSqliteDatabase(url))
const engine = createSessionEngine({
  store,
  secret: process.env.CRASH_SECRET ?? '',
  issuer: process.env.CRASH_ISSUER ?? '',
  reuseGrace: 10,
})

function fail(reason: string): never {
  process.stderr.write(`crash-worker ${process.pid}: ${reason}\n`)
  process.exit(3)
}

/** Sends a report and resolves once it is in the pipe: a SIGKILL after that cannot lose it. */
function report(message: CrashReport): Promise<void> {
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()))
}

async function refresh(token: string): Promise<string> {
  try {
    return (await engine.refresh({ refreshToken: token, meta: { userAgent: 'crash-loop', ip: '127.0.0.1' } }))
      .refreshToken
  } catch (error) {
    fail(`refresh failed: ${isBatonError(error) ? error.code : String(error)}`)
  }
}

/** One family: rotate, sometimes twice at once (both must get the one successor), sometimes sign out and in again. */
async function run(family: number, first: string): Promise<void> {
  let token = first
  for (;;) {
    const dice = Math.random()
    if (dice < 0.02) {
      await report({ type: 'replacing', family })
      await engine.signOut({ refreshToken: token })
      token = (await engine.signIn({ subject: `crash-${family}`, meta: { userAgent: 'crash-loop' } })).refreshToken
    } else if (dice < 0.25) {
      const [a, b] = await Promise.all([refresh(token), refresh(token)])
      if (a !== b) fail('two parallel refreshes of one token got different successors')
      token = a
    } else {
      token = await refresh(token)
    }
    await report({ type: 'rotated', family, token })
  }
}

process.on('message', (command: CrashCommand) => {
  if (command.type === 'families') command.tokens.forEach((token, family) => void run(family, token))
})
process.send?.({ type: 'listening' })
