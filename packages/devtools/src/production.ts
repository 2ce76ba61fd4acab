'use client'

/**
 * The Baton devtools panel whatever `NODE_ENV` says, for a production build
 * (e.g. loaded lazily behind a flag). Same props as `@baton/devtools`.
 */
export { BatonDevtoolsPanel as BatonDevtools, type BatonDevtoolsProps } from './panel.js'
export type { DevtoolsPosition } from './styles.js'
