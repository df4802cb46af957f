import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/server/test/support/freePort.js';
import { APP } from './client.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'packages/server/dist/cli.js');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) a process has used so far, in ms (from /proc). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
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
