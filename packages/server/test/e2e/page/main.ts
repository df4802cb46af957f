/**
 * The browser side of the media e2e test (bundled with esbuild): a minimal onseat protocol client over WebSocket
 * plus `MediaSession`, exposed as `window.onseat` for Playwright to drive.
 */
import { PROTOCOL_VERSION, SIGNAL_PATH, type RequestPayload, type RequestResult, type RequestType } from '@onseat/protocol';
import { MediaSession } from '../../../../client/src/media/MediaSession.js';

type Res = { kind: 'res'; id: string; ok: boolean; payload?: unknown; error?: { code: number; name: string; message: string } };
type Evt = { kind: 'evt'; type: string; payload: unknown };

class RequestFailed extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

let ws: WebSocket | undefined;
let nextId = 0;
const pending = new Map<string, (r: Res) => void>();
const events: Evt[] = [];
let session: MediaSession | undefined;

function send(type: string, payload: unknown): Promise<Res> {
  const id = `p${++nextId}`;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ws?.send(JSON.stringify({ kind: 'req', id, type, payload }));
  });
}

async function request<T extends RequestType>(type: T, payload: RequestPayload<T>): Promise<RequestResult<T>> {
  const r = await send(type, payload);
  if (!r.ok) throw new RequestFailed(r.error?.code ?? -1, `${type}: ${r.error?.name} ${r.error?.message}`);
  return r.payload as RequestResult<T>;
}

async function login(url: string, sdkAppId: number, userId: string, userSig: string): Promise<void> {
  ws = new WebSocket(`${url.replace(/^http/, 'ws')}${SIGNAL_PATH}`);
  ws.onmessage = (m) => {
    const f = JSON.parse(String(m.data)) as Res | Evt;
    if (f.kind === 'res') {
      pending.get(f.id)?.(f);
      pending.delete(f.id);
    } else {
      events.push(f);
      session?.handleEvent(f.type, f.payload);
    }
  };
  await new Promise((resolve, reject) => {
    ws!.onopen = resolve;
    ws!.onerror = reject;
  });
  await request('session.hello', { protocolVersion: PROTOCOL_VERSION, sdkAppId, userId, userSig });
  session = new MediaSession(request);
}

/** Inbound RTP of the subscribe transport by `${userId}:${kind}` (and the mid of each). */
async function inbound(): Promise<Record<string, { mid: string; packetsReceived: number; framesDecoded: number }>> {
  const pc = session?.subscribeConnection;
  const out: Record<string, { mid: string; packetsReceived: number; framesDecoded: number }> = {};
  if (!pc || !session) return out;
  const byMid = new Map(session.remoteTracks.map((t) => [t.mid, `${t.userId}:${t.kind}`]));
  const report = await pc.getStats();
  report.forEach((s: { type: string; mid?: string; packetsReceived?: number; framesDecoded?: number }) => {
    if (s.type !== 'inbound-rtp' || s.mid === undefined) return;
    const key = byMid.get(s.mid);
    if (key) out[key] = { mid: s.mid, packetsReceived: s.packetsReceived ?? 0, framesDecoded: s.framesDecoded ?? 0 };
  });
  return out;
}

/** Packets received on one mid, whoever it belongs to now (0 when the receiver is gone). */
async function packetsOnMid(mid: string): Promise<number> {
  let n = 0;
  const report = await session?.subscribeConnection?.getStats();
  report?.forEach((s: { type: string; mid?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.mid === mid) n = s.packetsReceived ?? 0;
  });
  return n;
}

async function call(type: string, payload: unknown): Promise<Res> {
  return send(type, payload);
}

/** Opens local devices and publishes; resolves with the error code on refusal, 0 on success. */
async function open(audio: boolean, video: boolean): Promise<number> {
  try {
    await session!.openLocal({ audio, video });
    return 0;
  } catch (e) {
    if (e instanceof RequestFailed) return e.code;
    console.error('open failed', e);
    (window as unknown as { lastError?: string }).lastError = String(e);
    return -99999;
  }
}

/** Video bytes the publish transport sent over `ms`, as kbit/s. */
async function outboundVideoKbps(ms: number): Promise<number> {
  const bytes = async () => {
    let n = 0;
    (await session?.publishConnection?.getStats())?.forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.bytesSent ?? 0;
    });
    return n;
  };
  const a = await bytes();
  await new Promise((r) => setTimeout(r, ms));
  return (((await bytes()) - a) * 8) / ms;
}

/** The publish transport's bandwidth estimate (kbit/s), as Chrome reports it on the selected candidate pair. */
async function availableOutgoingKbps(): Promise<number> {
  let bps = 0;
  (await session?.publishConnection?.getStats())?.forEach((s: { type: string; nominated?: boolean; availableOutgoingBitrate?: number }) => {
    if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) bps = s.availableOutgoingBitrate;
  });
  return bps / 1000;
}

const api = {
  outboundVideoKbps,
  availableOutgoingKbps,
  login,
  call,
  open,
  subscribe: () => session!.subscribe(),
  inbound,
  packetsOnMid,
  remoteTracks: () => session!.remoteTracks.map((t) => ({ userId: t.userId, kind: t.kind, mid: t.mid })),
  events: (type: string) => events.filter((e) => e.type === type).map((e) => e.payload),
};
(window as unknown as { onseat: typeof api }).onseat = api;
export type PageApi = typeof api;
