/**
 * Resolve workspace packages from `src/` (the "@baton/source" export
 * condition) in every vitest project, client and server side alike. Vite's
 * default condition lists are spelled out because a custom list replaces them.
 */
export const sourceConditions = {
  resolve: { conditions: ['@baton/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@baton/source', 'module', 'node', 'development|production'] } },
}
