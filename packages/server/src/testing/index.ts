/**
 * `@onseat/server/testing`: the contract suites every LiveStore and LiveBus must pass, for anyone writing their own
 * (they register vitest tests: call them at the top level of a test file).
 */
export { runLiveStoreContract, sampleLive, type StoreContractOptions, type StoreFactory } from './storeContract.js';
export { runLiveBusContract, type BusFactory } from './busContract.js';
