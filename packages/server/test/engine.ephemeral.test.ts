/** Ephemeral events (media signalling, audio levels, network statistics): no seq, not logged, serialised once per payload. */
import { describe, expect, it } from 'vitest';
import { APP, createHarness } from './support/engineHarness.js';

describe('ephemeral events', () => {
  it('one payload sent to every member is serialised once: they all get the same frame', async () => {
    const h = createHarness();
    const { host, a, b } = await h.liveWith(['a', 'b']);
    const key = `${APP}:live-1`;
    const levels = { levels: [{ userId: 'host', level: 40 }] };
    for (const userId of ['host', 'a', 'b']) expect(h.engine.sendEphemeral(key, userId, 'media.audioLevels', levels)).toBe(true);
    const frames = [host, a, b].map((c) => c.raw.at(-1));
    expect(frames[0]).toBeInstanceOf(Buffer);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
    expect(b.last('media.audioLevels')).toEqual(levels);
    expect(b.frames.at(-1)).toMatchObject({ kind: 'evt', type: 'media.audioLevels', liveId: 'live-1', seq: 0 });
    // The next report is a new payload: a new frame with its content, never the previous one.
    const next = { levels: [] };
    h.engine.sendEphemeral(key, 'a', 'media.audioLevels', next);
    expect(a.raw.at(-1)).not.toBe(frames[0]);
    expect(a.last('media.audioLevels')).toEqual(next);
    // Another type with the same payload object is its own frame.
    h.engine.sendEphemeral(key, 'a', 'media.networkStats', next);
    expect(a.frames.at(-1)?.type).toBe('media.networkStats');
  });

  it('goes nowhere for a user who is not a connected member (false)', async () => {
    const h = createHarness();
    await h.liveWith(['a']);
    expect(h.engine.sendEphemeral(`${APP}:live-1`, 'stranger', 'media.audioLevels', { levels: [] })).toBe(false);
    expect(h.engine.sendEphemeral(`${APP}:no-such-live`, 'a', 'media.audioLevels', { levels: [] })).toBe(false);
  });
});
