import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, optionsFromCli, resolveConfig, type ServerOptions } from '../src/config.js';
import { createServer, type OnseatServer } from '../src/createServer.js';
import { silentLogger } from '../src/logger.js';

const SECRET = 'top-secret-outside-the-static-folder';
const INDEX = '<!doctype html><title>demo</title><div id="app"></div>';
let base: string;
let site: string;
const servers: OnseatServer[] = [];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'onseat-static-'));
  site = join(base, 'site');
  await mkdir(join(site, 'assets'), { recursive: true });
  await writeFile(join(site, 'index.html'), INDEX);
  await writeFile(join(site, 'assets', 'app-1a2b.js'), 'console.log("app")');
  await writeFile(join(site, 'assets', 'app-1a2b.css'), 'body{margin:0}');
  await writeFile(join(site, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(site, 'data.bin'), Buffer.from([1, 2, 3]));
  await writeFile(join(base, 'secret.txt'), SECRET);
  await symlink(join(base, 'secret.txt'), join(site, 'escape.txt'));
  await mkdir(join(base, 'no-index'));
  await writeFile(join(base, 'no-index', 'a.txt'), 'a');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: ServerOptions = {}): Promise<string> {
  const server = createServer({ port: 0, logger: silentLogger, media: 'none', staticDir: site, ...opts });
  servers.push(server);
  return (await server.listen()).url;
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as given (fetch would normalise `..` and friends away). */
function raw(url: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files (staticDir)', () => {
  it('serves files with their content types and cache headers', async () => {
    const url = await start();
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toBe(INDEX);
    const js = await fetch(`${url}/assets/app-1a2b.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe('console.log("app")');
    expect((await fetch(`${url}/assets/app-1a2b.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    const bin = await fetch(`${url}/data.bin`);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    const head = await raw(url, '/assets/app-1a2b.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("app")'.length));
    expect(head.body).toBe('');
  });

  it('falls back to index.html for unknown page paths, but not for assets or server routes', async () => {
    const url = await start();
    for (const path of ['/host', '/live/some-live', '/live/a%20b', '/login?next=%2Fhost', '/assets']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toBe(INDEX);
    }
    // A browser navigation (Accept: text/html) to a path with a dot still gets the app.
    const nav = await raw(url, '/live/room.v2', 'GET', { accept: 'text/html,*/*' });
    expect(nav.status).toBe(200);
    expect(nav.body).toBe(INDEX);
    // A missing asset is a 404, not HTML with status 200.
    const missing = await fetch(`${url}/assets/missing-9f9f.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { name: string } }).error.name).toBe('NOT_FOUND');
    // The server's own paths are never the app.
    for (const path of ['/v1/signal', '/v1/other', '/v1', '/dev/nothing', '/dev']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    }
    expect(((await (await fetch(`${url}/healthz`)).json()) as { status: string }).status).toBe('ok');
    expect((await fetch(`${url}/metrics`)).headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await fetch(`${url}/dev/user-sig?userId=u1`)).status).toBe(200);
    // Only GET and HEAD reach the files.
    expect((await fetch(`${url}/host`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses directory traversal, encoded or not, and symlinks that leave the folder', async () => {
    const url = await start();
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/index.html%00.js',
      '/escape.txt',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const res = await raw(url, path, 'GET', { accept: 'text/plain' });
      expect([400, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain(SECRET);
    }
    expect((await raw(url, '/..%2fsecret.txt')).status).toBe(400);
    expect((await raw(url, '/escape.txt')).status).toBe(400);
  });

  it('without staticDir, or without index.html, unknown paths stay JSON 404s', async () => {
    const plain = await start({ staticDir: undefined });
    const res = await fetch(`${plain}/`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const noIndex = await start({ staticDir: join(base, 'no-index') });
    expect((await fetch(`${noIndex}/a.txt`)).status).toBe(200);
    expect((await fetch(`${noIndex}/host`)).status).toBe(404);
  });

  it('rejects a missing or non-directory staticDir at configuration time', () => {
    expect(() => resolveConfig({ staticDir: join(base, 'does-not-exist') })).toThrow(ConfigError);
    expect(() => resolveConfig({ staticDir: join(base, 'does-not-exist') })).toThrow(/does not exist/);
    expect(() => resolveConfig({ staticDir: join(base, 'secret.txt') })).toThrow(/not a directory/);
    expect(() => resolveConfig({ staticDir: '  ' })).toThrow(ConfigError);
    expect(resolveConfig({ staticDir: site }).staticDir).toBe(site);
    expect(resolveConfig({ staticDir: null }).staticDir).toBeUndefined();
    expect(resolveConfig({}).staticDir).toBeUndefined();
  });

  it('reads --static-dir and ONSEAT_STATIC_DIR; "none" turns the default off', () => {
    const opts = (argv: string[], env: NodeJS.ProcessEnv = {}): ServerOptions => {
      const parsed = optionsFromCli(argv, env);
      if (parsed.help) throw new Error('help');
      return parsed.options;
    };
    expect(opts(['--static-dir', site]).staticDir).toBe(site);
    expect(opts([], { ONSEAT_STATIC_DIR: site }).staticDir).toBe(site);
    expect(opts(['--static-dir', site], { ONSEAT_STATIC_DIR: '/elsewhere' }).staticDir).toBe(site);
    expect(opts(['--static-dir', 'none']).staticDir).toBeNull();
    expect(opts([]).staticDir).toBeUndefined();
  });
});
