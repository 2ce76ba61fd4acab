import { baton } from '../../../../lib/baton'

export const { GET, POST, DELETE, PUT, PATCH } = baton.handlers
