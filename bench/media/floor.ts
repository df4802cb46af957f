/**
 * The floor of forwarding in Node on this machine (its own process, like the SFU): for every packet the fan-out
 * publisher sends (same sizes and rates: audio 50 packets/s of 160 bytes, video `videoPps` of 1100 bytes, 10 ms
 * ticks), SRTP-protect it (AEAD_AES_128_GCM, the profile werift and Chrome negotiate, with our SRTP code) for each
 * of N subscribers with that subscriber's keys and write it on that subscriber's connected UDP socket. Nothing else:
 * no parsing, no ICE, no RTCP. The receiving sockets live in the parent. IPC: `cpu` → `process.cpuUsage()` and the
 * packets sent so far.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { SRTP_AEAD_AES_128_GCM, SrtpContext } from '../../packages/server/src/media/srtp/index.js';

const [portsRaw = '[]', kbpsRaw = '1000'] = process.argv.slice(2);
const ports = JSON.parse(portsRaw) as number[];
const VIDEO_PAYLOAD = 1100;
const videoPps = Math.max(1, Math.round((Number(kbpsRaw) * 1000) / 8 / VIDEO_PAYLOAD));

interface Out {
  ctx: SrtpContext;
  socket: Socket;
  header: Buffer;
}
const outs: Out[] = await Promise.all(
  ports.map(
    (port, i) =>
      new Promise<Out>((resolve, reject) => {
        const socket = createSocket('udp4');
        socket.once('error', reject);
        socket.connect(port, '127.0.0.1', () => {
          const header = Buffer.alloc(12);
          header[0] = 0x80;
          header.writeUInt32BE(0x1000 + i, 8);
          resolve({ ctx: SrtpContext.fromMasterKey(SRTP_AEAD_AES_128_GCM, randomBytes(16), randomBytes(12)), socket, header });
        });
      }),
  ),
);

let sent = 0;
const audio = Buffer.alloc(160, 1);
const video = Buffer.alloc(VIDEO_PAYLOAD, 2);
const send = (payload: Buffer, pt: number, seq: number, ts: number, marker: boolean) => {
  for (const o of outs) {
    o.header[1] = (marker ? 0x80 : 0) | pt;
    o.header.writeUInt16BE(seq, 2);
    o.header.writeUInt32BE(ts >>> 0, 4);
    o.socket.send(o.ctx.protectRtpParts(o.header, payload));
    sent++;
  }
};
let ticks = 0;
let aseq = 0;
let vseq = 0;
/** `pause`/`resume` over IPC: no packets while paused (the fan-out phase measures the idle cost per second). */
let paused = false;
const timer = setInterval(() => {
  if (paused) return;
  ticks += 1;
  if (ticks % 2 === 0) {
    aseq = (aseq + 1) & 0xffff;
    send(audio, 111, aseq, aseq * 960, true);
  }
  const due = Math.floor((ticks * videoPps) / 100) - Math.floor(((ticks - 1) * videoPps) / 100);
  for (let i = 0; i < due; i++) {
    vseq = (vseq + 1) & 0xffff;
    send(video, 96, vseq, ticks * 900, i === due - 1);
  }
}, 10);

process.send?.({ type: 'ready', pps: videoPps + 50 });
process.on('message', (m: { type: string }) => {
  if (m.type === 'cpu') process.send?.({ type: 'cpu', cpu: process.cpuUsage(), packets: sent });
  if (m.type === 'pause' || m.type === 'resume') {
    paused = m.type === 'pause';
    process.send?.({ type: m.type });
  }
  if (m.type === 'close') {
    clearInterval(timer);
    for (const o of outs) o.socket.close();
    process.exit(0);
  }
});
