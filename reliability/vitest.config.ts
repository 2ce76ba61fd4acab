import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: {
    include: ['src/**/*.test.ts'],
    // Process-level suites: one file at a time, each owns the machine's two cores.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})
