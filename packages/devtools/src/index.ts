'use client'

import type { ReactNode } from 'react'
import { BatonDevtoolsPanel, type BatonDevtoolsProps } from './panel.js'

export type { BatonDevtoolsProps } from './panel.js'
export type { DevtoolsPosition } from './styles.js'

declare const process: { env: { NODE_ENV?: string } }

/**
 * The Baton devtools panel, in development only: anywhere else (production,
 * tests) it renders nothing, and a bundler that replaces
 * `process.env.NODE_ENV` drops the panel's code from the bundle. Mount it
 * inside `<BatonProvider>`. For the panel in production, import it from
 * `@baton/devtools/production`.
 */
export const BatonDevtools: (props: BatonDevtoolsProps) => ReactNode =
  process.env.NODE_ENV === 'development' ? BatonDevtoolsPanel : () => null
