/** `app/api/auth/[...baton]/route.ts`: Baton's routes (login, refresh, logout, session, sessions, jwks). */
export function routeHandler({ libImport }: { libImport: string }): string {
  return `import { baton } from '${libImport}'

// POST /api/auth/login, /refresh, /logout; GET /api/auth/session, /sessions, /jwks; DELETE /api/auth/sessions/:id
export const { GET, POST, DELETE, PUT, PATCH } = baton.handlers
`
}
