// The React SPA of the adoption test: create-vite's react-ts template, Baton's client packages
// from the same tarballs, the code @baton/react's README shows (spa-files/), and Vite's dev
// server or `vite preview` to serve it.
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { testedPeer } from './install.mjs'
import { run, runCombined, startServer } from './run.mjs'

const here = join(import.meta.dirname, '..')
/** What the SPA takes from Baton: the React bindings (with core's client) and the axios adapter. */
const CLIENT_PACKAGES = ['@baton/core', '@baton/react', '@baton/axios']

/**
 * `create-vite spa --template react-ts` (the workspace's pinned create-vite, no registry lookup
 * for it), then one `npm install` of the template's dependencies, Baton's client tarballs and
 * axios, and spa-files/ copied over the template. Returns the app's folder and a summary line.
 */
export function createSpa({ workDir, tarballs }) {
  const createVite = join(here, 'node_modules', 'create-vite', 'index.js')
  run(process.execPath, [createVite, 'spa', '--template', 'react-ts', '--no-interactive', '--no-immediate'], {
    cwd: workDir,
  })
  const spaDir = join(workDir, 'spa')
  const packed = CLIENT_PACKAGES.map((name) => {
    if (!tarballs[name]) throw new Error(`no tarball for ${name}`)
    return tarballs[name]
  })
  const flags = ['--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline']
  run('npm', ['install', ...flags, ...packed, testedPeer('axios')], { cwd: spaDir })
  cpSync(join(here, 'spa-files'), spaDir, { recursive: true })
  const versions = ['vite', 'react', 'typescript', '@baton/react'].map(
    (name) => `${name}@${readJson(join(spaDir, 'node_modules', name, 'package.json')).version}`,
  )
  return { spaDir, summary: `create-vite react-ts: ${versions.join(', ')}` }
}

/**
 * `npm run build` (the template's `tsc -b && vite build`) with the API on `apiOrigin`, baked in
 * as VITE_BATON_API_ORIGIN. Returns the build's output.
 */
export function buildSpa({ spaDir, apiOrigin }) {
  return runCombined('npm', ['run', 'build'], { cwd: spaDir, env: { VITE_BATON_API_ORIGIN: apiOrigin } })
}

/**
 * Vite's dev server on 127.0.0.1:`port`, proxying /api to `apiOrigin` with `changeOrigin`
 * (vite.config.ts reads both), or with `preview: true` the built app (`vite preview`).
 */
export function startVite({ spaDir, port, apiOrigin, changeOrigin = false, preview = false }) {
  const mode = preview ? ['preview'] : []
  return startServer({
    name: preview ? 'vite preview' : 'vite',
    command: process.execPath,
    args: ['node_modules/vite/bin/vite.js', ...mode, '--host', '127.0.0.1', '--port', `${port}`, '--strictPort'],
    cwd: spaDir,
    env: { BATON_API_ORIGIN: apiOrigin, VITE_CHANGE_ORIGIN: String(changeOrigin) },
    url: `http://127.0.0.1:${port}`,
    ready: '/',
  })
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}
