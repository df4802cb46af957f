import { MemoryLiveStore } from '../src/store/MemoryLiveStore.js';
import { runLiveStoreContract } from './store.contract.js';

runLiveStoreContract('MemoryLiveStore', ({ eventCapacity }) => new MemoryLiveStore({ eventCapacity }));
