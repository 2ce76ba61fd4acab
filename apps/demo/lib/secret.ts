import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The demo's signing secret: `BATON_SECRET` when set, otherwise one generated
 * on first start and kept in `.data/secret` (mode 0600), so sessions survive
 * restarts. Written to a temporary file and hard-linked into place, which
 * fails if the file exists: two processes starting at once agree on one
 * secret, and no one ever reads a half-written file.
 */
export function demoSecret(given: string | undefined, dataDir: string): string {
  if (given) return given
  const file = join(dataDir, 'secret')
  try {
    return readSecret(file)
  } catch {
    mkdirSync(dataDir, { recursive: true })
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
    writeFileSync(temp, randomBytes(32).toString('base64url'), { mode: 0o600 })
    try {
      linkSync(temp, file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      unlinkSync(temp)
    }
    return readSecret(file)
  }
}

function readSecret(file: string): string {
  const secret = readFileSync(file, 'utf8').trim()
  if (secret.length < 32) throw new Error(`${file} holds no usable secret: delete it to generate a new one.`)
  return secret
}
