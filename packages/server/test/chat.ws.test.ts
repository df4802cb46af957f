/**
 * Chat, gifts, likes and bans over real WebSockets against a real server on port 0, with the server's defaults
 * (history 50, length 200, burst 5) and a word filter from the options.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { connectAs, RequestError, type TestApp, type WsClient } from './support/wsClient.js';

let server: OnseatServer | undefined;
const clients: WsClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

async function setup() {
  server = createServer({ port: 0, logger: silentLogger, media: 'none', chat: { blockedWords: ['darn'] } });
  const { url } = await server.listen();
  const app = server.devApp as TestApp;
  const as = async (userId: string): Promise<WsClient> => {
    const c = await connectAs(url, app, userId, { userName: `${userId}-name` });
    clients.push(c);
    return c;
  };
  const host = await as('host');
  await host.call('live.start', { liveId: 'chat-live' });
  const a = await as('a');
  const b = await as('b');
  await a.call('live.join', { liveId: 'chat-live' });
  await b.call('live.join', { liveId: 'chat-live' });
  return { as, host, a, b };
}

const refusal = async (p: Promise<unknown>): Promise<{ code: number; name: string }> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof RequestError) return e.error;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('chat over WebSockets', () => {
  it('messages reach every socket as one chat.batch frame per tick, filtered; history arrives with the join', async () => {
    const { as, host, a, b } = await setup();
    await Promise.all([a.call('barrage.sendText', { text: 'hello darn world' }), b.call('barrage.sendText', { text: 'hi' })]);
    const got = await host.nextEvent('chat.batch', (p) => (p.messages?.length ?? 0) >= 1);
    const all = [got, ...host.events('chat.batch').filter((f) => f !== got)].flatMap(
      (f) => (f.payload as { messages?: { textContent?: string }[] }).messages ?? [],
    );
    expect(all.map((m) => m.textContent).sort()).toEqual(['hello **** world', 'hi']);
    expect(got.seq).toBe(0);
    const c = await as('c');
    const { snapshot } = await c.call('live.join', { liveId: 'chat-live' });
    expect(snapshot.barrage?.map((m) => m.textContent).sort()).toEqual(['hello **** world', 'hi']);
  });

  it('a banned member sees -2381; a too fast one FREQ_LIMIT; gifts and likes reach everyone', async () => {
    const { host, a, b } = await setup();
    await host.call('audience.disableSendMessage', { userId: 'a', isDisable: true });
    await b.nextEvent('audience.messageDisabledChanged', (p) => p.user.userId === 'a' && p.isDisable);
    expect(await refusal(a.call('barrage.sendText', { text: 'let me talk' }))).toMatchObject({ code: -2381 });
    for (let i = 0; i < 5; i++) await b.call('barrage.sendText', { text: `m${i}` });
    expect(await refusal(b.call('barrage.sendText', { text: 'one more' }))).toMatchObject({ code: -2 });
    await a.call('gift.send', { giftId: 'rose', count: 2 });
    const gift = await b.nextEvent('chat.batch', (p) => (p.gifts?.length ?? 0) > 0);
    expect(gift.payload.gifts?.[0]).toMatchObject({ sender: { userId: 'a' }, giftInfo: { giftID: 'rose' }, giftCount: 2 });
    expect(gift.payload.giftTotals).toEqual({ totalGiftsSent: 2, totalGiftCoins: 2, totalUniqueGiftSenders: 1 });
    await a.call('gift.like', { count: 3 });
    const like = await host.nextEvent('chat.batch', (p) => p.likes !== undefined);
    expect(like.payload.likes).toMatchObject({ totalLikesReceived: 3, sender: { userId: 'a' } });
  });
});
