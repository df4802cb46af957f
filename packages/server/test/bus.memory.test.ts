import { MemoryLiveBus } from '../src/bus/MemoryLiveBus.js';
import { runLiveBusContract } from './bus.contract.js';

runLiveBusContract('MemoryLiveBus', () => new MemoryLiveBus());
