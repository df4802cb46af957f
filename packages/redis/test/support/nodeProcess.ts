import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { APP } from './cluster.js';

const CLI = fileURLToPath(new URL('../../../server/src/cli.ts', import.meta.url));

/** One `onseat --redis …` process (the real CLI, from source), for kill -9 and SIGSTOP tests. */
export class NodeProcess {
  private constructor(
    readonly proc: ChildProcess,
    readonly url: string,
    readonly output: () => string,
  ) {}

  /** `media`: run the werift SFU (default: `--media none`). */
  static async start(redisUrl: string, extra: string[] = [], options: { media?: boolean } = {}): Promise<NodeProcess> {
    const media = options.media ? [] : ['--media', 'none'];
    const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, '--port', '0', ...media, '--redis', redisUrl, ...extra], {
      env: {
        ...process.env,
        ONSEAT_APPS: `${APP.sdkAppId}:${APP.secret}`,
        ONSEAT_LOG_LEVEL: process.env.CLUSTER_TEST_LOG_LEVEL ?? 'warn',
        ONSEAT_STATIC_DIR: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`node did not start: ${out}`)), 45_000);
      const check = () => {
        const m = /onseat listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      proc.stdout.on('data', check);
      proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`node exited (${code}): ${out}`))));
    });
    return new NodeProcess(proc, url, () => out);
  }

  signal(sig: NodeJS.Signals): void {
    this.proc.kill(sig);
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await gone;
  }

  async metrics(): Promise<string> {
    const res = await fetch(`${this.url}/metrics`);
    return res.text();
  }
}

/** A number from a Prometheus exposition (first sample of that name). */
/** The value of metric `name` on the /metrics of the server at `url` (NaN when absent). */
export async function scrapeMetric(url: string, name: string): Promise<number> {
  return metricValue(await (await fetch(`${url}/metrics`)).text(), name);
}

export function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}
