import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A fresh PGlite cluster cloned from a cached initdb (`dumpDataDir`): the same engine as
 * `new PGlite()`, but about 2 s to open instead of about 8 s on a small machine. The cache lives
 * in the OS temp folder, keyed by the PGlite build; a missing or unreadable cache is rebuilt
 * (written to a partial file, then renamed, so parallel runs never read half of one).
 * @returns {Promise<import('@electric-sql/pglite').PGlite>}
 */
export async function openPgliteFromTemplate() {
  const { PGlite } = await import('@electric-sql/pglite')
  let build = 'unknown'
  try {
    build = import.meta.resolve('@electric-sql/pglite')
  } catch {}
  const key = createHash('sha256').update(build).digest('hex').slice(0, 16)
  const file = join(tmpdir(), `baton-pglite-template-${key}.tar`)
  if (existsSync(file)) {
    try {
      const client = new PGlite({ loadDataDir: new Blob([readFileSync(file)]) })
      await client.waitReady
      return client
    } catch {
      // Rebuilt below.
    }
  }
  const client = new PGlite()
  await client.waitReady
  const dump = await client.dumpDataDir('none')
  const partial = `${file}.${process.pid}.${Date.now()}`
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
  renameSync(partial, file)
  return client
}
