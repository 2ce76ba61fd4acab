import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** How the fake create-next-app output is laid out. */
export interface AppShape {
  src?: boolean
  /** The `paths` key for the code directory (`@/*`), or null for none. */
  alias?: string | null
  cacheComponents?: boolean
  config?: 'ts' | 'mjs' | null
  next?: string
}

/** A temp directory that looks like `create-next-app` output (TypeScript, App Router). */
export function makeApp({
  src = false,
  alias = '@/*',
  cacheComponents = false,
  config = 'ts',
  next = '16.0.7',
}: AppShape = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'baton-init-'))
  const code = src ? 'src/' : ''
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  write(
    'package.json',
    JSON.stringify(
      {
        name: 'my-app',
        private: true,
        scripts: { dev: 'next dev' },
        dependencies: { next, react: '19.2.0', 'react-dom': '19.2.0' },
        devDependencies: { typescript: '^5' },
      },
      null,
      2,
    ),
  )
  const paths = alias ? `,\n    "paths": {\n      "${alias}": ["./${code}*"]\n    }` : ''
  write(
    'tsconfig.json',
    `{\n  "compilerOptions": {\n    "strict": true,\n    // a comment, as tsconfig allows\n    "plugins": [{ "name": "next" }]${paths}\n  },\n  "include": ["next-env.d.ts", "**/*.ts", "**/*.tsx"],\n}\n`,
  )
  const flag = cacheComponents ? '\n  cacheComponents: true,' : ''
  if (config === 'ts')
    write(
      'next.config.ts',
      `import type { NextConfig } from "next";\n\nconst nextConfig: NextConfig = {${flag}\n  /* config options here */\n};\n\nexport default nextConfig;\n`,
    )
  if (config === 'mjs')
    write(
      'next.config.mjs',
      `/** @type {import('next').NextConfig} */\nconst nextConfig = {${cacheComponents ? ' cacheComponents: true ' : ''}};\n\nexport default nextConfig;\n`,
    )
  write('.gitignore', '# dependencies\n/node_modules\n\n# env files (can opt-in for committing if needed)\n.env*\n')
  write(`${code}app/layout.tsx`, 'export default function RootLayout({ children }) { return children }\n')
  write(`${code}app/page.tsx`, 'export default function Home() { return <main>Hello</main> }\n')
  return root
}
