import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: {
    name: 'redis',
    environment: 'node',
    testTimeout: 15_000,
    include: ['src/**/*.test.ts'],
  },
})
