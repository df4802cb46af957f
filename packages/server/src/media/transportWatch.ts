import type { RTCPeerConnection } from 'werift';

/** What a watched transport reports: a state change, and that it stayed broken for the whole reap time. */
export interface TransportWatchHooks {
  state?(state: string): void;
  reap(state: string): void;
}

/**
 * Watches a transport's connectionState for as long as it lives: `failed` (werift's ICE consent expired: the peer has
 * not answered for 30 s) reaps at once; `disconnected` starts a timer of `reapMs` that `connected` stops and that
 * reaps when it runs out. Reaping means the owner closes the transport: the client has had that long to recover it
 * with an ICE restart or a fresh transport. Returns the stop function.
 */
export function watchTransport(pc: RTCPeerConnection, reapMs: number, hooks: TransportWatchHooks): () => void {
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const { unSubscribe } = pc.connectionStateChange.subscribe((state) => {
    hooks.state?.(state);
    if (state === 'failed') {
      clear();
      hooks.reap(state);
    } else if (state === 'disconnected') {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        hooks.reap(pc.connectionState);
      }, reapMs);
      timer.unref();
    } else clear();
  });
  return () => {
    clear();
    unSubscribe();
  };
}
