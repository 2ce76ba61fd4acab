import { defineConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

export default defineConfig({
  ...sourceConditions,
  test: { name: 'devtools', include: ['src/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
})
