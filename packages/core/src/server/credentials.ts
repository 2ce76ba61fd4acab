import type { JsonObject } from '../index.js'

/** What `authenticate` returns for a valid sign-in: a stable id and what to show of the user. */
export type AuthenticatedUser = { id: string } & JsonObject

/** Credentials as posted to the login route: a flat object of strings. */
export type Credentials = Record<string, string>
