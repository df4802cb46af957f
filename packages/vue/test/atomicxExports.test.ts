// @vitest-environment happy-dom
/**
 * Runtime parity with the real `tuikit-atomicx-vue3` (6.5.11, fetched by test set-up with `npm pack`): every name
 * its main entry exports is defined by `@onseat/vue` (a stub where onseat lacks the feature), the stubs throw the
 * documented error, and every enum onseat has carries the real package's members and values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from 'vue';
import * as api from '../src/index.js';
import * as stubs from '../src/unsupported.js';
import { atomicxPackageDir, atomicxRuntimeEnums, atomicxRuntimeExports } from './support/atomicxPackage.js';

let realNames: string[] = [];
let realEnums = new Map<string, Record<string, unknown>>();

beforeAll(() => {
  const pkg = atomicxPackageDir();
  realNames = atomicxRuntimeExports(pkg);
  realEnums = atomicxRuntimeEnums(pkg);
}, 180_000);

const exported = api as unknown as Record<string, unknown>;

describe('every runtime export of tuikit-atomicx-vue3 exists in @onseat/vue', () => {
  it('imports every name of the real package and finds it defined', () => {
    expect(realNames.length).toBeGreaterThan(250);
    const missing = realNames.filter((name) => exported[name] === undefined);
    expect(missing).toEqual([]);
  });

  it('stubs only names the real package has, and none onseat implements', () => {
    const real = new Set(realNames);
    expect(Object.keys(stubs).filter((name) => !real.has(name))).toEqual([]);
    for (const name of [
      'useLoginState',
      'useCoGuestState',
      'useLivePlayerState',
      'useRoomEngine',
      'addI18n',
      'LiveCoreView',
      'HostEvent',
      'useBarrageState',
      'useLiveGiftState',
      'BarrageList',
      'BarrageInput',
      'LiveGift',
      'LiveAudienceList',
      'BarrageType',
      'BarrageEvent',
      'LiveGiftEvents',
    ]) {
      expect(Object.keys(stubs)).not.toContain(name);
    }
  });

  it('a stubbed state or function throws "onseat does not support X yet" (code -1) when called', () => {
    const useBattleState = stubs.useBattleState as unknown as () => unknown;
    expect(() => useBattleState()).toThrowError(expect.objectContaining({ code: -1, message: 'onseat does not support useBattleState yet' }));
    const debounce = stubs.debounce as unknown as (f: () => void, ms: number) => unknown;
    expect(() => debounce(() => undefined, 10)).toThrowError('onseat does not support debounce yet');
  });

  it('a stubbed enum or object throws when a member is read, but can be imported, awaited-checked and printed', () => {
    const battle = stubs.BattleEvent as unknown as Record<string, unknown>;
    expect(() => battle['onBattleStarted']).toThrowError('onseat does not support BattleEvent.onBattleStarted yet');
    expect(battle['then']).toBeUndefined();
    expect(String(stubs.BattleEvent)).toBe('[onseat: BattleEvent is not supported yet]');
  });

  it('a stubbed component reports the error through the app when mounted', () => {
    const errors: unknown[] = [];
    const app = createApp(stubs.CoHostPanel);
    app.config.errorHandler = (e) => void errors.push(e);
    app.mount(document.createElement('div'));
    app.unmount();
    expect(errors).toEqual([expect.objectContaining({ code: -1, message: 'onseat does not support CoHostPanel yet' })]);
  });
});

describe('enums carry the real package values', () => {
  it('finds the enums of the states onseat has in the real package', () => {
    for (const name of [
      'LoginStatus',
      'LoginEvent',
      'Role',
      'LiveSeatEvent',
      'HostEvent',
      'GuestEvent',
      'TUIErrorCode',
      'PlayerControlEvent',
      'CoHostEvent',
      'LiveAudienceEvent',
      'BarrageType',
      'BarrageEvent',
      'LiveGiftEvents',
    ]) {
      expect([name, realEnums.has(name)]).toEqual([name, true]);
    }
  });

  it('every enum onseat exports equals the real one (CoHostEvent: a superset, it keeps the seed names)', () => {
    const compared: string[] = [];
    for (const [name, real] of realEnums) {
      const ours = exported[name];
      if (ours === undefined || name in stubs) continue;
      compared.push(name);
      if (name === 'CoHostEvent') expect([name, ours]).toEqual([name, expect.objectContaining(real)]);
      else expect([name, ours]).toEqual([name, real]);
    }
    expect(compared.length).toBeGreaterThanOrEqual(30);
  });

  it('numeric enums have reverse look-ups like AtomicX', () => {
    expect(api.DeviceStatus[1]).toBe('On');
    expect(api.TUIRole[api.TUIRole.kAdministrator]).toBe('kAdministrator');
    expect(api.LoginStatus[1]).toBe('LOGINED');
  });
});
