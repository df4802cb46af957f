/**
 * /healthz tells a load balancer when not to send anyone: 503 `restoring` while a starting server loads its lives
 * (requests wait meanwhile), 200 `ok` after.
 */
import { createServer as createNetServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';
import { MemoryLiveStore } from '../src/store/MemoryLiveStore.js';

/** The memory store, whose restore listing waits until the test lets it go (a slow disk, a large database). */
class SlowRestoreStore extends MemoryLiveStore {
  release!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.release = resolve));
  override async liveKeys(): Promise<string[]> {
    await this.#gate;
    return super.liveKeys();
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('/healthz during start-up', () => {
  it('answers 503 restoring until the stored lives are loaded, then 200 ok', async () => {
    const store = new SlowRestoreStore();
    const port = await freePort();
    const server = createServer({ port, host: '127.0.0.1', logger: silentLogger, store });
    const listening = server.listen();
    let res: Response | undefined;
    for (let i = 0; i < 200 && !res; i++) {
      res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (!res) await new Promise((r) => setTimeout(r, 10));
    }
    expect(res?.status).toBe(503);
    expect(((await res!.json()) as { status: string }).status).toBe('restoring');
    store.release();
    await listening;
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe('ok');
    await server.close();
  });
});
