import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts', 'src/edge/index.ts', 'src/axios/index.ts'],
  format: 'esm',
  platform: 'node',
  fixedExtension: false,
  target: 'es2022',
  dts: true,
  sourcemap: true,
  external: [/^@baton\//, /^next(\/|$)/, /^node:/, /^axios(\/|$)/, /^jose(\/|$)/],
})
