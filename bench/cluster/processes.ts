import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/server/test/support/freePort.js';
import { APP } from './client.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'packages/server/dist/cli.js');

/**
 * CPU time (user + system) a process has used so far, in ms: the run time of each of its threads, in ns, from
 * /proc/PID/task/TID/schedstat. (/proc/PID/stat counts 10 ms ticks: too coarse for a phase of one node that lasts
 * 0.2 s.) A thread that ends between two readings takes its time with it; Node's and Redis's threads live as long as
 * the process.
 */
export function cpuMsOf(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended
    }
  }
  return ns / 1e6;
}

export async function startRedis(): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  return { proc, url: `redis://127.0.0.1:${port}` };
}

/** An `onseat` process from the built CLI. */
export async function startNode(args: string[], nodeFlags: string[] = []): Promise<{ proc: ChildProcess; url: string }> {
  // request budgets are lifted: guests apply and cancel in closed loops
  const proc = spawn(
    process.execPath,
    [
      ...nodeFlags,
      CLI,
      '--port',
      '0',
      '--media',
      'none',
      '--rate-limit-burst',
      '1000000',
      '--rate-limit-per-second',
      '1000000',
      '--request-budget-scale',
      '1000',
      ...args,
    ],
    {
      env: {
        ...process.env,
        ONSEAT_APPS: `${APP.sdkAppId}:${APP.secret}`,
        ONSEAT_LOG_LEVEL: process.env.ONSEAT_LOG_LEVEL ?? 'error',
        ONSEAT_STATIC_DIR: 'none',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // BENCH_NODE_LOG=dir: each node's output (logs at ONSEAT_LOG_LEVEL, default error) to dir/node-<pid>.log
  if (process.env.BENCH_NODE_LOG) {
    mkdirSync(process.env.BENCH_NODE_LOG, { recursive: true });
    proc.stdout.pipe(createWriteStream(path.join(process.env.BENCH_NODE_LOG, `node-${proc.pid}.log`)));
  }
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /onseat listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`onseat exited (${code}): ${out}`)));
  });
  return { proc, url };
}
