export { createUpstreamClient } from './create-upstream-client.js'
