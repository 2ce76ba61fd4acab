import { defineConfig } from 'tsdown'

export default defineConfig({
  // The two verifiers are entries of their own: `#jwt-verifier` stays an import in the
  // output and the package.json `imports` map picks one per runtime (node → node:crypto).
  entry: [
    'src/index.ts',
    // The Edge middleware's entry: verification only (see src/verify.ts).
    'src/verify.ts',
    'src/client/index.ts',
    // The framework-free server layer (see README, "Server entry"), and its Edge-safe part.
    'src/server/index.ts',
    'src/server/edge.ts',
    // Native apps and CLIs: the client on the token transport (kept out of browser bundles).
    'src/native/index.ts',
    'src/testing/index.ts',
    // Shared by Baton's own packages only (no semver promise): see src/internal.ts.
    'src/internal.ts',
    'src/jwt-verifier.ts',
    'src/jwt-verifier.node.ts',
    // The refresh path's hashing, HMAC and signing: WebCrypto + jose, or node:crypto on Node.
    'src/crypto-ops.ts',
    'src/crypto-ops.node.ts',
  ],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  // jose and its subpaths (`jose/jwt/verify`…) stay imports: the app's bundler resolves them.
  external: [/^jose(\/|$)/, 'vitest', '#jwt-verifier', '#crypto-ops', /^node:/],
})
