import { keepOutput, spawnGroup, stopGroup } from './process-group.js'

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** @type {typeof import('./index.js').startServer} */
export async function startServer({
  name,
  command,
  args,
  cwd,
  env = {},
  url,
  ready = '/',
  accept = (/** @type {Response} */ response) => response.ok,
  timeoutMs = 60_000,
  spawn = spawnGroup,
}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const log = keepOutput(child)
  /** @type {Error | undefined} */
  let failed
  child.once('error', (error) => {
    failed = error
  })
  const server = { url, pid: child.pid ?? 0, output: log, stop: () => stopGroup(child) }
  const deadline = Date.now() + timeoutMs
  let problem = `did not answer ${ready} within ${timeoutMs / 1000} s`
  while (Date.now() < deadline) {
    if (failed) {
      problem = `could not start: ${failed.message}`
      break
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      problem = `exited (${child.signalCode ?? child.exitCode}) before it answered ${ready}`
      break
    }
    const answer = fetch(`${url}${ready}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) })
    const up = await answer.then(accept, () => false)
    if (up) return server
    await sleep(100)
  }
  await server.stop()
  throw new Error(`${name} ${problem}\n--- its output ---\n${log()}`)
}
