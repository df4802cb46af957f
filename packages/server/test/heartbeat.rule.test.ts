import { describe, expect, it } from 'vitest';
import { isSilent } from '../src/transport/WsGateway.js';

const HB = 2000;
const TIMEOUT = 5000;

describe('heartbeat verdict', () => {
  it('cuts a peer that left a ping unanswered while silent past the timeout', () => {
    // Last pong at 0; pinged at 2000 and 4000 without an answer: at the beat of 6000 it is cut.
    expect(isSilent({ lastFrameAt: 0, pingedAt: 4000 }, 6000, HB, TIMEOUT)).toBe(true);
    // At 4000 it was silent for 4 s only.
    expect(isSilent({ lastFrameAt: 0, pingedAt: 2000 }, 4000, HB, TIMEOUT)).toBe(false);
  });

  it('keeps a peer that answered every ping although a slow sweep pinged it less often than the timeout', () => {
    // An 18,000-socket sweep on a loaded server skipped two beats: this socket was pinged at 100 and answered at
    // 110; the next beat to reach it is at 5500. Its last frame is 5.4 s old, but no ping of ours went unanswered.
    expect(isSilent({ lastFrameAt: 110, pingedAt: 100 }, 5500, HB, TIMEOUT)).toBe(false);
    // Pinged then (5500) and still nothing at the next beat: now it is cut.
    expect(isSilent({ lastFrameAt: 110, pingedAt: 5500 }, 7500, HB, TIMEOUT)).toBe(true);
  });

  it('gives a ping at least half an interval to be answered, and never cuts a socket it never pinged', () => {
    expect(isSilent({ lastFrameAt: 0, pingedAt: 5900 }, 6000, HB, TIMEOUT)).toBe(false);
    expect(isSilent({ lastFrameAt: 0, pingedAt: -Infinity }, 60_000, HB, TIMEOUT)).toBe(false);
  });
});
