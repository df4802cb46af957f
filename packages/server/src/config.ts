import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import type { ClusterMembership } from './cluster.js';
import { applyClusterCli, CLUSTER_CLI_OPTIONS, ClusterConfigError, type RedisClusterSettings } from './clusterConfig.js';
import type { Clock } from './engine/Clock.js';
import type { WeriftMediaOptions } from './media/options.js';
import type { MediaPlane } from './engine/MediaPlane.js';
import { LOG_LEVELS, type LogLevel, type Logger } from './logger.js';
import type { CliOption } from './cliOption.js';
import { applyMediaCli, MEDIA_CLI_OPTIONS, MediaConfigError, type MediaCliOptions } from './mediaConfig.js';
import { ensureDataDir } from './store/dataDir.js';
import { loadOrCreateDevApp } from './store/devAppFile.js';

export type { CliOption } from './cliOption.js';
import { ChatOptionsError, resolveChatOptions, type ChatOptions, type ResolvedChatOptions } from './chat/options.js';
import { applyChatCli, CHAT_CLI_OPTIONS } from './chat/chatConfig.js';

/** One app: its id and the secret its userSigs are signed with. */
export interface AppCredentials {
  sdkAppId: number;
  secret: string;
}

/** Token bucket for `coGuest.apply` / `coGuest.invite`, per user and request type. */
export interface RateLimitOptions {
  /** Bucket size (requests allowed at once). */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export type ServerMode = 'dev' | 'production';

/** Where lives are kept: `sqlite` (durable, `<dataDir>/onseat.db`) or `memory` (lost on restart). */
export type StoreKind = 'sqlite' | 'memory';

/** The default data dir (relative to the working directory). */
export const DEFAULT_DATA_DIR = './data';

/** Options of `createServer()`. Everything is optional; the CLI builds them from flags and environment. */
export interface ServerOptions {
  /** TCP port; 0 = any free port. Default 5080. */
  port?: number;
  /** Bind address. Default 127.0.0.1 in dev mode, 0.0.0.0 in production. */
  host?: string;
  /** `dev` (default: one app with a random secret, /dev/user-sig) or `production` (apps required). */
  mode?: ServerMode;
  /** Apps allowed to connect. Required in production; in dev the first one serves /dev/user-sig. */
  apps?: readonly AppCredentials[];
  /** sdkAppId of the generated dev app when `apps` is not given (dev only). Default 1400000001. */
  devSdkAppId?: number;
  /** How long a dropped member keeps seat/application (ms). Default 20000. */
  reconnectGraceMs?: number;
  /** A live whose owner has been gone this long ends (ms; 0 = never). Default 300000. */
  abandonedLiveMs?: number;
  /** WebSocket ping interval (ms). Default 2000. */
  heartbeatMs?: number;
  /**
   * A socket from which nothing (no frame, no pong) arrived for this long is cut as dropped (ms); the seat's grace
   * period counts from that last frame. Default 2.5 × `heartbeatMs` (5000); at least `heartbeatMs`.
   */
  heartbeatTimeoutMs?: number;
  /**
   * Ping interval for plain audience members of a live (not the owner, an admin, seated, applying or invited), whose
   * silent drop only changes the audience list: pinged less often, cut after the heartbeat timeout scaled alike
   * (ms; at least `heartbeatMs`, equal = one interval for everyone). Default 5 × `heartbeatMs` (10000).
   */
  audienceHeartbeatMs?: number;
  /** Active lives one user may own at once (a live they are out of counts until it ends). Default 1. */
  maxLivesPerUser?: number;
  /** Lives one app may have at once; live.start beyond it fails LIVE_COUNT_LIMIT. Default 10000. */
  maxLivesPerApp?: number;
  /**
   * Multiplies every request budget of transport/budgets.ts (bursts and rates; not `rateLimit`). Default 1. Above 1
   * for load generators that act far faster than people (benchmarks); below 1 for a stricter server.
   */
  requestBudgetScale?: number;
  /** Time a new socket has to complete `session.hello` (ms). Default 10000. */
  helloTimeoutMs?: number;
  /** Allowed browser Origins (`*` = any). Default: loopback origins in dev, none in production. */
  allowedOrigins?: readonly string[];
  /** Log level of the default logger. Default `info`. */
  logLevel?: LogLevel;
  /** Logger to use instead of the default pino one. */
  logger?: Logger;
  /** Time source for the engine, token expiry and caches. Default the system clock. */
  clock?: Clock;
  /** Rate limit of coGuest.apply / coGuest.invite. Default burst 10, 1 per second. */
  rateLimit?: Partial<RateLimitOptions>;
  /**
   * Media backend: `werift` (default, the embedded SFU), `none` (`media.*` requests fail), or a `MediaPlane` instance
   * handed to the engine as it is.
   */
  media?: MediaPlane | 'werift' | 'none';
  /**
   * Settings of the werift SFU: UDP bind address (default: `host` when it is an IP address), announced public IP,
   * UDP port range, ICE servers, video bitrate cap.
   */
  mediaOptions?: WeriftMediaOptions;
  /**
   * Folder of a built web app (e.g. the demo's `apps/demo/dist`) served at `/`: its files by path, and its
   * `index.html` for any other page path outside `/v1/`, `/dev/`, `/healthz` and `/metrics`. Must exist.
   * Default (and `null`): no static files.
   */
  staticDir?: string | null;
  /**
   * Where lives are kept. Default `memory` for the library (the `onseat` command defaults to `sqlite`). With `sqlite`,
   * dev mode also keeps its generated app secret in `<dataDir>/dev-app.json`.
   */
  store?: StoreKind;
  /** Folder of the SQLite database (`onseat.db`) and the dev app; created if missing. Default `./data`. */
  dataDir?: string;
  /**
   * Chat, gifts and likes: history on join (default 50), text length (200), per-user rate (burst 5, 2/s), blocked
   * words and what they do (`replace` or `reject`), like interval (500 ms), gift catalogue (a small built-in one).
   */
  chat?: ChatOptions;
  /** Makes this server a node of a cluster (see `@onseat/redis`; the CLI builds it from `--redis`). */
  cluster?: ClusterMembership;
  /** `--redis` and friends as the CLI read them; the CLI turns them into `cluster` (createServer ignores this). */
  redis?: RedisClusterSettings;
}

/** Fully resolved configuration. */
export interface ServerConfig {
  port: number;
  host: string;
  mode: ServerMode;
  /** sdkAppId → secret. */
  apps: ReadonlyMap<number, string>;
  /** The app /dev/user-sig signs for (dev mode only). */
  devApp: AppCredentials | undefined;
  reconnectGraceMs: number;
  abandonedLiveMs: number;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  audienceHeartbeatMs: number;
  maxLivesPerUser: number;
  maxLivesPerApp: number;
  requestBudgetScale: number;
  helloTimeoutMs: number;
  /** Normalised origins; `'*'` = any; `'loopback'` = http(s) on localhost/127.0.0.1/[::1], any port. */
  allowedOrigins: readonly string[] | '*' | 'loopback';
  logLevel: LogLevel;
  rateLimit: RateLimitOptions;
  /** Which media backend runs (`custom` = a MediaPlane given in the options). */
  media: 'werift' | 'none' | 'custom';
  mediaOptions: WeriftMediaOptions;
  /** Absolute path of the served web app folder, if any. */
  staticDir: string | undefined;
  store: StoreKind;
  /** Absolute path of the data dir (used by the `sqlite` store). */
  dataDir: string;
  chat: ResolvedChatOptions;
}

/** Invalid configuration; the CLI prints the message and exits with code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_PORT = 5080;
export const DEFAULT_DEV_SDK_APP_ID = 1400000001;
const MIN_SECRET_LENGTH = 16;

/** A random app secret (32 bytes, base64url). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function int(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${String(value)}`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    throw new ConfigError(`${name} must be a positive number, got ${String(value)}`);
  return value;
}

function normaliseOrigin(o: string): string {
  const trimmed = o.trim();
  let origin: string;
  try {
    origin = new URL(trimmed).origin;
  } catch {
    throw new ConfigError(`allowed origin "${trimmed}" is not a URL origin such as https://example.com`);
  }
  if (origin === 'null') throw new ConfigError(`allowed origin "${trimmed}" is not an http(s) origin`);
  return origin;
}

function checkApps(apps: readonly AppCredentials[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const app of apps) {
    int('sdkAppId', app.sdkAppId, 1, 2 ** 53 - 1);
    if (typeof app.secret !== 'string' || app.secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`the secret of sdkAppId ${app.sdkAppId} must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    if (map.has(app.sdkAppId)) throw new ConfigError(`sdkAppId ${app.sdkAppId} is configured twice`);
    map.set(app.sdkAppId, app.secret);
  }
  return map;
}

function checkStaticDir(dir: string | null | undefined): string | undefined {
  if (dir === undefined || dir === null) return undefined;
  if (typeof dir !== 'string' || dir.trim() === '') throw new ConfigError('static dir must be a non-empty path');
  const abs = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new ConfigError(`static dir ${abs} does not exist (build the web app first, e.g. npm run build)`);
  }
  if (!isDir) throw new ConfigError(`static dir ${abs} is not a directory`);
  return abs;
}

/** Apply defaults and validate. Throws `ConfigError` with a message fit for an operator. */
export function resolveConfig(options: ServerOptions = {}): ServerConfig {
  const mode = options.mode ?? 'dev';
  if (mode !== 'dev' && mode !== 'production') throw new ConfigError(`mode must be "dev" or "production", got "${String(mode)}"`);
  const store = options.store ?? 'memory';
  if (store !== 'sqlite' && store !== 'memory') throw new ConfigError(`store must be "sqlite" or "memory", got "${String(store)}"`);
  const dataDirOption = options.dataDir ?? DEFAULT_DATA_DIR;
  if (typeof dataDirOption !== 'string' || dataDirOption.trim() === '') throw new ConfigError('data dir must be a non-empty path');
  const dataDir = resolve(dataDirOption);
  let appList = options.apps;
  if (mode === 'production') {
    if (!appList || appList.length === 0) {
      throw new ConfigError('production mode needs at least one app: set ONSEAT_APPS="sdkAppId:secret,..." or ONSEAT_SDK_APP_ID and ONSEAT_SECRET');
    }
  } else if (!appList || appList.length === 0) {
    const sdkAppId = options.devSdkAppId ?? DEFAULT_DEV_SDK_APP_ID;
    int('dev sdkAppId', sdkAppId, 1, 2 ** 53 - 1);
    // Durable store: keep the dev secret next to the lives, so userSigs from before a restart still verify.
    appList = [store === 'sqlite' ? loadOrCreateDevApp(ensureDataDir(dataDir), sdkAppId, randomSecret) : { sdkAppId, secret: randomSecret() }];
  }
  const apps = checkApps(appList);
  const logLevel = options.logLevel ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${String(logLevel)}"`);
  }
  let allowedOrigins: ServerConfig['allowedOrigins'];
  if (options.allowedOrigins === undefined) allowedOrigins = mode === 'dev' ? 'loopback' : [];
  else if (options.allowedOrigins.some((o) => o.trim() === '*')) allowedOrigins = '*';
  else allowedOrigins = options.allowedOrigins.filter((o) => o.trim() !== '').map(normaliseOrigin);
  const burst = options.rateLimit?.burst ?? 10;
  const perSecond = options.rateLimit?.perSecond ?? 1;
  int('rate limit burst', burst, 1);
  if (!(typeof perSecond === 'number' && Number.isFinite(perSecond) && perSecond > 0)) {
    throw new ConfigError(`rate limit per second must be a positive number, got ${String(perSecond)}`);
  }
  const heartbeatMs = int('heartbeat interval (ms)', options.heartbeatMs ?? 2_000, 10);
  const host = options.host ?? (mode === 'dev' ? '127.0.0.1' : '0.0.0.0');
  if (typeof host !== 'string' || host === '') throw new ConfigError('host must be a non-empty string');
  const first = appList[0];
  const media = typeof options.media === 'object' ? 'custom' : (options.media ?? 'werift');
  if (media !== 'werift' && media !== 'none' && media !== 'custom') throw new ConfigError(`media must be "werift" or "none", got "${String(media)}"`);
  const mediaOptions: WeriftMediaOptions = { ...options.mediaOptions };
  if (mediaOptions.bindAddress === undefined && isIP(host) !== 0) mediaOptions.bindAddress = host;
  const range = mediaOptions.portRange;
  if (range) {
    int('media port range start', range[0], 1, 65535);
    int('media port range end', range[1], range[0] + 1, 65535);
  }
  return {
    port: int('port', options.port ?? DEFAULT_PORT, 0, 65535),
    host,
    mode,
    apps,
    devApp: mode === 'dev' && first ? { sdkAppId: first.sdkAppId, secret: first.secret } : undefined,
    reconnectGraceMs: int('reconnect grace (ms)', options.reconnectGraceMs ?? 20_000, 0),
    abandonedLiveMs: int('abandoned live timeout (ms)', options.abandonedLiveMs ?? 300_000, 0),
    heartbeatMs,
    heartbeatTimeoutMs: int(
      `heartbeat timeout (ms, at least the heartbeat interval ${heartbeatMs})`,
      options.heartbeatTimeoutMs ?? Math.round(heartbeatMs * 2.5),
      heartbeatMs,
    ),
    audienceHeartbeatMs: int(
      `audience heartbeat interval (ms, at least the heartbeat interval ${heartbeatMs})`,
      options.audienceHeartbeatMs ?? heartbeatMs * 5,
      heartbeatMs,
    ),
    maxLivesPerUser: int('max lives per user', options.maxLivesPerUser ?? 1, 1, 1000),
    maxLivesPerApp: int('max lives per app', options.maxLivesPerApp ?? 10_000, 1),
    requestBudgetScale: positive('request budget scale', options.requestBudgetScale ?? 1),
    helloTimeoutMs: int('hello timeout (ms)', options.helloTimeoutMs ?? 10_000, 10),
    allowedOrigins,
    logLevel,
    rateLimit: { burst, perSecond },
    media,
    mediaOptions,
    staticDir: checkStaticDir(options.staticDir),
    store,
    dataDir,
    chat: chatConfig(options.chat),
  };
}

