/** `app/api/auth/[...baton]/route.ts`: Baton's routes (login, refresh, logout, session, sessions, jwks). */
export function routeHandler({ libImport }: { libImport: string }): string {
  return `import { baton } from '${libImport}'

// POST /api/auth/login, /refresh, /logout; GET /api/auth/session, /sessions, /jwks; DELETE /api/auth/sessions/:id
// OPTIONS answers CORS preflights once \`cors\` is set in createBaton's options.
export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers
`
}

/**
 * `app/api/auth/refresh/route.ts`: the busiest route on a static path of its
 * own. Next serves a static route with less work than a catch-all (about a
 * tenth less server CPU per refresh in `pnpm bench`); the handlers are the
 * same, so the route answers exactly as it would through `[...baton]`.
 */
export function refreshRouteHandler({ libImport }: { libImport: string }): string {
  return `import { baton } from '${libImport}'

// POST /api/auth/refresh on a static route: Next serves it with less work than the [...baton] catch-all.
// Same handlers, same answers (other methods get Baton's JSON 405).
export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers
`
}
