/** `lib/baton.ts`: the app's one Baton instance, on SQLite, with a marked user lookup to replace. */
export function libBaton(): string {
  return `import { createSqliteStore } from '@baton/drizzle/sqlite'
import { createBaton, hashPassword, verifyPassword } from '@baton/next'

// Refresh tokens are kept (as SHA-256 hashes) in this SQLite file, git-ignored. It is opened and
// migrated on first use, not at import: next build touches no database.
const store = createSqliteStore({ file: '.data/baton.db' })

const secret = process.env.BATON_SECRET
if (!secret) throw new Error('BATON_SECRET is not set: \`npx @baton/next secret\` prints one; put it in .env.local.')

export const baton = createBaton({
  store,
  secret,
  // Paths that need a session (list them in proxy.ts's matcher too) and the sign-in page.
  paths: { protected: ['/dashboard'], signIn: '/login' },
  async authenticate({ email, password }) {
    const user = email ? await findUser(email.trim().toLowerCase()) : null
    // Always verify (a null hash for unknown accounts): the same answer in the same time.
    const ok = await verifyPassword(password ?? '', user?.passwordHash ?? null)
    return ok && user ? { id: user.id, email: user.email, name: user.name } : null
  },
})

interface User {
  id: string
  email: string
  name: string
  /** \`await hashPassword(password)\` (scrypt), stored when the account is created: never the password. */
  passwordHash: string
}

// TODO: look the user up in your own database by email: its row, or null when there is none.
// The placeholder account below exists only so that sign-in works on first run, and only in
// development (you@example.com / change-me): delete it.
async function findUser(email: string): Promise<User | null> {
  if (process.env.NODE_ENV === 'production' || email !== 'you@example.com') return null
  return { id: 'placeholder', email, name: 'Placeholder', passwordHash: await hashPassword('change-me') }
}
`
}
