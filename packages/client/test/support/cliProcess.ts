/**
 * The real `onseat` CLI as a child process on a fixed port and data dir, so a test can kill it (-9 or SIGTERM) and
 * start it again where clients will find it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUserSig } from '@onseat/server';
import { freePort } from '../../../server/test/support/freePort.js';

const CLI = fileURLToPath(new URL('../../../server/src/cli.ts', import.meta.url));

export interface CliNode {
  url: string;
  dataDir: string;
  /** The running process (replaced by `start`). */
  child(): ChildProcess;
  /** Starts the process (again) and resolves once it listens. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown at all. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code and how long the exit took (ms). */
  terminate(): Promise<{ code: number | null; ms: number }>;
  /** A userSig for the dev app (its secret is kept in the data dir). */
  sig(userId: string, userName?: string): Promise<string>;
  sdkAppId(): number;
  output(): string;
  stop(): Promise<void>;
}

/** A CLI node with the SQLite store in a fresh data dir. `args` are extra CLI flags. */
export async function cliNode(args: string[] = []): Promise<CliNode> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'onseat-restart-'));
  let proc: ChildProcess | null = null;
  let out = '';
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ONSEAT_') && k !== 'PORT') env[k] = v;
  env.ONSEAT_LOG_LEVEL = 'warn';
  const exited = (p: ChildProcess) =>
    new Promise<number | null>((resolve) =>
      p.exitCode !== null || p.signalCode !== null ? resolve(p.exitCode) : p.once('exit', (code) => resolve(code)),
    );
  const devApp = () => JSON.parse(readFileSync(join(dataDir, 'dev-app.json'), 'utf8')) as { sdkAppId: number; secret: string };

  const node: CliNode = {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    child: () => proc!,
    start: () =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(
          process.execPath,
          [
            '--conditions=source',
            '--import',
            'tsx',
            CLI,
            '--port',
            String(port),
            '--store',
            'sqlite',
            '--data-dir',
            dataDir,
            '--media',
            'none',
            ...args,
          ],
          { env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        proc = p;
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
        p.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (/onseat listening on/.test(d.toString())) {
            clearTimeout(timer);
            resolve();
          }
        });
        p.stderr?.on('data', (d: Buffer) => (out += d.toString()));
        p.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`exited with ${code}: ${out}`));
        });
      }),
    kill9: async () => {
      const p = proc!;
      p.kill('SIGKILL');
      await exited(p);
    },
    terminate: async () => {
      const p = proc!;
      const t0 = performance.now();
      p.kill('SIGTERM');
      const code = await exited(p);
      return { code, ms: performance.now() - t0 };
    },
    sig: (userId, userName) => {
      const app = devApp();
      return createUserSig({ sdkAppId: app.sdkAppId, secret: app.secret, userId, userName: userName ?? `${userId}-name` });
    },
    sdkAppId: () => devApp().sdkAppId,
    output: () => out,
    stop: async () => {
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited(proc);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return node;
}
