// @baton/test-kit: what Baton's test suites share. Types: ./index.d.ts.
export { CHROMIUM_ARGS, chromiumLaunchOptions } from './chromium.js'
export { distIsStale, listFiles } from './files.js'
export { freePort } from './free-port.js'
export { isRunning, keepOutput, killAllGroups, killGroup, spawnGroup, stopGroup } from './process-group.js'
export { runCommand } from './run-command.js'
export { startNext } from './start-next.js'
export { startServer } from './start-server.js'
