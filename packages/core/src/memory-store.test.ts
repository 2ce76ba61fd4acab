import { MemorySessionStore } from './memory-store.js'
import { describeStoreConformance } from './testing/index.js'

describeStoreConformance('MemorySessionStore', { createStore: () => new MemorySessionStore() })
