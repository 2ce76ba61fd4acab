import { baton } from '@/lib/baton'

// The busiest route on a static path of its own: Next serves it with less work than the catch-all.
export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers
