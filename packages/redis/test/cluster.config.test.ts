/** The cluster flags of the `onseat` command: bad values are clear config errors; an unreachable Redis stops the start. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigError, helpText, optionsFromCli } from '@onseat/server';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../server/test/support/freePort.js';
import { TestRedis } from './support/redisServer.js';

const CLI = fileURLToPath(new URL('../../server/src/cli.ts', import.meta.url));

function parseError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    optionsFromCli(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('cluster flags', () => {
  it('--redis / ONSEAT_REDIS_URL, --redis-prefix, --lease-ttl-ms are read and listed in --help', () => {
    const r = optionsFromCli(['--redis', 'redis://10.0.0.5:6380', '--lease-ttl-ms', '1500', '--redis-prefix', 'x:'], {});
    expect(r.help === false && r.options.redis).toEqual({ url: 'redis://10.0.0.5:6380', prefix: 'x:', leaseTtlMs: 1500 });
    const e = optionsFromCli([], { ONSEAT_REDIS_URL: 'redis://h:1', ONSEAT_LEASE_TTL_MS: '2000' });
    expect(e.help === false && e.options.redis).toEqual({ url: 'redis://h:1', leaseTtlMs: 2000 });
    const none = optionsFromCli([], {});
    expect(none.help === false && none.options.redis).toBeUndefined();
    for (const flag of ['--redis', '--redis-prefix', '--lease-ttl-ms', 'ONSEAT_REDIS_URL']) expect(helpText()).toContain(flag);
  });

  it('--cluster-link-host / --cluster-link-port (and their env), or off', () => {
    const r = optionsFromCli(['--redis', 'redis://h:1', '--cluster-link-host', '10.0.0.7', '--cluster-link-port', '7400'], {});
    expect(r.help === false && r.options.redis).toEqual({ url: 'redis://h:1', link: { host: '10.0.0.7', port: 7400 } });
    const e = optionsFromCli([], { ONSEAT_REDIS_URL: 'redis://h:1', ONSEAT_CLUSTER_LINK_PORT: '7401' });
    expect(e.help === false && e.options.redis).toEqual({ url: 'redis://h:1', link: { port: 7401 } });
    const off = optionsFromCli(['--redis', 'redis://h:1', '--cluster-link-host', 'off'], {});
    expect(off.help === false && off.options.redis).toEqual({ url: 'redis://h:1', link: false });
    for (const flag of ['--cluster-link-host', '--cluster-link-port', 'ONSEAT_CLUSTER_LINK_HOST']) expect(helpText()).toContain(flag);
    expect(parseError(['--redis', 'redis://h:1', '--cluster-link-port', '70000'])).toMatch(/--cluster-link-port must be a port number/);
    expect(parseError(['--redis', 'redis://h:1', '--cluster-link-host', 'a b'])).toMatch(/--cluster-link-host must be a host name/);
    expect(parseError(['--redis', 'redis://h:1', '--cluster-link-host', 'off', '--cluster-link-port', '1'])).toMatch(/no use/);
    expect(parseError(['--cluster-link-port', '7400'])).toMatch(/need --redis/);
  });

  it('bad values are config errors that name the flag', () => {
    expect(parseError(['--redis', 'localhost:6379'])).toMatch(/--redis must be a redis:\/\/host:port URL/);
    expect(parseError(['--redis', 'redis://h:1', '--lease-ttl-ms', '100'])).toMatch(/--lease-ttl-ms must be an integer from 500 to 60000/);
    expect(parseError(['--redis', 'redis://h:1', '--lease-ttl-ms', 'soon'])).toMatch(/--lease-ttl-ms/);
    expect(parseError(['--lease-ttl-ms', '2000'])).toMatch(/need --redis/);
  });

  it('a link port already in use: the command says which flag and exits with code 1', async () => {
    const redis = await TestRedis.start();
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', CLI, '--port', '0', '--media', 'none', '--redis', redis.url, '--cluster-link-port', String(port)],
        { env: { ...process.env, ONSEAT_STATIC_DIR: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(err).toContain(`cannot open the node link listener on 127.0.0.1:${port} (--cluster-link-host/--cluster-link-port)`);
      expect(err).toContain('EADDRINUSE');
    } finally {
      busy.close();
      await redis.stop();
    }
  }, 30_000);

  it('an unreachable Redis: the command says so and exits with code 1', async () => {
    const port = await freePort(); // nothing listens there
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CLI, '--port', '0', '--media', 'none', '--redis', `redis://127.0.0.1:${port}`],
      {
        env: { ...process.env, ONSEAT_STATIC_DIR: 'none' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain(`cannot connect to Redis at redis://127.0.0.1:${port}`);
  }, 30_000);
});
