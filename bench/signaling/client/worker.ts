/**
 * One client process of the benchmark (≤ ~9,500 sockets each; the parent starts several). It holds onseat,
 * bare-ws and socket.io client sockets and runs what the parent asks over IPC.
 */
import WebSocket from 'ws';
import { io as sioConnect, type Socket } from 'socket.io-client';
import { epochMs, serveIpc } from '../lib/ipc.js';
import { mapLimit } from '../lib/stats.js';
import { FanRecorder } from './fanRecorder.js';
import { closeLives, coGuestLoad, connectLives, seatOps, type LiveConns, type LiveSpec } from './onseatLoad.js';
import type { OnseatConn } from './onseatConn.js';
import { chatArrivals, chatSetup, chatStorm, probeSeatOps } from './chatStorm.js';
import { pausesStart, pausesStop } from '../lib/pauses.js';

const lives = new Map<string, LiveConns>();
const rec = new FanRecorder();
let fanReceivers = 0;
let trigger: (() => Promise<{ ok: boolean; error?: string }>) | undefined;
let wsSockets: WebSocket[] = [];
let sioSockets: Socket[] = [];
const SEAT_MARK = Buffer.from('seat.listChanged');
let captured: string | undefined;

function openWs(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function openSio(url: string, role: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = sioConnect(url, { transports: ['websocket'], forceNew: true, reconnection: false, query: { role } });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function retry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

serveIpc({
  connectOnseat(a: { url: string; sdkAppId: number; secret: string; specs: LiveSpec[]; concurrency: number }) {
    return connectLives(lives, a);
  },
  closeOnseat(a: { liveIds?: string[] }) {
    return closeLives(lives, a.liveIds ?? [...lives.keys()]);
  },
  seatOps(a: { samples: number }) {
    return seatOps(lives, a);
  },
  load(a: { durationMs: number; applyLoops: number; acceptLoops: number }) {
    return coGuestLoad(lives, a);
  },

  chatSetup(a: { liveId: string }) {
    return chatSetup(lives, a);
  },
  chatStorm(a: { liveId: string; senders: number; perSender: number; durationMs: number }) {
    return chatStorm(lives, a);
  },
  chatArrivals() {
    return chatArrivals();
  },
  probeSeatOps(a: { liveId: string; durationMs: number }) {
    return probeSeatOps(lives, a);
  },
  /** One request from the host of `liveId` (in this process). */
  async hostRequest(a: { liveId: string; type: string; payload: object }) {
    const host = lives.get(a.liveId)?.host;
    if (!host) throw new Error(`hostRequest: no host of ${a.liveId} here`);
    const r = await host.request(a.type, a.payload);
    if (!r.ok) throw new Error(`${a.type}: ${r.error?.name ?? 'failed'}`);
    return {};
  },

  /** Fan-out on onseat: this process's audience of `liveId` record seat.listChanged; its host (if here) triggers. */
  fanSetupOnseat(a: { liveId: string; seatIndex: number }) {
    const l = lives.get(a.liveId);
    const audience = l?.audience ?? [];
    audience.forEach((c: OnseatConn, i) => {
      c.rawHook = (data, t) => {
        if (data.indexOf(SEAT_MARK) === -1) return false;
        rec.recv(i, t);
        if (i === 0 && captured === undefined) captured = data.toString();
        return true;
      };
    });
    fanReceivers = audience.length;
    trigger = undefined;
    const host = l?.host;
    let locked = false;
    if (host) {
      trigger = async () => {
        const r = await host.request(locked ? 'seat.unlock' : 'seat.lock', { seatIndex: a.seatIndex });
        locked = !locked;
        return r.ok ? { ok: true } : { ok: false, error: `${r.error?.name}: ${r.error?.message}` };
      };
    }
    return { receivers: fanReceivers, host: host !== undefined };
  },
  /** The first seat.listChanged frame an audience socket here received (the bytes the comparison servers send). */
  capturedFrame() {
    return captured ?? null;
  },

  /** Fan-out on the bare ws server: `count` audience sockets (and the host when `host`). */
  async connectWs(a: { url: string; count: number; host: boolean; concurrency: number }) {
    const t0 = performance.now();
    const idx = Array.from({ length: a.count }, (_, i) => i);
    wsSockets = await mapLimit(idx, a.concurrency, async (i) => {
      const ws = await retry(() => openWs(`${a.url}/?role=aud`));
      ws.on('message', () => rec.recv(i, performance.now()));
      return ws;
    });
    fanReceivers = a.count;
    trigger = undefined;
    if (a.host) {
      const host = await openWs(`${a.url}/?role=host`);
      wsSockets.push(host);
      trigger = async () => {
        host.send('go');
        return { ok: true };
      };
    }
    return { sockets: wsSockets.length, ms: performance.now() - t0 };
  },
  async connectSio(a: { url: string; count: number; host: boolean; concurrency: number }) {
    const t0 = performance.now();
    const idx = Array.from({ length: a.count }, (_, i) => i);
    sioSockets = await mapLimit(idx, a.concurrency, async (i) => {
      const s = await retry(() => openSio(a.url, 'aud'));
      s.on('evt', () => rec.recv(i, performance.now()));
      return s;
    });
    fanReceivers = a.count;
    trigger = undefined;
    if (a.host) {
      const host = await openSio(a.url, 'host');
      sioSockets.push(host);
      trigger = async () => {
        host.emit('trigger');
        return { ok: true };
      };
    }
    return { sockets: sioSockets.length, ms: performance.now() - t0 };
  },
  async closeOthers() {
    const n = wsSockets.length + sioSockets.length;
    await mapLimit(
      wsSockets,
      500,
      (ws) => new Promise<void>((r) => (ws.readyState === WebSocket.CLOSED ? r() : (ws.once('close', () => r()), ws.close()))),
    );
    for (const s of sioSockets) s.disconnect();
    wsSockets = [];
    sioSockets = [];
    return n;
  },

  /** Arm a round: expect one receipt from each receiver of this process. */
  fanArm(a: { round: number }) {
    rec.arm(a.round, fanReceivers);
    return { receivers: fanReceivers };
  },
  /** Host side: send the trigger; returns the send time (epoch ms). */
  async fanTrigger() {
    if (!trigger) throw new Error('no fan-out host in this process');
    const t0 = epochMs();
    const r = await trigger();
    return { t0, ...r };
  },
  fanStatus() {
    return rec.status();
  },
  cpu() {
    return process.cpuUsage();
  },
  pausesStart,
  pausesStop,
});
