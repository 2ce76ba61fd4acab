import { ConfigError } from '@baton/core'

/** The default table-name prefix. */
export const DEFAULT_PREFIX = 'baton_'

const PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,30}$/

/** Refuses prefixes that would need quoting or could smuggle SQL into migrations. */
export function checkPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new ConfigError('Table prefix must match /^[a-z][a-z0-9_]{0,30}$/ (e.g. "baton_").')
  }
}
