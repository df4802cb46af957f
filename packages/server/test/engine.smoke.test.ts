import { describe, expect, it } from 'vitest';
import { createHarness } from './support/engineHarness.js';

describe('engine smoke', () => {
  it('runs apply → accept → seated', async () => {
    const h = createHarness();
    const { host, a } = await h.liveWith(['a']);
    const { application } = await h.ok(a, 'coGuest.apply', { seatIndex: -1, timeout: 30 });
    expect(host.last('coGuest.applicationReceived')).toEqual({ application });
    expect(await h.ok(host, 'coGuest.acceptApplication', { userId: 'a' })).toEqual({ seatIndex: 1 });
    expect(h.seatUserIds().slice(0, 3)).toEqual(['host', 'a', null]);
    expect(a.types().slice(-2)).toEqual(['seat.listChanged', 'coGuest.applicationResponded']);
  });
});
