import { baton } from '@/lib/baton'

// OPTIONS answers CORS preflights when BATON_CORS_ORIGINS is set (405 otherwise).
export const { GET, POST, DELETE, PUT, PATCH, OPTIONS } = baton.handlers
