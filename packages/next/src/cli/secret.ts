import { randomBytes } from 'node:crypto'

/** A new server secret: 32 random bytes, base64url (43 characters); Baton needs at least 32 bytes. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url')
}
