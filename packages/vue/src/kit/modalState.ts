/**
 * `useUIKitModalState()`: the one modal/toast the kit shows at a time (AtomicX's `UIKitModalState`). onseat's
 * components report failures through it; `currentModal` (an onseat addition) is what an app renders.
 */
import { readonly, shallowRef, type DeepReadonly, type Ref, type VNode } from 'vue';

/** A modal/toast to show. */
export interface UIKitModalConfig {
  id: number;
  title: string;
  content: string | VNode;
  type: 'info' | 'warning' | 'error' | 'success';
  onConfirm?: () => void;
  onCancel?: () => void;
}

/** What `useUIKitModalState()` returns. */
export interface UIKitModalState {
  /** Show `config` (replaces the modal shown now, without calling its callbacks). */
  openModal: (config: UIKitModalConfig) => void;
  /** Close the modal: `confirm` calls its `onConfirm`; `cancel`, `mask` and `timeout` call `onCancel`. No-op when none is open. */
  closeModal: (action?: 'confirm' | 'cancel' | 'mask' | 'timeout') => void;
  /** onseat: the modal shown now (null when none). */
  currentModal: Readonly<Ref<DeepReadonly<UIKitModalConfig> | null>>;
}

const current = shallowRef<UIKitModalConfig | null>(null);

function openModal(config: UIKitModalConfig): void {
  current.value = config;
}

function closeModal(action: 'confirm' | 'cancel' | 'mask' | 'timeout' = 'confirm'): void {
  const config = current.value;
  if (!config) return;
  current.value = null;
  if (action === 'confirm') config.onConfirm?.();
  else config.onCancel?.();
}

const state: UIKitModalState = { openModal, closeModal, currentModal: readonly(current) };

/** The page's modal state (one for the whole page, like AtomicX's). */
export function useUIKitModalState(): UIKitModalState {
  return state;
}
