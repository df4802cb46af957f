/**
 * Load generator of the fan-out phase (its own process): one werift publisher sending synthetic RTP at a fixed
 * bitrate and N werift subscribers, all speaking the onseat protocol. IPC: `count` → packets received so far.
 */
import { RtpHeader, RtpPacket } from 'werift';
import { connectAs, type TestApp } from '../../packages/server/test/support/wsClient.js';
import { FakePublisher, FakeSubscriber, until } from '../../packages/server/test/e2e/support/weriftPeer.js';

const [url = '', appJson = '{}', nRaw = '20', kbpsRaw = '1000', liveId = 'fanout'] = process.argv.slice(2);
const app = JSON.parse(appJson) as TestApp;
const n = Number(nRaw);
const videoKbps = Number(kbpsRaw);
const VIDEO_PAYLOAD = 1100;
const videoPps = Math.max(1, Math.round((videoKbps * 1000) / 8 / VIDEO_PAYLOAD));

/** Runs `step` again (up to 3 tries) when it fails: on a loaded machine a socket may not open or a reply be late. */
async function retried<T>(what: string, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      process.stderr.write(`peers: ${what} failed (try ${attempt}): ${err instanceof Error ? err.message : 'error'}\n`);
      if (attempt >= 3) throw err;
    }
  }
}
const SLOW = { timeoutMs: 20_000 };

const host = await retried('host connect', () => connectAs(url, app, `host-${liveId}`, SLOW));
await retried('live.start', async () => {
  const res = await host.request('live.start', { liveId, maxSeatCount: 2 }, SLOW);
  if (!res.ok && res.error.name !== 'LIVE_ID_OCCUPIED') throw new Error(res.error.message);
});
/**
 * Publishes on a fresh transport until one connects (at most 3 tries): on a loaded machine a werift transport may
 * fail ICE/DTLS, and subscribers get no offer before the SFU has received the publisher's tracks.
 */
async function publish(): Promise<FakePublisher> {
  for (let attempt = 1; ; attempt++) {
    const p = new FakePublisher(['audio', 'video']);
    const answer = await host.call('media.publish', { sdp: await p.offer() });
    await p.accept(answer.sdp);
    try {
      await until(() => p.pc.connectionState === 'connected', 30_000, 'the publish transport connected');
      return p;
    } catch (err) {
      process.stderr.write(`peers: publish transport ${p.pc.connectionState} (try ${attempt})\n`);
      await p.close();
      if (attempt >= 3) throw err;
    }
  }
}
const pub = await publish();

// Fixed bitrate: audio 50 packets/s of 160 bytes, video `videoPps` packets/s of 1100 bytes (10 ms ticks).
let seq = 0;
let vseq = 0;
let ticks = 0;
const audio = pub.tracks.get('audio');
const video = pub.tracks.get('video');
/** `pause`/`resume` over IPC: no packets while paused (the fan-out phase measures the idle cost per second). */
let paused = false;
const timer = setInterval(() => {
  if (paused) return;
  ticks += 1;
  if (ticks % 2 === 0) {
    seq = (seq + 1) & 0xffff;
    audio?.writeRtp(
      new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, marker: true }), Buffer.alloc(160, 1)),
    );
  }
  const due = Math.floor((ticks * videoPps) / 100) - Math.floor(((ticks - 1) * videoPps) / 100);
  for (let i = 0; i < due; i++) {
    vseq = (vseq + 1) & 0xffff;
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: vseq, timestamp: ticks * 900, marker: i === due - 1 });
    video?.writeRtp(new RtpPacket(header, Buffer.alloc(VIDEO_PAYLOAD, 2)));
  }
}, 10);

const subs: FakeSubscriber[] = [];
for (let i = 0; i < n; i++) {
  const c = await retried(`v${i} connect`, () => connectAs(url, app, `v${i}-${liveId}`, SLOW));
  await retried(`v${i} live.join`, async () => {
    const res = await c.request('live.join', { liveId }, SLOW);
    if (!res.ok) throw new Error(res.error.message);
  });
  const s = new FakeSubscriber(c);
  await retried(`v${i} media.subscribe`, () => s.start());
  subs.push(s);
}
// Every subscriber does ICE + DTLS in werift: on a loaded machine some take long, and one whose transport never came
// up must not sink the whole level. Wait for all of them up to the deadline, then go on if at least half receive
// (saying which did not and in what state), else fail the level.
const receiving = (s: FakeSubscriber) => s.count(`host-${liveId}`, 'video') > 0 && s.count(`host-${liveId}`, 'audio') > 0;
await until(() => subs.every(receiving), 60_000 + n * 1_000, 'every subscriber receiving').catch((err: unknown) => {
  const late = subs.flatMap((s, i) => (receiving(s) ? [] : [[i, s] as const]));
  const states = late.map(
    ([i, s]) =>
      `v${i}: ${s.pc.connectionState}, ${s.offers.length} offers${s.error ? `, ${s.error instanceof Error ? s.error.message : 'error'}` : ''}`,
  );
  process.stderr.write(`peers: ${late.length} of ${n} subscribers not receiving: ${states.slice(0, 5).join('; ')}\n`);
  if (late.length * 2 > n) throw err;
});
const lateAnswers = subs.reduce((sum, s) => sum + s.lateAnswers, 0);
if (lateAnswers > 0) {
  process.stderr.write(`peers: ${lateAnswers} answers came after the server's offer retry (offerRetryMs) and waited for the new offer\n`);
}
const total = () => subs.reduce((sum, s) => sum + [...s.counts.values()].reduce((a, b) => a + b, 0), 0);
process.send?.({
  type: 'ready',
  receiving: subs.filter(receiving).length,
  pps: videoPps + 50,
  kbps: Math.round(((videoPps * VIDEO_PAYLOAD + 50 * 160) * 8) / 1000),
});
process.on('message', (m: { type: string }) => {
  if (m.type === 'count') process.send?.({ type: 'count', packets: total(), cpu: process.cpuUsage() });
  if (m.type === 'pause' || m.type === 'resume') {
    paused = m.type === 'pause';
    process.send?.({ type: m.type });
  }
  if (m.type === 'close') {
    clearInterval(timer);
    void Promise.all([...subs.map((s) => s.close()), pub.close()]).finally(() => process.exit(0));
  }
});
