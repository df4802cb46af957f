/** Ephemeral events (media signalling, audio levels, network statistics): no seq, not logged, serialised once per payload. */
import { describe, expect, it } from 'vitest';
import { APP, createHarness } from './support/engineHarness.js';

describe('ephemeral events', () => {
  it('one payload sent to several members is serialised once: they all get the same frame', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const key = `${APP}:live-1`;
    const levels = { levels: [{ userId: 'host', level: 40 }] };
    // a user who is not a connected member is skipped
    expect(h.engine.sendEphemeral(key, new Set(['host', 'a', 'stranger', 'b']), 'media.audioLevels', levels)).toBe(3);
    const frames = [host, a, b].map((c) => c.raw.at(-1));
    expect(frames[0]).toBeInstanceOf(Buffer);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
    expect(b.last('media.audioLevels')).toEqual(levels);
    expect(b.frames.at(-1)).toMatchObject({ kind: 'evt', type: 'media.audioLevels', liveId: 'live-1', seq: 0 });
    // One member: its own frame with the content of this call.
    const next = { levels: [] };
    expect(h.engine.sendEphemeral(key, 'a', 'media.audioLevels', next)).toBe(1);
    expect(a.raw.at(-1)).not.toBe(frames[0]);
    expect(a.last('media.audioLevels')).toEqual(next);
  });

  it('goes nowhere for a user who is not a connected member, or a live that is not here (0)', async () => {
    const h = createHarness();
    await h.liveWith(['a']);
    expect(h.engine.sendEphemeral(`${APP}:live-1`, 'stranger', 'media.audioLevels', { levels: [] })).toBe(0);
    expect(h.engine.sendEphemeral(`${APP}:no-such-live`, 'a', 'media.audioLevels', { levels: [] })).toBe(0);
  });
});
