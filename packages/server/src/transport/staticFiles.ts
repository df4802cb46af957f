import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of the files a built web app holds; anything else is served as `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** Path prefixes that belong to the server itself and never fall back to the web app's index.html. */
const RESERVED_PREFIXES = ['/v1/', '/dev/'];
const RESERVED_PATHS = new Set(['/v1', '/dev', '/healthz', '/metrics']);

/** True when `pathname` belongs to the server's own routes (signalling, dev tokens, health, metrics). */
export function isReservedPath(pathname: string): boolean {
  return RESERVED_PATHS.has(pathname) || RESERVED_PREFIXES.some((p) => pathname.startsWith(p));
}

/** Outcome of {@link serveStatic}: `served`, or why nothing was sent (the caller answers). */
export type StaticResult = 'served' | 'not-found' | 'bad-path';

interface FileHit {
  path: string;
  size: number;
  mtime: Date;
}

async function regularFile(path: string): Promise<FileHit | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { path, size: s.size, mtime: s.mtime } : null;
  } catch {
    return null;
  }
}

/** `path` itself (symlinks resolved) when it lies inside `root` (already a real path), else null. */
async function inside(root: string, path: string): Promise<string | null> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return null;
  }
  return real === root || real.startsWith(root + sep) ? real : null;
}

/** Decode a URL path and refuse anything that could leave the root: `..` segments, NUL, backslashes. */
function safeRelative(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return null;
  return segments.filter((s) => s !== '' && s !== '.').join('/');
}

/** A request that wants a page (navigation) rather than an asset: no file extension, or HTML accepted. */
function wantsPage(req: IncomingMessage, relative: string): boolean {
  const last = relative.slice(relative.lastIndexOf('/') + 1);
  if (!last.includes('.')) return true;
  return (req.headers.accept ?? '').includes('text/html');
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: FileHit, relative: string): void {
  const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  // Vite puts content-hashed files under assets/: they never change. Everything else is revalidated.
  const immutable = relative.startsWith('assets/') && !file.path.endsWith('.html');
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': file.size,
    'Last-Modified': file.mtime.toUTCString(),
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/**
 * Serve a GET/HEAD request for `pathname` from `rootDir` (a built single-page app). An existing regular file inside
 * the root is sent with its content type; a page request that matches no file gets the root's `index.html` (SPA
 * fallback). Paths with `..` segments, NUL or backslashes, and symlinks leading outside the root, are refused
 * (`bad-path`); the caller must not call this for {@link isReservedPath} paths.
 */
export async function serveStatic(rootDir: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<StaticResult> {
  const relative = safeRelative(pathname);
  if (relative === null) return 'bad-path';
  let root: string;
  try {
    root = await realpath(resolve(rootDir));
  } catch {
    return 'not-found';
  }
  const candidate = join(root, relative);
  if (candidate !== root && !candidate.startsWith(root + sep)) return 'bad-path';
  const direct = await regularFile(candidate);
  if (direct) {
    if ((await inside(root, candidate)) === null) return 'bad-path';
    sendFile(req, res, direct, relative);
    return 'served';
  }
  if (!wantsPage(req, relative)) return 'not-found';
  const index = await regularFile(join(root, 'index.html'));
  if (!index || (await inside(root, index.path)) === null) return 'not-found';
  sendFile(req, res, index, 'index.html');
  return 'served';
}
