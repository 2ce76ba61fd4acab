/**
 * For processes.test.ts: starts a long-running child with `spawnGroup`,
 * prints its pid, then ends the way argv[2] says, without stopping the child
 * itself: `throw` (an exception in an event handler, as a throw inside
 * autocannon's `setupRequest` is), `reject` (an unhandled rejection), `exit`
 * (process.exit) or `wait` (until a signal arrives).
 */
import { spawnGroup } from './processes.js'

const mode = process.argv[2]
const child = spawnGroup(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
process.stdout.write(`${child.pid}\n`)
setTimeout(() => {
  if (mode === 'throw') throw new Error('thrown in an event handler')
  if (mode === 'reject') void Promise.reject(new Error('rejected, never handled'))
  if (mode === 'exit') process.exit(3)
}, 100)
if (mode === 'wait') setInterval(() => {}, 1000)
