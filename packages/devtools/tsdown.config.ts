import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts', 'src/production.ts'],
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  // `process.env.NODE_ENV` stays in dist: the app's bundler replaces it, and drops the panel in production.
  external: [/^@baton\//, 'react', 'react/jsx-runtime'],
})
