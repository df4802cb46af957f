/** Toast notifications: a reactive list that `<ToastHost>` renders in an aria-live region. */
import { shallowRef } from 'vue';

/** How a toast looks. */
export type ToastKind = 'info' | 'success' | 'warning' | 'error';

/** One toast on screen. */
export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

/** The toasts on screen, oldest first. */
export const toasts = shallowRef<readonly Toast[]>([]);
let nextId = 1;

/** Remove one toast. */
export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((t) => t.id !== id);
}

/** Show a toast for `ms` milliseconds (default 4.5 s; errors stay 7 s). At most 4 are kept. */
export function toast(text: string, kind: ToastKind = 'info', ms = kind === 'error' ? 7000 : 4500): void {
  const id = nextId++;
  toasts.value = [...toasts.value, { id, kind, text }].slice(-4);
  window.setTimeout(() => dismissToast(id), ms);
}
