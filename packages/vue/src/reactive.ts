import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue';

/** The part of an `@onseat/client` store the composables read: an immutable snapshot and its change listener. */
export interface SnapshotSource<S> {
  getSnapshot(): S;
  subscribe(listener: (snapshot: S) => void): () => void;
}

/**
 * A shallow ref that always holds the store's current snapshot. Snapshots are immutable and change identity only
 * when something changed, so a shallow ref is enough and each field's computed updates only when that field did.
 * The subscription lives as long as the store (the composables are singletons, like AtomicX's).
 */
export function snapshotRef<S>(source: SnapshotSource<S>): ShallowRef<S> {
  const ref = shallowRef(source.getSnapshot()) as ShallowRef<S>;
  source.subscribe((snapshot) => {
    ref.value = snapshot;
  });
  return ref;
}

/** A read-only ref of one field of the snapshot. */
export function fieldRef<S, K extends keyof S>(snapshot: ShallowRef<S>, key: K): ComputedRef<S[K]> {
  return computed(() => snapshot.value[key]);
}
