import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/sqlite/index.ts', 'src/pg/index.ts'],
  format: 'esm',
  platform: 'node',
  fixedExtension: false,
  target: 'es2022',
  dts: true,
  sourcemap: true,
  external: [/^@baton\//, /^drizzle-orm/, 'better-sqlite3', 'pg', /^@electric-sql\//],
})
