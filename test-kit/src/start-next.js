import { resolve } from 'node:path'
import { freePort } from './free-port.js'
import { startServer } from './start-server.js'

/** @type {typeof import('./index.js').startNext} */
export async function startNext({
  cwd,
  port,
  env = {},
  ready = '/login',
  accept,
  timeoutMs,
  nodeArgs = [],
  spawn,
  dev = false,
}) {
  const listen = port ?? (await freePort())
  const server = await startServer({
    name: dev ? 'next dev' : 'next start',
    command: process.execPath,
    args: [
      ...nodeArgs,
      resolve(cwd, 'node_modules', 'next', 'dist', 'bin', 'next'),
      dev ? 'dev' : 'start',
      '-H',
      '127.0.0.1',
      '-p',
      String(listen),
    ],
    cwd,
    env: {
      NODE_ENV: dev ? 'development' : 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(listen),
      ...env,
    },
    url: `http://127.0.0.1:${listen}`,
    ready,
    ...(accept ? { accept } : {}),
    // `next dev` compiles the ready page on its first request.
    ...(timeoutMs || dev ? { timeoutMs: timeoutMs ?? 180_000 } : {}),
    ...(spawn ? { spawn } : {}),
  })
  return { ...server, port: listen }
}
