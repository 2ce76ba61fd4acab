/** `app/api/auth/[...baton]/route.ts`: Baton's routes (login, refresh, logout, session, sessions, jwks). */
export function routeHandler({ libImport }: { libImport: string }): string {
  return `import { baton } from '${libImport}'

// POST /api/auth/login, /refresh, /logout; GET /api/auth/session, /sessions, /jwks; DELETE /api/auth/sessions/:id
// OPTIONS answers CORS preflights once \`cors\` is set in createBaton's options.
export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers
`
}
