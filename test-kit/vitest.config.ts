import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
})
