import type { Barrage, BarrageEvent, BarrageEventMap, BarrageStore } from '@onseat/client';
import type { Ref } from 'vue';
import { atomicxWritableRef, snapshotRef } from '../reactive.js';

/** What `useBarrageState()` returns (AtomicX BarrageState). */
export interface BarrageState {
  /** Text messages of the current live (the last 50 on entering, then every new one) and local tips; oldest first. */
  messageList: Ref<Barrage[]>;
  /** Send a text to the live. Rejects with -2380 (chat disabled), -2381 (you are banned), -2 (too fast), 40021 (too long), 80001 (blocked word). */
  sendTextMessage: (options: { text: string; extensionInfo?: Record<string, string> }) => Promise<void>;
  /** Send a custom message (reaches the others as `onCustomMessageReceived`, never `messageList`). */
  sendCustomMessage: (options: { businessId: string; data: string }) => Promise<void>;
  /** Add a local message to `messageList` (not sent). */
  appendLocalTip: (message: Barrage) => void;
  subscribeEvent: <T extends BarrageEvent>(event: T, handler: (eventInfo: BarrageEventMap[T]) => void) => void;
  unsubscribeEvent: <T extends BarrageEvent>(event: T, handler: (eventInfo: BarrageEventMap[T]) => void) => void;
}

export function createBarrageState(store: BarrageStore): BarrageState {
  const snapshot = snapshotRef(store);
  return {
    messageList: atomicxWritableRef(snapshot, 'messageList'),
    sendTextMessage: (options) => store.sendTextMessage(options),
    sendCustomMessage: (options) => store.sendCustomMessage(options),
    appendLocalTip: (message) => store.appendLocalTip(message),
    subscribeEvent: (event, handler) => store.subscribeEvent(event, handler),
    unsubscribeEvent: (event, handler) => store.unsubscribeEvent(event, handler),
  };
}
