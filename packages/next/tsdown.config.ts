import { defineConfig } from 'tsdown'

export default defineConfig({
  // src/cli.ts → dist/cli.js, the `baton-next` bin (`npx @baton/next init`); its hashbang is kept.
  entry: ['src/index.ts', 'src/edge/index.ts', 'src/axios/index.ts', 'src/cli.ts'],
  format: 'esm',
  platform: 'node',
  fixedExtension: false,
  target: 'es2022',
  dts: true,
  sourcemap: true,
  external: [/^@baton\//, /^next(\/|$)/, /^node:/, /^axios(\/|$)/, /^jose(\/|$)/],
})
