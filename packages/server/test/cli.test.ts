import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_OPTIONS, ConfigError, optionsFromCli, resolveConfig } from '../src/config.js';
import { DEV_APP_FILE } from '../src/store/devAppFile.js';
import { StoreOpenError } from '../src/store/StoreOpenError.js';
import { WsClient } from './support/wsClient.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'onseat-cli-'));
  dirs.push(d);
  return d;
}

/** The environment without a developer's ONSEAT_* settings, with a fresh data dir (never ./data of the checkout). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ONSEAT_') && k !== 'PORT') env[k] = v;
  return { ...env, ONSEAT_LOG_LEVEL: 'warn', ONSEAT_DATA_DIR: tempDir(), ...extra };
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Wait for the listening line and return the URL it names. */
function listening(r: Run, timeoutMs = 15_000): Promise<{ url: string; line: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${r.stderr()}`)), timeoutMs);
    const check = (): void => {
      const m = /^onseat listening on (http:\/\/\S+) \((.*)\)$/m.exec(r.stdout());
      if (!m?.[1]) return;
      clearTimeout(timer);
      r.child.stdout?.off('data', check);
      resolve({ url: m[1], line: m[0] });
    };
    r.child.stdout?.on('data', check);
    void r.exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${r.stderr()}`));
    });
  });
}

