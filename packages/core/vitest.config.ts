import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: {
    projects: [
      { extends: true, test: { name: 'node', environment: 'node', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'edge',
          environment: 'edge-runtime',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.node.test.ts'],
        },
      },
    ],
  },
})
