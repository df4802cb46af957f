import { inject, provide, readonly, shallowRef, type InjectionKey, type Ref } from 'vue';

/**
 * Playback of the `<video>`/`<audio>` elements of one view, and the browser's autoplay policy: when `play()` is
 * refused (`NotAllowedError`, no user gesture yet) `autoplayBlocked` turns true until `resume()` — called from a
 * click — has started every refused element.
 */
/** What the viewer chose for the whole view (LivePlayerState): paused, volume 0–100, muted. */
export interface PlaybackControls {
  paused: boolean;
  volume: number;
  muted: boolean;
}

const NO_CONTROLS: PlaybackControls = { paused: false, volume: 100, muted: false };

export interface MediaPlayback {
  /** The viewer's choices every element of this view follows (reactive). */
  controls(): PlaybackControls;
  /** True while at least one element may not play without a user gesture. */
  readonly autoplayBlocked: Readonly<Ref<boolean>>;
  /** Start an element (after its `srcObject` was set). */
  play(element: HTMLMediaElement): void;
  /** The element is gone (unmounted). */
  forget(element: HTMLMediaElement): void;
  /** Try every refused element again; call it from a user gesture (a click). */
  resume(): void;
}

const PLAYBACK_KEY: InjectionKey<MediaPlayback> = Symbol('onseat-media-playback');

const blockedListeners = new Set<(resume: () => void) => void>();

/** Call `listener` (with the `resume` to call from a user gesture) whenever a view's playback gets blocked by the autoplay policy. */
export function onAutoplayBlocked(listener: (resume: () => void) => void): () => void {
  blockedListeners.add(listener);
  return () => blockedListeners.delete(listener);
}

/** A new playback controller. */
export function createMediaPlayback(controls: () => PlaybackControls = () => NO_CONTROLS): MediaPlayback {
  const blocked = shallowRef(false);
  const refused = new Set<HTMLMediaElement>();
  const active = new Set<HTMLMediaElement>();
  const settle = () => {
    const was = blocked.value;
    blocked.value = refused.size > 0;
    if (blocked.value && !was) for (const listener of [...blockedListeners]) listener(() => playback.resume());
  };
  const playback: MediaPlayback = {
    autoplayBlocked: readonly(blocked),
    controls,
    play(element) {
      active.add(element);
      if (controls().paused) {
        element.pause();
        return;
      }
      let started: Promise<void>;
      try {
        started = element.play();
      } catch (error) {
        // Treated like a rejection; a DOMException (an Error) keeps its name.
        started = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      started.then(
        () => {
          refused.delete(element);
          settle();
        },
        (error: unknown) => {
          // AbortError: a newer srcObject interrupted this play(); the newer call reports.
          if ((error as { name?: unknown } | null)?.name !== 'NotAllowedError' || !active.has(element)) return;
          refused.add(element);
          settle();
        },
      );
    },
    forget(element) {
      active.delete(element);
      if (refused.delete(element)) settle();
    },
    resume() {
      for (const element of [...refused]) playback.play(element);
    },
  };
  return playback;
}

let fallback: MediaPlayback | null = null;

/**
 * The playback controller in effect here: the one a parent provided (each `LiveCoreView` has its own), else one
 * shared by the page. Use it next to `StreamView`s to offer a "Click to play" button:
 * `const { autoplayBlocked, resume } = useMediaPlayback()`.
 */
export function useMediaPlayback(): MediaPlayback {
  return inject(PLAYBACK_KEY, null) ?? (fallback ??= createMediaPlayback());
}

/** Make `playback` the controller of this component's descendants. */
export function provideMediaPlayback(playback: MediaPlayback): void {
  provide(PLAYBACK_KEY, playback);
}
