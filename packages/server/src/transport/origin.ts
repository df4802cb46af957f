import type { ServerConfig } from '../config.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a WebSocket/HTTP request with this `Origin` header may proceed. No header (a non-browser client) is
 * allowed; `'loopback'` allows http(s) on localhost, 127.0.0.1 and [::1] on any port; `'*'` allows any origin.
 */
export function isOriginAllowed(origin: string | undefined, allowed: ServerConfig['allowedOrigins']): boolean {
  if (origin === undefined) return true;
  if (allowed === '*') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed === 'loopback') return LOOPBACK_HOSTS.has(url.hostname);
  return allowed.includes(url.origin);
}