function chatConfig(chat: ChatOptions | undefined): ResolvedChatOptions {
  try {
    return resolveChatOptions(chat);
  } catch (e) {
    throw e instanceof ChatOptionsError ? new ConfigError(e.message) : e;
  }
}

/** Every option of the `onseat` command. */
export const CLI_OPTIONS: readonly CliOption[] = [
  { flag: 'port', env: 'PORT', type: 'string', defaultText: '5080', description: 'TCP port (0 = any free port)' },
  { flag: 'host', env: 'ONSEAT_HOST', type: 'string', defaultText: '127.0.0.1 (dev), 0.0.0.0 (production)', description: 'bind address' },
  {
    flag: 'production',
    env: 'ONSEAT_MODE=production',
    type: 'boolean',
    defaultText: 'off (dev mode)',
    description: 'production mode: apps required, no /dev/user-sig',
  },
  { env: 'ONSEAT_APPS', type: 'string', defaultText: 'none', description: 'apps as "sdkAppId:secret,..." (secrets only via environment)' },
  { env: 'ONSEAT_SDK_APP_ID', type: 'string', defaultText: '1400000001 (dev)', description: 'a single app id (with ONSEAT_SECRET)' },
  { env: 'ONSEAT_SECRET', type: 'string', defaultText: 'random (dev)', description: 'secret of ONSEAT_SDK_APP_ID (at least 16 characters)' },
  {
    flag: 'reconnect-grace-ms',
    env: 'ONSEAT_RECONNECT_GRACE_MS',
    type: 'string',
    defaultText: '20000',
    description: 'how long a dropped member keeps seat/application',
  },
  {
    flag: 'abandoned-live-ms',
    env: 'ONSEAT_ABANDONED_LIVE_MS',
    type: 'string',
    defaultText: '300000',
    description: 'end a live whose owner has been gone this long (0 = never)',
  },
  {
    flag: 'heartbeat-ms',
    env: 'ONSEAT_HEARTBEAT_MS',
    type: 'string',
    defaultText: '2000',
    description: 'WebSocket ping interval',
  },
  {
    flag: 'heartbeat-timeout-ms',
    env: 'ONSEAT_HEARTBEAT_TIMEOUT_MS',
    type: 'string',
    defaultText: '2.5 x heartbeat (5000)',
    description: 'cut a socket silent this long (no frame, no pong); grace counts from its last frame',
  },
  {
    flag: 'audience-heartbeat-ms',
    env: 'ONSEAT_AUDIENCE_HEARTBEAT_MS',
    type: 'string',
    defaultText: '5 x heartbeat (10000)',
    description: 'ping interval for plain audience members (timeout scaled alike); = heartbeat-ms for one interval for all',
  },
  {
    flag: 'max-lives-per-user',
    env: 'ONSEAT_MAX_LIVES_PER_USER',
    type: 'string',
    defaultText: '1',
    description: 'active lives one user may own; starting one more ends their oldest live they are not in',
  },
  {
    flag: 'max-lives-per-app',
    env: 'ONSEAT_MAX_LIVES_PER_APP',
    type: 'string',
    defaultText: '10000',
    description: 'lives one app may have at once (live.start beyond: LIVE_COUNT_LIMIT)',
  },
  {
    flag: 'request-budget-scale',
    env: 'ONSEAT_REQUEST_BUDGET_SCALE',
    type: 'string',
    defaultText: '1',
    description: 'multiply every per-request-type budget (docs/RELIABILITY.md); not --rate-limit-*',
  },
  {
    flag: 'hello-timeout-ms',
    env: 'ONSEAT_HELLO_TIMEOUT_MS',
    type: 'string',
    defaultText: '10000',
    description: 'time a socket has to send session.hello',
  },
  {
    flag: 'allowed-origins',
    env: 'ONSEAT_ALLOWED_ORIGINS',
    type: 'string',
    defaultText: 'loopback origins (dev), none (production)',
    description: 'comma-separated browser origins allowed to connect; * = any',
  },
  { flag: 'log-level', env: 'ONSEAT_LOG_LEVEL', type: 'string', defaultText: 'info', description: `one of ${LOG_LEVELS.join(', ')}` },
  { flag: 'rate-limit-burst', env: 'ONSEAT_RATE_LIMIT_BURST', type: 'string', defaultText: '10', description: 'coGuest.apply/invite burst per user' },
  {
    flag: 'rate-limit-per-second',
    env: 'ONSEAT_RATE_LIMIT_PER_SECOND',
    type: 'string',
    defaultText: '1',
    description: 'coGuest.apply/invite refill per user per second',
  },
  {
    flag: 'static-dir',
    env: 'ONSEAT_STATIC_DIR',
    type: 'string',
    defaultText: 'the built demo (apps/demo/dist) when it exists',
    description: 'folder of a web app served at / with SPA fallback; "none" = serve no files',
  },
  {
    flag: 'store',
    env: 'ONSEAT_STORE',
    type: 'string',
    defaultText: 'sqlite',
    description: 'where lives are kept: sqlite (survives restarts) or memory (lost on restart)',
  },
  {
    flag: 'data-dir',
    env: 'ONSEAT_DATA_DIR',
    type: 'string',
    defaultText: DEFAULT_DATA_DIR,
    description: 'folder of the database (onseat.db) and the dev secret; created if missing',
  },
  ...MEDIA_CLI_OPTIONS,
  ...CHAT_CLI_OPTIONS,
  ...CLUSTER_CLI_OPTIONS,
  { flag: 'help', type: 'boolean', defaultText: '', description: 'print this help and exit' },
];

