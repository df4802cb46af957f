import { OnseatError } from '@onseat/client';
import { defineComponent, type Component } from 'vue';

/**
 * The error every AtomicX feature onseat does not have yet throws (or rejects with) when it is used:
 * `OnseatError` code -1 (`FAILED`), message `onseat does not support <name> yet`.
 */
export function notSupported(name: string): OnseatError {
  return OnseatError.of('FAILED', `onseat does not support ${name} yet`, { unsupported: name });
}

/** The type of a non-component stub: callable, and every member reads as `never` (it throws). */
export type Unsupported = ((...args: unknown[]) => never) & { readonly [member: string]: never };

/** Keys tooling reads from any value (promise checks, Vue reactivity flags, JSON, printing); they do not throw. */
function isToolingKey(key: string | symbol): boolean {
  return typeof key === 'symbol' || key === 'then' || key === 'toJSON' || key.startsWith('__v_') || key === '$$typeof';
}

/** A stub for `name`: throws {@link notSupported} when called, constructed or when a member is read. */
export function unsupported(name: string): Unsupported {
  const target = function unsupportedFeature(): never {
    throw notSupported(name);
  };
  return new Proxy(target, {
    apply() {
      throw notSupported(name);
    },
    construct() {
      throw notSupported(name);
    },
    get(_target, key) {
      if (key === 'name') return name;
      if (key === 'toString') return () => `[onseat: ${name} is not supported yet]`;
      if (isToolingKey(key)) return undefined;
      throw notSupported(`${name}.${String(key)}`);
    },
  }) as unknown as Unsupported;
}

/** A component stub for `name`: mounting it throws {@link notSupported}. */
export function unsupportedComponent(name: string): Component {
  return defineComponent({
    name,
    setup() {
      throw notSupported(name);
    },
  });
}