describe('onseat CLI', { timeout: 40_000 }, () => {
  it('--help lists every option with its environment variable and default, and exits 0', async () => {
    const r = run(['--help']);
    expect(await r.exit).toBe(0);
    const help = r.stdout();
    for (const o of CLI_OPTIONS) {
      if (o.flag) expect(help).toContain(`--${o.flag}`);
      if (o.env) expect(help).toContain(o.env);
      if (o.defaultText) expect(help).toContain(o.defaultText);
    }
  });

  it('starts in dev mode on the given port, answers /healthz and exits 0 on SIGTERM', async () => {
    const r = run(['--port', '0', '--heartbeat-ms', '5000']);
    const { url, line } = await listening(r);
    expect(line).toMatch(/^onseat listening on http:\/\/127\.0\.0\.1:\d+ \(dev mode, sdkAppId 1400000001, .+\)$/);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', lives: 0, connections: 0 });
    expect((await fetch(`${url}/dev/user-sig?userId=u1`)).status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('an idle server with sockets open sleeps: its main thread wakes ~10 times a second, not every 10–20 ms', async () => {
    // Linux only (/proc). Every wake-up of a sleeping thread is a voluntary context switch. Before: prom-client's
    // event-loop lag monitor (a 10 ms timer) and a heartbeat slot every 20 ms woke an idle node > 150 times a second.
    const r = run(['--port', '0', '--store', 'memory']);
    const { url } = await listening(r);
    const sig = (await (await fetch(`${url}/dev/user-sig?userId=u1`)).json()) as { sdkAppId: number; userSig: string };
    const clients = await Promise.all(Array.from({ length: 10 }, () => WsClient.connect(url)));
    try {
      for (const [i, c] of clients.entries()) {
        const s = (await (await fetch(`${url}/dev/user-sig?userId=idle${i}`)).json()) as { userSig: string };
        expect((await c.hello(sig.sdkAppId, `idle${i}`, s.userSig)).ok).toBe(true);
      }
      const pid = r.child.pid as number;
      const switches = () => Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'))?.[1]);
      await new Promise((res) => setTimeout(res, 1000)); // start-up work done
      const before = switches();
      await new Promise((res) => setTimeout(res, 3000));
      const perSecond = (switches() - before) / 3;
      expect(perSecond).toBeLessThan(30);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('dev mode with the sqlite store keeps its secret in the data dir: a userSig from before a restart still works', async () => {
    const dataDir = tempDir();
    const first = run(['--port', '0', '--data-dir', dataDir]);
    const { url } = await listening(first);
    const sig = (await (await fetch(`${url}/dev/user-sig?userId=alice`)).json()) as { sdkAppId: number; userSig: string };
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(statSync(join(dataDir, DEV_APP_FILE)).mode & 0o777).toBe(0o600);

    const second = run(['--port', '0'], { ONSEAT_DATA_DIR: dataDir });
    const again = await listening(second);
    const client = await WsClient.connect(again.url);
    try {
      const res = await client.hello(sig.sdkAppId, 'alice', sig.userSig);
      expect(res.ok).toBe(true);
    } finally {
      await client.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);

    // with --store memory the secret is new on every start: the old userSig is refused
    const third = run(['--port', '0', '--store', 'memory', '--data-dir', dataDir]);
    const mem = await listening(third);
    const c3 = await WsClient.connect(mem.url);
    try {
      const res = await c3.hello(sig.sdkAppId, 'alice', sig.userSig);
      expect(res.ok).toBe(false);
    } finally {
      await c3.close();
    }
  });

  it('starts in production with ONSEAT_APPS and has no dev endpoint', async () => {
    const r = run(['--production', '--host', '127.0.0.1'], { PORT: '0', ONSEAT_APPS: '5:prod-secret-abcdefghijk,6:other-secret-abcdefghij' });
    const { url, line } = await listening(r);
    expect(line).toContain('production mode, sdkAppId 5,6');
    expect((await fetch(`${url}/dev/user-sig?userId=u1`)).status).toBe(404);
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
  });

  it('refuses production without apps with a clear message and exit code 2', async () => {
    const r = run(['--production', '--port', '0']);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(/production mode needs at least one app: set ONSEAT_APPS/);
  });

  it.each([
    [['--port', 'abc'], /port/i],
    [['--port', '70000'], /port must be an integer between 0 and 65535/],
    [['--frobnicate'], /frobnicate/],
    [['--log-level', 'loud'], /log level/],
    [['--store', 'redis'], /--store\/ONSEAT_STORE must be "sqlite" or "memory", got "redis"/],
  ])('rejects bad input %j with exit code 2', async (args, message) => {
    const r = run(args);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(message);
  });
});

describe('optionsFromCli', () => {
  const opts = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const p = optionsFromCli(argv, env);
    if (p.help) throw new Error('help');
    return p.options;
  };

  it('reads environment variables and lets flags win', () => {
    const env = {
      PORT: '6000',
      ONSEAT_HOST: '0.0.0.0',
      ONSEAT_RECONNECT_GRACE_MS: '5000',
      ONSEAT_HEARTBEAT_MS: '3000',
      ONSEAT_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      ONSEAT_LOG_LEVEL: 'debug',
      ONSEAT_RATE_LIMIT_BURST: '4',
    };
    expect(opts([], env)).toMatchObject({
      mode: 'dev',
      port: 6000,
      host: '0.0.0.0',
      reconnectGraceMs: 5000,
      heartbeatMs: 3000,
      allowedOrigins: ['https://a.example', ' https://b.example'],
      logLevel: 'debug',
      rateLimit: { burst: 4 },
    });
    expect(opts(['--port', '7000', '--log-level', 'error'], env)).toMatchObject({ port: 7000, logLevel: 'error' });
  });

  it('builds apps from ONSEAT_APPS or ONSEAT_SDK_APP_ID + ONSEAT_SECRET', () => {
    expect(opts([], { ONSEAT_MODE: 'production', ONSEAT_APPS: '1:s1s1s1s1s1s1s1s1, 2:s2s2s2s2s2s2s2s2:x' }).apps).toEqual([
      { sdkAppId: 1, secret: 's1s1s1s1s1s1s1s1' },
      { sdkAppId: 2, secret: 's2s2s2s2s2s2s2s2:x' },
    ]);
    expect(opts(['--production'], { ONSEAT_SDK_APP_ID: '9', ONSEAT_SECRET: 'nine-nine-nine-nine' }).apps).toEqual([
      { sdkAppId: 9, secret: 'nine-nine-nine-nine' },
    ]);
    expect(opts([], { ONSEAT_SDK_APP_ID: '9' })).toMatchObject({ devSdkAppId: 9 });
    expect(() => opts(['--production'], { ONSEAT_SDK_APP_ID: '9' })).toThrow(/ONSEAT_SECRET/);
    expect(() => opts([], { ONSEAT_APPS: 'abc' })).toThrow(ConfigError);
    expect(() => opts([], { ONSEAT_MODE: 'staging' })).toThrow(/ONSEAT_MODE/);
    expect(optionsFromCli(['-h'], {})).toEqual({ help: true });
  });

  it('reads --store and --data-dir (sqlite and ./data by default; flags win over ONSEAT_STORE/ONSEAT_DATA_DIR)', () => {
    expect(opts([], {})).toMatchObject({ store: 'sqlite', dataDir: './data' });
    expect(opts(['--store', 'memory', '--data-dir', '/srv/onseat'], {})).toMatchObject({ store: 'memory', dataDir: '/srv/onseat' });
    const env = { ONSEAT_STORE: 'memory', ONSEAT_DATA_DIR: '/var/lib/onseat' };
    expect(opts([], env)).toMatchObject({ store: 'memory', dataDir: '/var/lib/onseat' });
    expect(opts(['--store', 'sqlite', '--data-dir', 'here'], env)).toMatchObject({ store: 'sqlite', dataDir: 'here' });
    expect(() => opts([], { ONSEAT_STORE: 'postgres' })).toThrow(ConfigError);
    const c = resolveConfig({ ...opts(['--store', 'memory', '--data-dir', 'rel/dir'], {}) });
    expect(c).toMatchObject({ store: 'memory', dataDir: resolve('rel/dir') });
    // the library default is the memory store (createServer() in tests and embeddings writes no files)
    expect(resolveConfig({})).toMatchObject({ store: 'memory', dataDir: resolve('./data') });
    expect(() => resolveConfig({ store: 'files' as 'memory' })).toThrow(/store must be "sqlite" or "memory"/);
    expect(() => resolveConfig({ dataDir: ' ' })).toThrow(/data dir must be a non-empty path/);
  });

  it('dev mode + sqlite keeps the generated app in <dataDir>/dev-app.json (mode 0600); memory does not', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const a = resolveConfig({ store: 'sqlite', dataDir });
    const file = join(dataDir, DEV_APP_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ sdkAppId: 1400000001, secret: a.devApp?.secret });
    expect(resolveConfig({ store: 'sqlite', dataDir }).devApp).toEqual(a.devApp);
    // another dev sdkAppId gets its own secret (and replaces the file)
    const other = resolveConfig({ store: 'sqlite', dataDir, devSdkAppId: 7 });
    expect(other.devApp?.sdkAppId).toBe(7);
    expect(other.devApp?.secret).not.toBe(a.devApp?.secret);
    expect(resolveConfig({ store: 'sqlite', dataDir, devSdkAppId: 7 }).devApp).toEqual(other.devApp);
    // memory store, explicit apps or production: nothing is written
    const untouched = tempDir();
    resolveConfig({ store: 'memory', dataDir: join(untouched, 'm') });
    resolveConfig({ store: 'sqlite', dataDir: join(untouched, 'x'), apps: [{ sdkAppId: 3, secret: 'a-long-enough-secret' }] });
    resolveConfig({ store: 'sqlite', dataDir: join(untouched, 'p'), mode: 'production', apps: [{ sdkAppId: 3, secret: 'a-long-enough-secret' }] });
    for (const d of ['m', 'x', 'p']) expect(existsSync(join(untouched, d))).toBe(false);
  });

  it('a damaged dev-app.json or an unwritable data dir stops the start with a StoreOpenError, file untouched', () => {
    const dataDir = tempDir();
    const file = join(dataDir, DEV_APP_FILE);
    writeFileSync(file, '{"sdkAppId": 1400000001, "secr');
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    let err: unknown;
    try {
      resolveConfig({ store: 'sqlite', dataDir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreOpenError);
    expect(err).toMatchObject({ code: 'DATABASE_CORRUPT', file });
    expect((err as Error).message).toContain(file);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash);
    // a data dir below a regular file cannot be created, even by root
    const blocker = join(tempDir(), 'afile');
    writeFileSync(blocker, 'x');
    expect(() => resolveConfig({ store: 'sqlite', dataDir: join(blocker, 'data') })).toThrow(
      expect.objectContaining({ code: 'DATA_DIR_UNWRITABLE', file: join(blocker, 'data') }) as Error,
    );
  });

  it('resolves defaults per mode', () => {
    const dev = resolveConfig(opts(['--store', 'memory'], {}));
    expect(dev).toMatchObject({
      port: 5080,
      host: '127.0.0.1',
      mode: 'dev',
      reconnectGraceMs: 20_000,
      heartbeatMs: 2_000,
      heartbeatTimeoutMs: 5_000,
      audienceHeartbeatMs: 10_000,
      maxLivesPerUser: 1,
      maxLivesPerApp: 10_000,
    });
    expect(dev.allowedOrigins).toBe('loopback');
    expect(dev.devApp?.sdkAppId).toBe(1400000001);
    expect(dev.devApp?.secret.length).toBeGreaterThanOrEqual(32);
    expect(resolveConfig(opts(['--store', 'memory'], {})).devApp?.secret).not.toBe(dev.devApp?.secret);
    const prod = resolveConfig(opts(['--production'], { ONSEAT_APPS: '3:a-long-enough-secret' }));
    expect(prod).toMatchObject({ host: '0.0.0.0', mode: 'production', devApp: undefined, allowedOrigins: [] });
    expect(() => resolveConfig({ mode: 'production', apps: [{ sdkAppId: 3, secret: 'short' }] })).toThrow(/at least 16/);
    expect(() => resolveConfig({ allowedOrigins: ['not a url'] })).toThrow(/allowed origin/);
    expect(resolveConfig({ allowedOrigins: ['https://A.example:443/'] }).allowedOrigins).toEqual(['https://a.example']);
  });

  it('reads the audience heartbeat interval (default 5 × the heartbeat, never below it)', () => {
    expect(resolveConfig(opts(['--store', 'memory', '--heartbeat-ms', '1000'], {})).audienceHeartbeatMs).toBe(5_000);
    expect(resolveConfig(opts(['--store', 'memory', '--audience-heartbeat-ms', '30000'], {})).audienceHeartbeatMs).toBe(30_000);
    expect(resolveConfig(opts(['--store', 'memory'], { ONSEAT_AUDIENCE_HEARTBEAT_MS: '2000' })).audienceHeartbeatMs).toBe(2_000);
    expect(() => resolveConfig({ store: 'memory', heartbeatMs: 2000, audienceHeartbeatMs: 1000 })).toThrow(/audience heartbeat interval/);
    expect(() => opts(['--audience-heartbeat-ms', 'soon'], {})).toThrow(ConfigError);
    expect(CLI_OPTIONS.some((o) => o.flag === 'audience-heartbeat-ms' && o.env === 'ONSEAT_AUDIENCE_HEARTBEAT_MS')).toBe(true);
  });
});

describe('chat and gift options', () => {
  const opts = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const p = optionsFromCli(argv, env);
    if (p.help) throw new Error('help');
    return p.options;
  };
  const tmp = (name: string, text: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'onseat-chat-'));
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads the gift catalogue, blocked words and chat limits from flags and environment', () => {
    const gifts = tmp('gifts.json', JSON.stringify([{ categoryID: 'c', name: 'Cat', giftList: [{ giftID: 'g', name: 'G', coins: 3 }] }]));
    const words = tmp('words.txt', '# comment\nfoo\n\n Bar \n');
    const o = opts(['--gifts', gifts, '--blocked-words', words, '--blocked-words-mode', 'reject', '--chat-history', '10'], {
      ONSEAT_CHAT_MAX_LENGTH: '80',
      ONSEAT_CHAT_RATE_BURST: '3',
      ONSEAT_CHAT_RATE_PER_SECOND: '0.5',
      ONSEAT_CHAT_SLICE_MS: '0.5',
    });
    const chat = resolveConfig(o).chat;
    expect(chat.gifts).toEqual([
      {
        categoryID: 'c',
        name: 'Cat',
        desc: '',
        extensionInfo: {},
        giftList: [{ giftID: 'g', name: 'G', coins: 3, desc: '', iconUrl: '', resourceUrl: '', level: 1, extensionInfo: {} }],
      },
    ]);
    expect(chat).toMatchObject({
      blockedWords: ['foo', 'bar'],
      wordFilterMode: 'reject',
      historySize: 10,
      maxTextLength: 80,
      rateBurst: 3,
      ratePerSecond: 0.5,
      sliceMs: 0.5,
    });
  });

  it('defaults: history 50, 200 characters, burst 5, 2 per second, replace, likes every 500 ms, 2 ms slices, the built-in catalogue', () => {
    const chat = resolveConfig({}).chat;
    expect(chat).toMatchObject({
      sliceMs: 2,
      historySize: 50,
      maxTextLength: 200,
      rateBurst: 5,
      ratePerSecond: 2,
      wordFilterMode: 'replace',
      likeIntervalMs: 500,
    });
    expect(chat.gifts.flatMap((c) => c.giftList).length).toBeGreaterThan(0);
  });

  it.each([
    [['--gifts', '/nonexistent/gifts.json'], /cannot read the gift catalogue/],
    [['--gifts', 'NOTJSON'], /not JSON/],
    [['--gifts', 'DUP'], /gift id "x" appears twice/],
    [['--gifts', 'NOCOINS'], /coins/],
    [['--blocked-words-mode', 'shout'], /word filter mode must be "replace" or "reject"/],
    [['--chat-history=-1'], /chat history size must be an integer/],
    [['--chat-max-length', '5000'], /chat max text length must be an integer between 1 and 4000/],
    [['--chat-slice-ms', '0'], /chat slice \(ms\) must be a number between 0.1 and 1000/],
  ])('refuses %j with a clear message', (args, message) => {
    const files: Record<string, string> = {
      NOTJSON: tmp('bad.json', '{'),
      DUP: tmp(
        'dup.json',
        JSON.stringify([
          {
            categoryID: 'c',
            name: 'C',
            giftList: [
              { giftID: 'x', name: 'X', coins: 1 },
              { giftID: 'x', name: 'Y', coins: 1 },
            ],
          },
        ]),
      ),
      NOCOINS: tmp('nocoins.json', JSON.stringify([{ categoryID: 'c', name: 'C', giftList: [{ giftID: 'x', name: 'X' }] }])),
    };
    const argv = args.map((a) => files[a] ?? a);
    expect(() => resolveConfig(opts(argv))).toThrow(ConfigError);
    expect(() => resolveConfig(opts(argv))).toThrow(message);
  });

  it('the CLI exits 2 on a bad gift catalogue', async () => {
    const r = run(['--port', '0', '--gifts', tmp('bad.json', '[]')]);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(/non-empty JSON array of gift categories/);
  });
});
