import { describe, expect, it } from 'vitest';
import { MemoryLiveBus } from '../src/bus/MemoryLiveBus.js';
import { runLiveBusContract } from '../src/testing/index.js';

runLiveBusContract('MemoryLiveBus', () => new MemoryLiveBus());

describe('MemoryLiveBus: a delivery for the other nodes only', () => {
  it('reaches no subscriber (there are no other nodes)', () => {
    const bus = new MemoryLiveBus();
    const got: string[] = [];
    bus.subscribe('1:l', (d) => got.push(d.frame));
    bus.publish({ liveKey: '1:l', frame: 'chat', to: 'all', elsewhere: true });
    bus.publish({ liveKey: '1:l', frame: 'event', to: 'all' });
    expect(got).toEqual(['event']);
  });
});
