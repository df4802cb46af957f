/** BarrageStore across reconnects: missed history is added once, and a restarted server's new sequence is accepted. */
import type { Barrage as WireBarrage } from '@onseat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { evt, ok, until } from './support/fakeNetwork.js';
import { inLive, type Harness } from './support/storeHarness.js';
import { snapshot } from './support/wire.js';

const msg = (sequence: number, text: string, userId = 'bob'): WireBarrage => ({
  liveId: 'L1',
  sender: { userId, userName: userId, avatarUrl: '' },
  sequence,
  timestampInSecond: 1_700_000_000 + sequence,
  messageType: 0,
  textContent: text,
});
const texts = (h: Harness) => h.onseat.barrage.getSnapshot().messageList.map((m) => m.textContent);

let current: Harness | undefined;
afterEach(() => current?.onseat.client?.disconnect());

async function reconnect(h: Harness, result: unknown): Promise<void> {
  const [sock] = h.net.sockets.slice(-1);
  sock?.drop(1006);
  const [sock2, sync] = await h.net.next('live.sync');
  sock2.reply(sync, ok(result));
  await until(
    (cb) => h.onseat.client?.on('state', cb) ?? (() => undefined),
    () => h.onseat.client?.state === 'connected',
  );
}

describe('BarrageStore after a reconnect', () => {
  it('adds the history messages it missed (once) from a resync snapshot', async () => {
    const h = (current = await inLive('alice', 2, { ...snapshot('L1', 'host', { userId: 'alice', role: 2 }), barrage: [msg(1, 'one')] }));
    expect(texts(h)).toEqual(['one']);
    await reconnect(h, {
      mode: 'snapshot',
      snapshot: { ...snapshot('L1', 'host', { userId: 'alice', role: 2 }), seq: 20, barrage: [msg(1, 'one'), msg(2, 'two')] },
    });
    expect(texts(h)).toEqual(['one', 'two']);
  });

  it('accepts messages of a restarted server whose sequence started over', async () => {
    const h = (current = await inLive('alice'));
    const sock = h.net.sockets.at(-1)!;
    sock.push(evt('chat.batch', 'L1', 0, { messages: [msg(41, 'before restart')] }));
    await until(
      (cb) => h.onseat.barrage.subscribe(cb),
      () => texts(h).length === 1,
    );
    await reconnect(h, { mode: 'events', events: [] });
    h.net.sockets.at(-1)!.push(evt('chat.batch', 'L1', 0, { messages: [msg(1, 'after restart')] }));
    await until(
      (cb) => h.onseat.barrage.subscribe(cb),
      () => texts(h).length === 2,
    );
    expect(texts(h)).toEqual(['before restart', 'after restart']);
  });
});
