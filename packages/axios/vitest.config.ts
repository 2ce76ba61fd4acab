import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: {
    testTimeout: 15_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.dom.test.ts'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
        },
      },
      {
        extends: true,
        // axios goes through Vite, resolved as a browser bundler would (the package.json "browser"
        // field), so the browser build with its XMLHttpRequest adapter is the one under test.
        resolve: { mainFields: ['browser', 'module', 'jsnext:main', 'jsnext'] },
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['src/**/*.dom.test.ts'],
          server: { deps: { inline: ['axios'] } },
        },
      },
    ],
  },
})
