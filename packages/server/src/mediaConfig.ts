/** The media options of the `onseat` command: backend, UDP bind address, announced IP, port range, ICE servers. */
import { isIP } from 'node:net';
import type { CliOption } from './cliOption.js';
import type { IceServer, WeriftMediaOptions } from './media/options.js';

/** Thrown for bad media settings (the CLI wraps it as a ConfigError). */
export class MediaConfigError extends Error {
  override name = 'MediaConfigError';
}

/** The media options of the `onseat` command (listed in `--help`). */
export const MEDIA_CLI_OPTIONS: readonly CliOption[] = [
  {
    flag: 'media',
    env: 'ONSEAT_MEDIA',
    type: 'string',
    defaultText: 'werift',
    description: 'media backend: werift (embedded SFU) or none (no audio/video)',
  },
  {
    flag: 'media-bind',
    env: 'ONSEAT_MEDIA_BIND',
    type: 'string',
    defaultText: '--host when it is an IP address',
    description: 'IP address the SFU binds its UDP sockets to',
  },
  {
    flag: 'media-announced-ip',
    env: 'ONSEAT_MEDIA_ANNOUNCED_IP',
    type: 'string',
    defaultText: 'none',
    description: 'public IP written into ICE candidates (server behind 1:1 NAT)',
  },
  {
    flag: 'media-ports',
    env: 'ONSEAT_MEDIA_PORTS',
    type: 'string',
    defaultText: 'any free port',
    description: 'UDP port range of the SFU as min-max, e.g. 40000-40999',
  },
  {
    env: 'ONSEAT_ICE_SERVERS',
    type: 'string',
    defaultText: 'none',
    description: 'JSON array of RTCIceServer ({urls, username?, credential?}) for TURN',
  },
];

function ip(name: string, raw: string): string {
  const v = raw.trim();
  if (isIP(v) === 0) throw new MediaConfigError(`${name} must be an IPv4 or IPv6 address, got "${raw}"`);
  return v;
}

/** `"40000-40999"` → `[40000, 40999]`. */
export function parsePortRange(raw: string): [number, number] {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(raw);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo < 1 || hi > 65535 || hi <= lo) {
    throw new MediaConfigError(`--media-ports/ONSEAT_MEDIA_PORTS must be min-max with 1 <= min < max <= 65535, got "${raw}"`);
  }
  return [lo, hi];
}

/** A JSON array of RTCIceServer objects (`urls` a string or strings; `username`/`credential` strings). */
export function parseIceServers(raw: string): IceServer[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new MediaConfigError('ONSEAT_ICE_SERVERS must be JSON, e.g. [{"urls":"turn:turn.example.com:3478","username":"u","credential":"p"}]');
  }
  if (!Array.isArray(value)) throw new MediaConfigError('ONSEAT_ICE_SERVERS must be a JSON array of {urls, username?, credential?}');
  return value.map((entry: unknown, i) => {
    const e = entry as { urls?: unknown; username?: unknown; credential?: unknown } | null;
    const urls = e?.urls;
    const okUrls =
      typeof urls === 'string' ? urls !== '' : Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string' && u !== '');
    if (!e || typeof e !== 'object' || !okUrls)
      throw new MediaConfigError(`ONSEAT_ICE_SERVERS entry #${i + 1} needs "urls" (a string or an array of strings)`);
    for (const u of typeof urls === 'string' ? [urls] : (urls as string[])) {
      if (!/^(stun|stuns|turn|turns):/.test(u)) throw new MediaConfigError(`ONSEAT_ICE_SERVERS entry #${i + 1}: "${u}" is not a stun:/turn: URL`);
    }
    const server: IceServer = { urls: urls as string | string[] };
    for (const key of ['username', 'credential'] as const) {
      if (e[key] === undefined) continue;
      if (typeof e[key] !== 'string') throw new MediaConfigError(`ONSEAT_ICE_SERVERS entry #${i + 1}: "${key}" must be a string`);
      server[key] = e[key];
    }
    return server;
  });
}

/** The media part of the server options, as read from the command line. */
export interface MediaCliOptions {
  media?: 'werift' | 'none';
  mediaOptions?: WeriftMediaOptions;
}

/**
 * Reads the media flags/environment into `options` (`str(flag, env)` gives the flag's value, else the variable's).
 * Throws {@link MediaConfigError} on bad input.
 */
export function applyMediaCli(options: MediaCliOptions, str: (flag: string, env: string) => string | undefined, env: NodeJS.ProcessEnv): void {
  const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';
  const media = str('media', 'ONSEAT_MEDIA');
  if (given(media)) {
    const m = media.trim();
    if (m !== 'werift' && m !== 'none') throw new MediaConfigError(`--media/ONSEAT_MEDIA must be "werift" or "none", got "${media}"`);
    options.media = m;
  }
  const mo: WeriftMediaOptions = { ...options.mediaOptions };
  const bind = str('media-bind', 'ONSEAT_MEDIA_BIND');
  if (given(bind)) mo.bindAddress = ip('--media-bind/ONSEAT_MEDIA_BIND', bind);
  const announced = str('media-announced-ip', 'ONSEAT_MEDIA_ANNOUNCED_IP');
  if (given(announced)) mo.announcedIp = ip('--media-announced-ip/ONSEAT_MEDIA_ANNOUNCED_IP', announced);
  const ports = str('media-ports', 'ONSEAT_MEDIA_PORTS');
  if (given(ports)) mo.portRange = parsePortRange(ports);
  const ice = env['ONSEAT_ICE_SERVERS'];
  if (given(ice)) mo.iceServers = parseIceServers(ice);
  if (Object.keys(mo).length > 0) options.mediaOptions = mo;
}
