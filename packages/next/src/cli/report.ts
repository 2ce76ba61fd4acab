import type { InitReport } from './init.js'

/** The lines `init` prints: what it found, each file's outcome, and what to do next. */
export function formatReport({ project, outcomes }: InitReport): string[] {
  const code = project.srcDir ? `${project.srcDir}/` : ''
  const found = [
    project.srcDir ? 'src/ directory' : 'no src/ directory',
    project.alias ? `import alias ${project.alias}` : 'no import alias (relative imports)',
    `Cache Components ${project.cacheComponents ? 'on' : 'off'}`,
  ]
  const lines = [`Baton init in ${project.root}: ${found.join(', ')}.`, '']
  for (const outcome of outcomes)
    lines.push(
      `  ${outcome.status.padEnd(11)} ${outcome.file}${outcome.status === 'skipped' ? ` — ${outcome.reason}` : ''}`,
    )
  if (outcomes.some((outcome) => outcome.status === 'skipped'))
    lines.push('', 'Skipped files were left as they are: make the change by hand (see the README).')
  lines.push(
    '',
    'Next steps:',
    `  1. Replace findUser in ${code}lib/baton.ts (marked TODO) with a lookup in your users table;`,
    '     store hashPassword(password) from @baton/next, never the password.',
    '  2. npm run dev, open /login and sign in (development only: you@example.com / change-me).',
    `  3. Protect pages: paths.protected in ${code}lib/baton.ts and the matcher in ${code}proxy.ts.`,
  )
  return lines
}
