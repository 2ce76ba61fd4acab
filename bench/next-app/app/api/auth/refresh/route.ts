import { baton } from '../../../../lib/baton'

// As `baton init` writes it: the refresh route on a static path (Next serves it with less work than a catch-all).
export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers
