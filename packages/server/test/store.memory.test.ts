import { MemoryLiveStore } from '../src/store/MemoryLiveStore.js';
import { runLiveStoreContract } from '../src/testing/index.js';

runLiveStoreContract('MemoryLiveStore', ({ eventCapacity }) => new MemoryLiveStore({ eventCapacity }));
