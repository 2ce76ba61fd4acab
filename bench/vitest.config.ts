import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../vitest.shared'

// The bench's own machinery (token pool, process cleanup), not its figures: benchmarks are not tests.
export default defineConfig({
  ...sourceConditions,
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
})
