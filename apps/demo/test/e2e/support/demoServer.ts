/**
 * Starts the server the way `npm start` does — the built CLI (`packages/server/dist/cli.js`) serving the built demo
 * (`apps/demo/dist`) — on a free port of 127.0.0.1, and stops it again. Needs `npm run build` first (`npm test` does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const CLI = `${ROOT}packages/server/dist/cli.js`;
const DEMO_DIST = `${ROOT}apps/demo/dist`;

/** A running server: its base URL (`http://127.0.0.1:PORT`) and how to stop it. */
export interface DemoServer {
  url: string;
  port: number;
  dataDir: string;
  /** SIGINT (like Ctrl-C), then waits for the process to exit (SIGKILL after 5 s); removes the data dir unless kept. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies without any shutdown; the data dir stays (start again with `{port, dataDir}`). */
  kill9(): Promise<void>;
}

export interface DemoServerOptions {
  /** Default: a free port. */
  port?: number;
  /** Default: a fresh temp dir, removed on stop. A given dir is kept. */
  dataDir?: string;
  timeoutMs?: number;
}

/** The repository root (ends with `/`). */
export const REPO_ROOT = ROOT;

/**
 * Spawns `node packages/server/dist/cli.js --port 0 --static-dir apps/demo/dist --data-dir <fresh temp dir>` and
 * resolves once it listens (each server gets its own SQLite data dir, removed on stop).
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  for (const [path, what] of [
    [CLI, 'the server'],
    [`${DEMO_DIST}/index.html`, 'the demo'],
  ] as const) {
    if (!existsSync(path)) throw new Error(`${what} is not built (${path} is missing): run "npm run build" first`);
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'onseat-demo-data-'));
  const child = spawn(
    process.execPath,
    [CLI, '--port', String(options.port ?? 0), '--static-dir', DEMO_DIST, '--log-level', 'warn', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv(),
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
      const m = /onseat listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1] && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the server exited with code ${String(code)}:\n${output}`)));
  });
  const kill9 = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    kill9,
    stop: () => stopChild(child).then(() => (options.dataDir ? undefined : rmSync(dataDir, { recursive: true, force: true }))),
  };
}

/** This process's environment without the ONSEAT_* and PORT settings a developer may have exported. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key === 'PORT' || key.startsWith('ONSEAT_')) delete env[key];
  return env;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGINT');
  });
}
