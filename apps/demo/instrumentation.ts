/** Runs once per server start, before requests: migrate, seed, and say where the data lives. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { database, env } = await import('./lib/baton')
  await database.ready
  if (env.oidc) {
    console.log(`[demo] ${database.label}, OpenID provider ${env.oidc.issuer} — sign in at ${env.oidc.origin}/login`)
    return
  }
  const mode = env.upstreamUrl ? `, upstream ${env.upstreamUrl}` : ''
  console.log(`[demo] ${database.label}${mode} — sign in as demo@baton.dev / correct-horse-battery-staple`)
}
