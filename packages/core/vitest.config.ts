import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['src/**/*.test.ts'], exclude: ['src/**/*.dom.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'edge',
          environment: 'edge-runtime',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.node.test.ts', 'src/**/*.dom.test.ts'],
        },
      },
      // The browser session client (`src/client`), against a DOM: timers, events, BroadcastChannel.
      { extends: true, test: { name: 'dom', environment: 'happy-dom', include: ['src/**/*.dom.test.ts'] } },
    ],
  },
})
