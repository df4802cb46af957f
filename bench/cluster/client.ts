import { PROTOCOL_VERSION } from '@onseat/protocol';
import { createUserSig } from '@onseat/server';
import WebSocket from 'ws';

export const APP = { sdkAppId: 1400000001, secret: 'bench-cluster-secret-0123456789abcdef' };

interface Frame {
  kind: 'res' | 'evt';
  id?: string;
  ok?: boolean;
  type?: string;
  seq?: number;
  payload?: unknown;
  error?: { code: number; message: string };
}

/** A bare signalling client for the benchmark: requests with ids, and a hook per event type. */
export class BenchClient {
  #next = 0;
  readonly #pending = new Map<string, (f: Frame) => void>();
  readonly #onEvent = new Map<string, (f: Frame) => void>();
  lastSeq = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly userId: string,
  ) {
    ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString()) as Frame;
      if (f.kind === 'res' && f.id) {
        const p = this.#pending.get(f.id);
        this.#pending.delete(f.id);
        p?.(f);
      } else if (f.kind === 'evt') {
        if (f.seq) this.lastSeq = Math.max(this.lastSeq, f.seq);
        this.#onEvent.get(f.type ?? '')?.(f);
      }
    });
    ws.on('error', () => {});
  }

  static async connect(url: string, userId: string): Promise<BenchClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/signal`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const c = new BenchClient(ws, userId);
    const userSig = await createUserSig({ sdkAppId: APP.sdkAppId, secret: APP.secret, userId });
    const r = await c.request('session.hello', { protocolVersion: PROTOCOL_VERSION, sdkAppId: APP.sdkAppId, userId, userSig });
    if (!r.ok) throw new Error(`hello failed: ${JSON.stringify(r.error)}`);
    return c;
  }

  request(type: string, payload: unknown, timeoutMs = 10_000): Promise<Frame> {
    const id = `${this.userId}-${++this.#next}`;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${type} timed out`));
      }, timeoutMs);
      this.#pending.set(id, (f) => (clearTimeout(t), resolve(f)));
      this.ws.send(JSON.stringify({ kind: 'req', id, type, payload }));
    });
  }

  async call(type: string, payload: unknown): Promise<unknown> {
    const r = await this.request(type, payload);
    if (!r.ok) throw new Error(`${type} failed: ${JSON.stringify(r.error)}`);
    return r.payload;
  }

  on(type: string, fn: (f: Frame) => void): void {
    this.#onEvent.set(type, fn);
  }

  close(): void {
    this.ws.terminate();
  }
}
