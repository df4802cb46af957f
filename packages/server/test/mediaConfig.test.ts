import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, optionsFromCli, resolveConfig, type ServerOptions } from '../src/config.js';
import { parseIceServers, parsePortRange } from '../src/mediaConfig.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

// The memory store: resolving these options must not write a dev secret into ./data.
const opts = (argv: string[], env: NodeJS.ProcessEnv = {}): ServerOptions => {
  const r = optionsFromCli(argv, { ONSEAT_STORE: 'memory', ...env });
  if (r.help) throw new Error('unexpected help');
  return r.options;
};

describe('media configuration (flags and environment)', () => {
  it('reads every media flag into the server options', () => {
    const o = opts(['--media', 'werift', '--media-bind', '10.0.0.5', '--media-announced-ip', '203.0.113.7', '--media-ports', '40000-40999']);
    expect(o.media).toBe('werift');
    expect(o.mediaOptions).toEqual({ bindAddress: '10.0.0.5', announcedIp: '203.0.113.7', portRange: [40000, 40999] });
    const c = resolveConfig(o);
    expect(c.mediaOptions).toEqual({ bindAddress: '10.0.0.5', announcedIp: '203.0.113.7', portRange: [40000, 40999] });
  });

  it('reads the environment, and a flag wins over its variable', () => {
    const ice = '[{"urls":"turn:turn.example.com:3478","username":"u","credential":"p"},{"urls":["stun:stun.example.com"]}]';
    const env = {
      ONSEAT_MEDIA: 'none',
      ONSEAT_MEDIA_BIND: '127.0.0.1',
      ONSEAT_MEDIA_ANNOUNCED_IP: '198.51.100.1',
      ONSEAT_MEDIA_PORTS: '50000-50010',
      ONSEAT_ICE_SERVERS: ice,
    };
    const o = opts([], env);
    expect(o.media).toBe('none');
    expect(o.mediaOptions).toEqual({
      bindAddress: '127.0.0.1',
      announcedIp: '198.51.100.1',
      portRange: [50000, 50010],
      iceServers: [{ urls: 'turn:turn.example.com:3478', username: 'u', credential: 'p' }, { urls: ['stun:stun.example.com'] }],
    });
    expect(resolveConfig(o).media).toBe('none');
    expect(opts(['--media', 'werift', '--media-ports', '1000-2000'], env)).toMatchObject({
      media: 'werift',
      mediaOptions: { portRange: [1000, 2000] },
    });
  });

  it('leaves the defaults alone when nothing is given (werift, bind to the host)', () => {
    const o = opts([]);
    expect(o.media).toBeUndefined();
    expect(o.mediaOptions).toBeUndefined();
    const c = resolveConfig({ ...o, host: '127.0.0.1' });
    expect(c.media).toBe('werift');
    expect(c.mediaOptions.bindAddress).toBe('127.0.0.1');
  });

  it.each([
    [['--media', 'janus'], {}, /werift" or "none/],
    [['--media-bind', 'localhost'], {}, /IPv4 or IPv6/],
    [['--media-announced-ip', '1.2.3'], {}, /IPv4 or IPv6/],
    [['--media-ports', '5000'], {}, /min-max/],
    [['--media-ports', '6000-5000'], {}, /min-max/],
    [['--media-ports', '0-10'], {}, /min-max/],
    [[], { ONSEAT_ICE_SERVERS: 'turn:x' }, /must be JSON/],
    [[], { ONSEAT_ICE_SERVERS: '{"urls":"turn:x"}' }, /JSON array/],
    [[], { ONSEAT_ICE_SERVERS: '[{"username":"u"}]' }, /needs "urls"/],
    [[], { ONSEAT_ICE_SERVERS: '[{"urls":"http://x"}]' }, /not a stun:\/turn: URL/],
    [[], { ONSEAT_ICE_SERVERS: '[{"urls":"turn:x","credential":5}]' }, /"credential" must be a string/],
  ] as [string[], NodeJS.ProcessEnv, RegExp][])('rejects %j %j with a ConfigError', (argv, env, message) => {
    expect(() => optionsFromCli(argv, env)).toThrow(ConfigError);
    expect(() => optionsFromCli(argv, env)).toThrow(message);
  });

  it('parses port ranges and ICE server lists', () => {
    expect(parsePortRange(' 40000 - 40001 ')).toEqual([40000, 40001]);
    expect(parseIceServers('[]')).toEqual([]);
    expect(parseIceServers('[{"urls":"stun:s:3478"}]')).toEqual([{ urls: 'stun:s:3478' }]);
  });

  it('lists every media option in --help', () => {
    const help = helpText();
    for (const s of [
      '--media <value>',
      '--media-bind',
      '--media-announced-ip',
      '--media-ports',
      'env ONSEAT_MEDIA]',
      'ONSEAT_MEDIA_BIND',
      'ONSEAT_MEDIA_ANNOUNCED_IP',
      'ONSEAT_MEDIA_PORTS',
      'ONSEAT_ICE_SERVERS',
    ]) {
      expect(help).toContain(s);
    }
  });

  it('the onseat command exits with code 2 and names the bad media setting', async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ONSEAT_') && k !== 'PORT') env[k] = v;
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, '--port', '0', '--media-ports', 'lots'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--media-ports/ONSEAT_MEDIA_PORTS must be min-max');
  });
});
