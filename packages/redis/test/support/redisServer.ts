import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../server/test/support/freePort.js';

/**
 * A redis-server of the test's own on a free loopback port (never the shared 6379). Without persistence by default;
 * `persistent` turns on the append-only file (fsync always) in a temporary folder, so a restart keeps the data.
 */
export class TestRedis {
  #proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'onseat-redis-'));

  private constructor(
    readonly port: number,
    readonly persistent: boolean,
  ) {}

  static async start(options: { persistent?: boolean } = {}): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), options.persistent ?? false);
    await r.startProcess();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (again, after stop) and resolves when it accepts connections. */
  async startProcess(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir];
    args.push(...(this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#proc = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      proc.once('error', (e) => (clearTimeout(timer), reject(e)));
      proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`redis-server exited (${code}): ${out}`))));
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Stops redis-server (SIGKILL unless `graceful`) and waits until it is gone. */
  async stopProcess(graceful = false): Promise<void> {
    const proc = this.#proc;
    this.#proc = null;
    if (!proc || proc.exitCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill(graceful ? 'SIGTERM' : 'SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    await this.stopProcess();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let n = 0;
/** A key prefix no other test uses, so tests share one redis-server without seeing each other's keys. */
export const uniquePrefix = (): string => `t${process.pid}-${++n}-${Date.now()}:`;
