// The types of @baton/test-kit, written by hand: the code is plain ESM JavaScript (so `node`
// runs it without a TypeScript loader), and `tsc` checks each module against these declarations
// (`@type {typeof import('./index.js').name}` in the .js files).
import type { ChildProcess, SpawnOptions } from 'node:child_process'

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number>

/**
 * `spawn` in a new process group (`detached`), so that stopping it stops whatever it forked.
 * Every group still running when this process exits is SIGKILLed (an `exit` handler), and the
 * rest of a group is SIGKILLed once its leader exits.
 */
export function spawnGroup(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess

/** Options of {@link stopGroup}. */
export interface StopGroupOptions {
  /** How long the group has after SIGTERM before SIGKILL, in ms (default 5,000). */
  graceMs?: number
}

/** Stops a group started by {@link spawnGroup}: SIGTERM, SIGKILL after the grace period; resolves once the leader exited. */
export function stopGroup(child: ChildProcess, options?: StopGroupOptions): Promise<void>

/** Sends `signal` to the process group `pid` leads; a group already gone is no error. */
export function killGroup(pid: number, signal: NodeJS.Signals): void

/** SIGKILLs every group {@link spawnGroup} started that is still running; synchronous, for `exit` and signal handlers. */
export function killAllGroups(): void

/** Whether process `pid` runs (a zombie, dead but not yet reaped by its parent, does not). */
export function isRunning(pid: number): boolean

/** Collects `child`'s stdout and stderr (piped), interleaved; returns a function that reads them so far. */
export function keepOutput(child: ChildProcess): () => string

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** For messages, e.g. `next start`. */
  name: string
  command: string
  args: readonly string[]
  cwd: string
  /** Added to `process.env`. */
  env?: NodeJS.ProcessEnv
  /** The server's origin, e.g. `http://127.0.0.1:3000`. */
  url: string
  /** The path that answers once the server is up (default `/`). */
  ready?: string
  /** Whether an answer from `ready` (fetched without following redirects) means "up" (default: a 2xx status). */
  accept?: (response: Response) => boolean
  /** How long the server has to answer, in ms (default 60,000). */
  timeoutMs?: number
  /** Starts the process (default {@link spawnGroup}); must start it in a process group of its own. */
  spawn?: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess
}

/** A server started by {@link startServer}. */
export interface RunningServer {
  url: string
  /** The pid of the process group's leader. */
  pid: number
  /** Its stdout and stderr so far, interleaved (for failure messages). */
  output(): string
  /** Ends its process group (SIGTERM, SIGKILL after 5 s); resolves once it exited. */
  stop(): Promise<void>
}

/**
 * Starts a server in its own process group and resolves once `url + ready` answers. Rejects,
 * with the server's output, when it exits first or does not answer in time (and stops it).
 */
export function startServer(options: StartServerOptions): Promise<RunningServer>

/** Options of {@link startNext}. */
export interface StartNextOptions {
  /** The built Next.js app (its `node_modules/next` runs). */
  cwd: string
  /** Default: a free port. */
  port?: number
  /** Added to `process.env` after `NODE_ENV=production`, `NEXT_TELEMETRY_DISABLED=1` and `PORT`. */
  env?: NodeJS.ProcessEnv
  /** The path that answers once the app is up (default `/login`). */
  ready?: string
  accept?: StartServerOptions['accept']
  /** Default 60,000 ms. */
  timeoutMs?: number
  /** Node flags before the `next` script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[]
  spawn?: StartServerOptions['spawn']
  /**
   * `next dev` instead of `next start` (with `NODE_ENV=development`; Next 16 builds it in `.next/dev`,
   * beside a production build). Default false. The default timeout is then 180,000 ms: the ready page
   * compiles on its first request.
   */
  dev?: boolean
}

/** A running `next start`. */
export interface NextServer extends RunningServer {
  port: number
}

/** `next start -H 127.0.0.1 -p <port>` (or `next dev`) in `cwd` ({@link startServer}); resolves once `ready` answers. */
export function startNext(options: StartNextOptions): Promise<NextServer>

/** The flags every suite starts Chromium with (headless, no sandbox, nothing that calls home). */
export const CHROMIUM_ARGS: readonly string[]

/** Playwright launch options for Debian's Chromium: env `CHROMIUM_PATH`, default `/usr/bin/chromium`; never a downloaded build. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] }

/** Every file below `dir` (none when it does not exist), but those and the folders whose path `skip` accepts. */
export function listFiles(dir: string, skip?: (path: string) => boolean): string[]

/**
 * Whether the `dist` of the package in `dir` needs a new `tsdown`: it is empty, or a build input
 * (`src/` but tests, test-d and fixtures; package.json, tsdown.config.ts, tsconfig.json) is newer
 * than its oldest file.
 */
export function distIsStale(dir: string): boolean

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd: string
  /** Added to `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Starts the process (default: node's `spawn`, in this process's group, so a terminal's Ctrl-C reaches it; {@link spawnGroup} for a group of its own). */
  spawn?: StartServerOptions['spawn']
}

/**
 * Runs a command to its end without blocking this process; resolves with its stdout and stderr
 * interleaved, as a terminal shows them. Rejects with them when it fails.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<string>

export * from './backend-types.js'
export * from './oidc-provider.js'
export * from './sign-in-types.js'
