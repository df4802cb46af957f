/**
 * How one tick's events of a live are split over Redis channels (`channelMessages`): what a node hears on its own
 * channel and on the live's channel must reach each socket in seq order.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '@onseat/server';
import { channelMessages, decodeDeliveries } from '../src/deliveries.js';
import { Keys } from '../src/keys.js';

const keys = new Keys('t:');
const LIVE = '1:live';
const ev = (seq: number, to: 'all' | string[]): LoggedEvent => ({ seq, frame: `{"seq":${seq}}`, to });
/** Alice's socket is on node B, the admin's on node C; nobody else's is known. */
const nodesOf = (_live: string, users: string[]) =>
  users.every((u) => u === 'alice' || u === 'admin') ? new Set(users.map((u) => (u === 'alice' ? 'B' : 'C'))) : null;
/** The seqs a message carries, checked against its frames (a frame is passed through as it is). */
const seqsOf = (message: string) =>
  decodeDeliveries(message, LIVE, message.indexOf('\n') + 1).map((d) => {
    expect(d.delivery.frame).toBe(`{"seq":${d.seq}}`);
    return d.seq;
  });

describe('channel messages of one tick', () => {
  it('events for some users go to their nodes only, everyone’s to the live channel, each in seq order', () => {
    const out = channelMessages(LIVE, [ev(1, ['alice']), ev(2, ['admin']), ev(3, ['alice', 'admin'])], 'A', keys, nodesOf);
    expect(out.map(([channel, m]) => [channel, seqsOf(m)])).toEqual([
      [keys.nodeChannel('B'), [1, 3]],
      [keys.nodeChannel('C'), [2, 3]],
    ]);
  });

  it('after an event on the live channel, the later ones of the tick go there too (a node hears it first otherwise)', () => {
    // Found by the cluster model test: an application timed out (to alice, on B's channel) and a member left (to
    // everyone) in one tick; with the timeout after the leave on different channels, alice saw seq 11 before 9.
    const out = channelMessages(LIVE, [ev(8, ['alice']), ev(9, 'all'), ev(10, ['alice']), ev(11, ['admin'])], 'A', keys, nodesOf);
    expect(out.map(([channel, m]) => [channel, seqsOf(m)])).toEqual([
      [keys.nodeChannel('B'), [8]],
      [keys.liveChannel(LIVE), [9, 10, 11]],
    ]);
  });

  it('nothing for the publishing node itself, even after an event on the live channel', () => {
    expect(channelMessages(LIVE, [ev(1, ['alice'])], 'B', keys, nodesOf)).toEqual([]);
    const out = channelMessages(LIVE, [ev(1, 'all'), ev(2, ['alice'])], 'B', keys, nodesOf);
    expect(out.map(([channel, m]) => [channel, seqsOf(m)])).toEqual([[keys.liveChannel(LIVE), [1]]]);
  });
});
