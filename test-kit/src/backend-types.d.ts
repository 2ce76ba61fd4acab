// The types of openBackend and backendKinds (./backend.js), re-exported by ./index.d.ts.
import type { SessionStore } from '@baton/core'

/** The stores a suite can run on: in memory, a SQLite file, PGlite in this process, a Postgres server. */
export type BackendKind = 'memory' | 'sqlite' | 'pglite' | 'postgres'

/** Options of {@link openBackend}. */
export interface OpenBackendOptions {
  kind: BackendKind
  /** The Postgres server (kind `postgres`). Default: {@link postgresUrl}. */
  databaseUrl?: string
  /** The per-run schema is `<schemaPrefix>_<pid>_<random>` (default `baton_test`; lower-case letters, digits, `_`). */
  schemaPrefix?: string
  /** Connections of this process's pool to the Postgres server (default 4). */
  poolMax?: number
}

/** Runs one statement and resolves with its rows (none for a statement that returns none); `?` placeholders on every kind. */
export type Query = <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<T[]>

/** A migrated database of its own with Baton's store on it, from {@link openBackend}. */
export interface Backend {
  kind: BackendKind
  /** For test titles: `memory`, `SQLite file`, `PGlite`, `Postgres server`. */
  name: string
  store: SessionStore
  /**
   * What another process (`BATON_DATABASE_URL`, a worker) opens the same database with: the
   * SQLite file's path, or a `postgres://` URL whose `options` set the search_path to the run's
   * schema. `null` for `memory` and `pglite`, which live in this process only.
   */
  url: string | null
  /** The per-run schema (kind `postgres`). */
  schema?: string
  /** Runs one statement on the store's database (rejects for `memory`). */
  query: Query
  /**
   * Runs `read` in one read-only snapshot, so concurrent writers never show half a commit: a
   * read transaction on a connection of its own (SQLite), REPEATABLE READ (Postgres), one
   * transaction (PGlite). Rejects for `memory`.
   */
  snapshot<T>(read: (query: Query) => Promise<T>): Promise<T>
  /** Closes its connections and removes what it made: the temporary folder of the SQLite file, the Postgres schema. */
  close(): Promise<void>
}

/**
 * A store on a fresh, migrated database: `memory` (MemorySessionStore), `sqlite` (a file in a
 * temporary folder, WAL as apps open it), `pglite` (in memory, cloned from an initdb cached in
 * the OS temp folder: about 2 s instead of 8), `postgres` (a schema of its own
 * on the server at `DATABASE_URL`, dropped by `close()`). Rejects for `postgres` without a URL:
 * ask {@link backendKinds} first, which reports the skip.
 */
export function openBackend(options: OpenBackendOptions): Promise<Backend>

/** `DATABASE_URL`, when set and not blank: the Postgres server of this run. */
export function postgresUrl(): string | undefined

/** Options of {@link backendKinds}. */
export interface BackendKindsOptions {
  /** Names the suite in the SKIPPED line, e.g. `crash loop`. */
  suite: string
  kinds: readonly BackendKind[]
  /** Default: {@link postgresUrl} (an explicit `undefined` means no server). */
  databaseUrl?: string | undefined
}

/**
 * Which of `kinds` can run here: all but `postgres` when there is no `DATABASE_URL`, which is
 * reported with `console.warn` (`[suite] Postgres SKIPPED: DATABASE_URL is not set.`) and
 * returned in `skipped`, so the suite can register a visibly skipped test for it.
 */
export function backendKinds(options: BackendKindsOptions): {
  run: BackendKind[]
  skipped: { kind: BackendKind; reason: string }[]
}
