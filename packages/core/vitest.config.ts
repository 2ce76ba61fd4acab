import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

/**
 * The Edge project adds `edge-light`, as Next's edge compiler does, so the
 * `#jwt-verifier` import resolves to jose on WebCrypto there (the package's
 * `imports` map puts edge-light, worker and browser before node); the Node
 * project gets the node:crypto fast path.
 */
const edge = { resolve: { conditions: ['edge-light'] }, ssr: { resolve: { conditions: ['edge-light'] } } }

export default defineConfig({
  ...sourceConditions,
  test: {
    // A property run or a WebCrypto-heavy case takes ~1 s alone and >5 s on a loaded 2-core CI machine.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['src/**/*.test.ts'], exclude: ['src/**/*.dom.test.ts'] },
      },
      {
        extends: true,
        ...edge,
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