/** The `--help` text: every option with its environment variable and default. */
export function helpText(): string {
  const lines = ['Usage: onseat [options]', '', 'Options (a flag wins over its environment variable):'];
  for (const o of CLI_OPTIONS) {
    const flag = o.flag ? `--${o.flag}${o.type === 'string' ? ' <value>' : ''}` : '(environment only)';
    const env = o.env ? `  [env ${o.env}]` : '';
    const def = o.defaultText ? `  (default: ${o.defaultText})` : '';
    lines.push(`  ${flag.padEnd(32)} ${o.description}${env}${def}`);
  }
  return lines.join('\n');
}

function numberOf(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number, got "${raw}"`);
  return n;
}

function parseApps(raw: string): AppCredentials[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry, n) => {
      const i = entry.indexOf(':');
      const id = i > 0 ? Number(entry.slice(0, i)) : NaN;
      if (!Number.isInteger(id) || id <= 0) {
        throw new ConfigError(`ONSEAT_APPS entry #${n + 1} must be sdkAppId:secret with a positive integer sdkAppId`);
      }
      return { sdkAppId: id, secret: entry.slice(i + 1) };
    });
}

/** Result of reading the command line and environment. */
export type CliParse = { help: true } | { help: false; options: ServerOptions };

/** Build server options from `argv` (without node and script) and `env`. Throws `ConfigError` on bad input. */
export function optionsFromCli(argv: string[], env: NodeJS.ProcessEnv): CliParse {
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of CLI_OPTIONS) if (o.flag) spec[o.flag] = { type: o.type };
  spec['help'] = { type: 'boolean', short: 'h' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (values['help'] === true) return { help: true };
  const str = (flag: string, envName: string): string | undefined => {
    const v = values[flag];
    return typeof v === 'string' ? v : env[envName];
  };
  const envMode = env['ONSEAT_MODE'];
  if (envMode !== undefined && envMode !== '' && envMode !== 'production' && envMode !== 'dev') {
    throw new ConfigError(`ONSEAT_MODE must be "dev" or "production", got "${envMode}"`);
  }
  const mode: ServerMode = values['production'] === true || envMode === 'production' ? 'production' : 'dev';
  const options: ServerOptions = { mode };
  const port = numberOf('--port/PORT', str('port', 'PORT'));
  if (port !== undefined) options.port = port;
  const host = str('host', 'ONSEAT_HOST');
  if (host !== undefined && host !== '') options.host = host;
  const sdkAppId = numberOf('ONSEAT_SDK_APP_ID', env['ONSEAT_SDK_APP_ID']);
  const secret = env['ONSEAT_SECRET'];
  if (env['ONSEAT_APPS'] !== undefined && env['ONSEAT_APPS'].trim() !== '') options.apps = parseApps(env['ONSEAT_APPS']);
  else if (sdkAppId !== undefined && secret !== undefined && secret !== '') options.apps = [{ sdkAppId, secret }];
  else if (mode === 'production' && sdkAppId !== undefined) throw new ConfigError('ONSEAT_SDK_APP_ID needs ONSEAT_SECRET');
  else if (secret !== undefined && secret !== '') options.apps = [{ sdkAppId: DEFAULT_DEV_SDK_APP_ID, secret }];
  else if (sdkAppId !== undefined) options.devSdkAppId = sdkAppId;
  const grace = numberOf('--reconnect-grace-ms', str('reconnect-grace-ms', 'ONSEAT_RECONNECT_GRACE_MS'));
  if (grace !== undefined) options.reconnectGraceMs = grace;
  const abandoned = numberOf('--abandoned-live-ms', str('abandoned-live-ms', 'ONSEAT_ABANDONED_LIVE_MS'));
  if (abandoned !== undefined) options.abandonedLiveMs = abandoned;
  const hb = numberOf('--heartbeat-ms', str('heartbeat-ms', 'ONSEAT_HEARTBEAT_MS'));
  if (hb !== undefined) options.heartbeatMs = hb;
  const hbTimeout = numberOf('--heartbeat-timeout-ms', str('heartbeat-timeout-ms', 'ONSEAT_HEARTBEAT_TIMEOUT_MS'));
  if (hbTimeout !== undefined) options.heartbeatTimeoutMs = hbTimeout;
  const audienceHb = numberOf('--audience-heartbeat-ms', str('audience-heartbeat-ms', 'ONSEAT_AUDIENCE_HEARTBEAT_MS'));
  if (audienceHb !== undefined) options.audienceHeartbeatMs = audienceHb;
  const perUser = numberOf('--max-lives-per-user', str('max-lives-per-user', 'ONSEAT_MAX_LIVES_PER_USER'));
  if (perUser !== undefined) options.maxLivesPerUser = perUser;
  const perApp = numberOf('--max-lives-per-app', str('max-lives-per-app', 'ONSEAT_MAX_LIVES_PER_APP'));
  if (perApp !== undefined) options.maxLivesPerApp = perApp;
  const budgetScale = numberOf('--request-budget-scale', str('request-budget-scale', 'ONSEAT_REQUEST_BUDGET_SCALE'));
  if (budgetScale !== undefined) options.requestBudgetScale = budgetScale;
  const hello = numberOf('--hello-timeout-ms', str('hello-timeout-ms', 'ONSEAT_HELLO_TIMEOUT_MS'));
  if (hello !== undefined) options.helloTimeoutMs = hello;
  const origins = str('allowed-origins', 'ONSEAT_ALLOWED_ORIGINS');
  if (origins !== undefined && origins.trim() !== '') options.allowedOrigins = origins.split(',');
  const level = str('log-level', 'ONSEAT_LOG_LEVEL');
  if (level !== undefined && level !== '') options.logLevel = level as LogLevel;
  const burst = numberOf('--rate-limit-burst', str('rate-limit-burst', 'ONSEAT_RATE_LIMIT_BURST'));
  const perSecond = numberOf('--rate-limit-per-second', str('rate-limit-per-second', 'ONSEAT_RATE_LIMIT_PER_SECOND'));
  if (burst !== undefined || perSecond !== undefined) {
    options.rateLimit = {};
    if (burst !== undefined) options.rateLimit.burst = burst;
    if (perSecond !== undefined) options.rateLimit.perSecond = perSecond;
  }
  const staticDir = str('static-dir', 'ONSEAT_STATIC_DIR');
  if (staticDir !== undefined && staticDir.trim() !== '') options.staticDir = staticDir.trim() === 'none' ? null : staticDir;
  const store = (str('store', 'ONSEAT_STORE') ?? '').trim();
  if (store !== '' && store !== 'sqlite' && store !== 'memory')
    throw new ConfigError(`--store/ONSEAT_STORE must be "sqlite" or "memory", got "${store}"`);
  options.store = store === 'memory' ? 'memory' : 'sqlite';
  const dataDir = str('data-dir', 'ONSEAT_DATA_DIR');
  options.dataDir = dataDir !== undefined && dataDir.trim() !== '' ? dataDir : DEFAULT_DATA_DIR;
  const media: MediaCliOptions = {};
  try {
    applyMediaCli(media, str, env);
    applyChatCli(options, str);
  } catch (e) {
    throw e instanceof MediaConfigError || e instanceof ChatOptionsError ? new ConfigError(e.message) : e;
  }
  try {
    applyClusterCli(options, str);
  } catch (e) {
    throw e instanceof ClusterConfigError ? new ConfigError(e.message) : e;
  }
  return { help: false, options: { ...options, ...media } };
}
