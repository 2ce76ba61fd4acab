// `turbo run test` (the unit stage of scripts/test-all.sh) reaches every workspace's
// `test` script; these suites take minutes and own the machine, so they run only in
// their own stage (`pnpm run test:reliability`, the last step of test-all.sh).
import { spawnSync } from 'node:child_process'

if (process.env.TURBO_HASH) {
  console.log('reliability: not part of the unit stage; run by `pnpm run test:reliability` (last step of test-all.sh).')
  process.exit(0)
}
const result = spawnSync('vitest', ['run', ...process.argv.slice(2)], { stdio: 'inherit', shell: false })
process.exit(result.status ?? 1)
