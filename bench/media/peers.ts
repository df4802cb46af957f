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

const host = await connectAs(url, app, `host-${liveId}`);
await host.call('live.start', { liveId, maxSeatCount: 2 });
const pub = new FakePublisher(['audio', 'video']);
const answer = await host.call('media.publish', { sdp: await pub.offer() });
await pub.accept(answer.sdp);

// Fixed bitrate: audio 50 packets/s of 160 bytes, video `videoPps` packets/s of 1100 bytes (10 ms ticks).
let seq = 0;
let vseq = 0;
let ticks = 0;
const audio = pub.tracks.get('audio');
const video = pub.tracks.get('video');
const timer = setInterval(() => {
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
  const c = await connectAs(url, app, `v${i}-${liveId}`);
  await c.call('live.join', { liveId });
  const s = new FakeSubscriber(c);
  await s.start();
  subs.push(s);
}
await until(
  () => subs.every((s) => s.count(`host-${liveId}`, 'video') > 0 && s.count(`host-${liveId}`, 'audio') > 0),
  60_000 + n * 1_000,
  'every subscriber receiving',
);
const total = () => subs.reduce((sum, s) => sum + [...s.counts.values()].reduce((a, b) => a + b, 0), 0);
process.send?.({ type: 'ready', pps: videoPps + 50, kbps: Math.round(((videoPps * VIDEO_PAYLOAD + 50 * 160) * 8) / 1000) });
process.on('message', (m: { type: string }) => {
  if (m.type === 'count') process.send?.({ type: 'count', packets: total(), cpu: process.cpuUsage() });
  if (m.type === 'close') {
    clearInterval(timer);
    void Promise.all([...subs.map((s) => s.close()), pub.close()]).finally(() => process.exit(0));
  }
});
