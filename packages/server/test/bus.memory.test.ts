import { MemoryLiveBus } from '../src/bus/MemoryLiveBus.js';
import { runLiveBusContract } from '../src/testing/index.js';

runLiveBusContract('MemoryLiveBus', () => new MemoryLiveBus());
