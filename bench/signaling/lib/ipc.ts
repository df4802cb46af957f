/**
 * Parent ↔ child plumbing for the benchmark: every server and every client runs in its own process
 * (the open-files limit is per process), and they talk over Node's IPC channel.
 *
 * Parent → child: `{id, cmd, args}`; child → parent: `{id, ok, result}` / `{id, ok:false, error}`, plus
 * unsolicited `{evt, data}` notices (fan-out receipts).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

/** Repository root (the benchmark runs with it as the working directory so `--import tsx` resolves). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** A forked child speaking the request/response protocol above. */
export class Child {
  readonly proc: ChildProcess;
  readonly name: string;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Map<string, Set<(data: unknown) => void>>();
  #exited = false;
  /** CPU time (ms) the process had used when it was stopped (Linux /proc), for the contamination check. */
  cpuMsAtStop = 0;

  /** `cpus`: pin the process (all threads) to these CPUs with taskset, e.g. "0"; ignored where taskset is missing. */
  constructor(name: string, script: string, opts: { execArgv?: string[]; args?: string[]; cpus?: string } = {}) {
    this.name = name;
    this.proc = fork(path.join(REPO_ROOT, script), opts.args ?? [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    if (opts.cpus !== undefined && this.proc.pid !== undefined) {
      spawnSync('taskset', ['-a', '-pc', opts.cpus, String(this.proc.pid)], { stdio: 'ignore' });
    }
    this.proc.on('message', (m: unknown) => this.#onMessage(m as Record<string, unknown>));
    this.proc.on('exit', (code, signal) => {
      this.#exited = true;
      const err = new Error(`${name} exited (code ${code}, signal ${signal})`);
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      this.#pending.clear();
    });
  }

  #onMessage(m: Record<string, unknown>): void {
    if (typeof m.evt === 'string') {
      for (const fn of this.#listeners.get(m.evt) ?? []) fn(m.data);
      return;
    }
    const p = this.#pending.get(m.id as number);
    if (!p) return;
    this.#pending.delete(m.id as number);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`${this.name}: ${String(m.error)}`));
  }

  /** Send a command and await its result (rejects after `timeoutMs`). */
  call<T = unknown>(cmd: string, args: unknown = {}, timeoutMs = 120_000): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: '${cmd}' timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.proc.send({ id, cmd, args });
    });
  }

  /** Listen to unsolicited notices of one kind; returns an unsubscribe function. */
  on(evt: string, fn: (data: unknown) => void): () => void {
    let set = this.#listeners.get(evt);
    if (!set) this.#listeners.set(evt, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Stop the child: ask politely, then SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#exited) return;
    this.cpuMsAtStop = processCpuMs(this.proc.pid);
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(t);
  }
}

/** CPU time (user + system, ms) of a process from /proc/<pid>/stat; 0 where unavailable. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid ?? 'self'}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return 0;
  }
}

/**
 * Busy and total CPU time of the whole machine (ms, summed over cores) from /proc/stat. Busy counts user,
 * nice and system time only: interrupt/softirq time (loopback delivery of the benchmark's own traffic lands
 * there) is not charged to any process, so it would look like someone else's load.
 */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    const busy = user + nice + system;
    return { busy: busy * 10, total: (busy + idle + iowait + irq + softirq + steal) * 10 };
  } catch {
    return { busy: 0, total: 0 };
  }
}

type Handler = (args: never) => unknown;

/** Child side: answer commands with `handlers[cmd](args)`; exits when the parent goes away. */
export function serveIpc(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('must be started with an IPC channel (child_process.fork)');
  process.on('message', (m: { id: number; cmd: string; args: unknown }) => {
    const h = handlers[m.cmd];
    const reply = (msg: object) => process.send?.({ id: m.id, ...msg });
    if (!h) {
      reply({ ok: false, error: `unknown command ${m.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => (h as (a: unknown) => unknown)(m.args))
      .then(
        (result) => reply({ ok: true, result }),
        (e: unknown) => reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** Child side: push an unsolicited notice to the parent. */
export function notify(evt: string, data: unknown): void {
  process.send?.({ evt, data });
}

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on this machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();
