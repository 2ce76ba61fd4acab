import { SessionPage } from '../../lib/page'

export const dynamic = 'force-dynamic'

export default SessionPage
