/** Clock helpers for countdowns. */
import { onMounted, onUnmounted, shallowRef, type ShallowRef } from 'vue';

/** `Date.now()` as a ref that ticks every `intervalMs` while the calling component is mounted. */
export function useNow(intervalMs = 250): ShallowRef<number> {
  const now = shallowRef(Date.now());
  let timer: number | undefined;
  onMounted(() => {
    timer = window.setInterval(() => (now.value = Date.now()), intervalMs);
  });
  onUnmounted(() => window.clearInterval(timer));
  return now;
}

/** Whole seconds left until `deadline` (epoch ms), never negative. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** `m:ss` for a number of seconds. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
