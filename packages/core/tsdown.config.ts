import { defineConfig } from 'tsdown'

export default defineConfig({
  // The two verifiers are entries of their own: `#jwt-verifier` stays an import in the
  // output and the package.json `imports` map picks one per runtime (node → node:crypto).
  entry: [
    'src/index.ts',
    'src/client/index.ts',
    'src/testing/index.ts',
    'src/jwt-verifier.ts',
    'src/jwt-verifier.node.ts',
  ],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  external: ['jose', 'vitest', '#jwt-verifier', /^node:/],
})
