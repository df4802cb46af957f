import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the checkpointer thread reports after each round (SQLite's `wal_checkpoint` row), or its failure. */
export type CheckpointReport = { busy: number; log: number; checkpointed: number } | { error: string };

export interface CheckpointerOptions {
  /** The database file (WAL mode). */
  file: string;
  /** Time between two PASSIVE checkpoints. */
  intervalMs: number;
  /** Called after every round (tests and metrics). */
  onReport?: (report: CheckpointReport) => void;
  /** Something the thread could not do that does not stop it (e.g. lowering its priority where that is not allowed). */
  onWarning?: (message: string) => void;
  /** The thread could not start or died: the store falls back to checkpointing on its own thread. */
  onFailure: (err: Error) => void;
}

// Plain CommonJS for an `eval` worker: no file to resolve next to the compiled output (tests run the sources).
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// The lowest CPU priority for this thread only (on Linux the nice value is per thread): on a server with one core,
// copying pages must never delay the event loop, which handles every command and delivery.
let priorityWarning = null;
try { require('node:os').setPriority(19); } catch (err) { priorityWarning = 'could not lower its CPU priority: ' + String(err && err.message || err); }
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 1000, fileMustExist: true });
const round = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(round, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'round') round();
  if (m === 'close') { clearInterval(timer); db.close(); parentPort.postMessage('closed'); parentPort.close(); }
});
parentPort.postMessage('ready');
if (priorityWarning) parentPort.postMessage({ warning: priorityWarning });
`;

/**
 * Copies the WAL back into the database file on a thread of its own, with its own connection, every `intervalMs`
 * (PASSIVE: never blocks the writer). The writer runs with `wal_autocheckpoint = 0`, so a commit never pays for a
 * checkpoint — the page copies and the fsync that used to stall the event loop every ~1,000 pages happen here. The
 * thread runs at nice 19 (Linux: per thread), so where the process has a single core the event loop still comes first.
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #ready: Promise<void>;
  #closed = false;

  constructor(options: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file: options.file, intervalMs: options.intervalMs } });
    this.#worker.unref();
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.once('error', reject);
      this.#worker.once('message', () => resolve());
    });
    this.#ready.catch(() => undefined);
    this.#worker.on('message', (m: CheckpointReport | { warning: string } | 'ready' | 'closed') => {
      if (typeof m === 'object' && 'warning' in m) options.onWarning?.(m.warning);
      else if (typeof m === 'object') options.onReport?.(m);
    });
    this.#worker.on('error', (err) => {
      if (!this.#closed) options.onFailure(err);
    });
    this.#worker.on('exit', (code) => {
      if (!this.#closed) options.onFailure(new Error(`the checkpoint thread exited (code ${code})`));
    });
  }

  /** Resolves once the thread has opened the database (rejects if it could not). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Asks for a checkpoint now (tests). */
  runNow(): void {
    if (!this.#closed) this.#worker.postMessage('round');
  }

  /** Closes the thread's connection (so the writer's close is the last one and removes the WAL), then ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      this.#worker.on('message', (m) => {
        if (m === 'closed') {
          clearTimeout(t);
          resolve();
        }
      });
      this.#worker.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.#worker.postMessage('close');
    await closed;
    await this.#worker.terminate();
  }
}
