import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@baton/source'] },
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
