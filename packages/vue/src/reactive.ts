import { computed, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';

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

/** `T` with `readonly` arrays and maps turned into the mutable types AtomicX declares (one level deep). */
export type Writable<T> = T extends ReadonlyMap<infer K, infer V> ? Map<K, V> : T extends readonly (infer E)[] ? E[] : T;

/**
 * A field of the snapshot typed the way AtomicX types it: `T[]` instead of `readonly T[]`, `Map` instead of
 * `ReadonlyMap`. The value is still the store's frozen snapshot data (read it, copy it, hand it to functions that
 * take `T[]`; mutating it in place throws), and the ref is a computed, so assigning `.value` only logs Vue's
 * "computed value is readonly" warning.
 */
export function atomicxRef<S, K extends keyof S>(snapshot: ShallowRef<S>, key: K): ComputedRef<Writable<S[K]>> {
  return computed(() => snapshot.value[key] as Writable<S[K]>);
}

/** {@link atomicxRef} for the fields AtomicX declares as `Ref<T>` rather than `ComputedRef<T>`. */
export function atomicxWritableRef<S, K extends keyof S>(snapshot: ShallowRef<S>, key: K): Ref<Writable<S[K]>> {
  return atomicxRef(snapshot, key);
}

/** A statistics source that refreshes only while read: `observe` does not keep it alive, `touch` does for a while. */
export interface DemandSource<S> {
  getSnapshot(): S;
  observe(listener: (snapshot: S) => void): () => void;
  touch(): void;
}

/**
 * The snapshot of a {@link DemandSource} for computeds: each `read()` (inside a computed) tracks the snapshot and
 * tells the source someone is reading, so it refreshes while a component shows it and stops some time after.
 */
export function demandRef<S>(source: DemandSource<S>): { read(): S } {
  const ref = shallowRef(source.getSnapshot()) as ShallowRef<S>;
  source.observe((snapshot) => {
    ref.value = snapshot;
  });
  return {
    read() {
      source.touch();
      return ref.value;
    },
  };
}
