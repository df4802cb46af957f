import { SIGNAL_PATH } from '@onseat/protocol';
import { OnseatError } from '../errors.js';

/**
 * The signalling WebSocket URL for a server base URL: `http(s)://host[:port][/prefix]` or `ws(s)://…` →
 * `ws(s)://host[:port][/prefix]/v1/signal`. Without `serverUrl` the page's origin is used.
 */
export function signalUrl(serverUrl?: string): string {
  const base = serverUrl ?? (globalThis as { location?: { origin?: string } }).location?.origin;
  if (!base) throw OnseatError.of('INVALID_PARAMETER', 'serverUrl is required outside a browser page');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw OnseatError.of('INVALID_PARAMETER', `serverUrl is not a valid URL: ${base}`);
  }
  const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol];
  if (!scheme) throw OnseatError.of('INVALID_PARAMETER', `serverUrl must be http(s):// or ws(s)://, got ${url.protocol}`);
  const prefix = url.pathname.replace(/\/+$/, '');
  return `${scheme}//${url.host}${prefix}${SIGNAL_PATH}`;
}

/**
 * Several servers (nodes of one cluster): the signalling URL of each, in the order given. The client connects to the
 * first and, each time it has to connect again, tries the next one in turn.
 */
export function signalUrls(serverUrl?: string | readonly string[]): string[] {
  if (typeof serverUrl === 'string' || serverUrl === undefined) return [signalUrl(serverUrl)];
  if (serverUrl.length === 0) throw OnseatError.of('INVALID_PARAMETER', 'serverUrl: the list of servers is empty');
  return serverUrl.map((u) => signalUrl(u));
}
