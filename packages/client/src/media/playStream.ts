/** `startPlayStream`/`stopPlayStream`: the received media of the live played into an element of the app's page. */
import { OnseatError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RemoteMediaStore, RemoteUserMedia } from '../stores/RemoteMediaStore.js';

interface Playing {
  remote: RemoteMediaStore;
  element: HTMLElement;
  userId: string | undefined;
  videos: Map<string, HTMLVideoElement>;
  /** Stops reporting each element's size. */
  unobserve: Map<string, () => void>;
  off: () => void;
}

const playing: Playing[] = [];

function resolveView(view: string | HTMLElement): HTMLElement {
  if (typeof view !== 'string') return view;
  const el = globalThis.document?.getElementById(view) ?? null;
  if (!el) throw OnseatError.of('INVALID_PARAMETER', `startPlayStream: no element with id "${view}"`);
  return el;
}

/** Plays every received user (or only `userId`) into `view`, one `<video>` each, following the remote media store. */
export function playStream(remote: RemoteMediaStore, params: { view: string | HTMLElement; userId?: string }, logger: Logger): Promise<void> {
  try {
    const element = resolveView(params.view);
    void stopStream(remote, params.userId === undefined ? {} : { userId: params.userId }, element);
    const entry: Playing = { remote, element, userId: params.userId, videos: new Map(), unobserve: new Map(), off: () => undefined };
    const sync = (users: ReadonlyMap<string, RemoteUserMedia>) => {
      for (const [userId, v] of entry.videos) {
        if (users.has(userId)) continue;
        v.srcObject = null;
        v.remove();
        entry.videos.delete(userId);
        entry.unobserve.get(userId)?.();
        entry.unobserve.delete(userId);
      }
      for (const [userId, u] of users) {
        if (entry.userId !== undefined && userId !== entry.userId) continue;
        let v = entry.videos.get(userId);
        if (!v) {
          v = document.createElement('video');
          v.autoplay = true;
          v.playsInline = true;
          v.dataset['userId'] = userId;
          v.style.width = '100%';
          v.style.height = '100%';
          v.style.objectFit = 'cover';
          element.appendChild(v);
          entry.videos.set(userId, v);
          entry.unobserve.set(userId, remote.observeViewSize(userId, v));
        }
        if (v.srcObject !== u.stream) v.srcObject = u.stream;
        // An autoplay refusal leaves the element in place; a user gesture can start it.
        v.play().catch((e: unknown) => logger.debug?.(`startPlayStream: playing ${userId} did not start`, e));
      }
    };
    entry.off = remote.subscribe((s) => sync(s.users));
    sync(remote.getSnapshot().users);
    playing.push(entry);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Stops what `playStream` plays (in `only` when given; `userId`'s only when given). */
export function stopStream(remote: RemoteMediaStore, params: { userId?: string } = {}, only?: HTMLElement): Promise<void> {
  for (const entry of [...playing]) {
    if (entry.remote !== remote) continue;
    if (only && entry.element !== only) continue;
    if (params.userId !== undefined && entry.userId !== params.userId) continue;
    entry.off();
    for (const u of entry.unobserve.values()) u();
    for (const v of entry.videos.values()) {
      v.srcObject = null;
      v.remove();
    }
    playing.splice(playing.indexOf(entry), 1);
  }
  return Promise.resolve();
}
