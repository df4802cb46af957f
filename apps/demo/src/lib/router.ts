/**
 * A tiny history-API router (the demo stays on @onseat/vue and Vue only). Routes:
 * `/login?next=`, `/` (live list), `/host` (host console), `/live/:liveId` (audience page).
 */
import { computed, shallowRef } from 'vue';

/** A parsed location. */
export type Route =
  { name: 'login'; next: string } | { name: 'lives' } | { name: 'host' } | { name: 'live'; liveId: string } | { name: 'notFound'; path: string };

const location = shallowRef({ pathname: window.location.pathname, search: window.location.search });

/** Parse a pathname and query string into a {@link Route}. */
export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'lives' };
  if (path === '/login') {
    const next = new URLSearchParams(search).get('next');
    return { name: 'login', next: next && next.startsWith('/') && !next.startsWith('//') ? next : '/' };
  }
  if (path === '/host') return { name: 'host' };
  const live = /^\/live\/([^/]+)$/.exec(path);
  if (live?.[1]) {
    try {
      return { name: 'live', liveId: decodeURIComponent(live[1]) };
    } catch {
      return { name: 'notFound', path };
    }
  }
  return { name: 'notFound', path };
}

/** The current route (reactive). */
export const route = computed(() => parseRoute(location.value.pathname, location.value.search));

/** The current path with its query, e.g. to come back after signing in. */
export const currentPath = computed(() => location.value.pathname + location.value.search);

/** Go to `to` (a same-origin path); `replace` rewrites the current history entry instead of adding one. */
export function navigate(to: string, replace = false): void {
  const url = new URL(to, window.location.origin);
  if (url.pathname + url.search === currentPath.value) return;
  if (replace) history.replaceState(null, '', url.pathname + url.search);
  else history.pushState(null, '', url.pathname + url.search);
  location.value = { pathname: url.pathname, search: url.search };
  window.scrollTo(0, 0);
}

/** The path of a live's audience page. */
export function livePath(liveId: string): string {
  return `/live/${encodeURIComponent(liveId)}`;
}

window.addEventListener('popstate', () => {
  location.value = { pathname: window.location.pathname, search: window.location.search };
});
