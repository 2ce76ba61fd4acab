import { spawn as spawnChild } from 'node:child_process'
import { keepOutput } from './process-group.js'

/** @type {typeof import('./index.js').runCommand} */
export function runCommand(command, args, { cwd, env = {}, spawn = spawnChild }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = keepOutput(child)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output())
      else
        reject(new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed (${signal ?? code}):\n${output().trim()}`))
    })
  })
}
