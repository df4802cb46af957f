// @vitest-environment happy-dom
/**
 * Singletons and instances: plain `useXxxState()` share one default instance; a component tree uses the instance
 * installed (`app.use`) or provided (`onseat.provide()`) above it; states outlive the components that used them.
 * LoginState against a real server.
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, type PropType } from 'vue';
import {
  createOnseat,
  getDefaultOnseat,
  LoginEvent,
  LoginStatus,
  useCoGuestState,
  useLiveListState,
  useLoginState,
  useOnseat,
  type Onseat,
} from '../src/index.js';
import { instanceOptions, loggedIn, logoutAll, nextEvent, startServer, until, type TestServer } from './support/harness.js';

/** Reports which instance and which CoGuestState its setup saw. */
const Probe = defineComponent({
  props: { report: { type: Function as PropType<(onseat: Onseat, coGuest: unknown) => void>, required: true } },
  setup(props) {
    props.report(useOnseat(), useCoGuestState());
    return () => h('i');
  },
});
/** Provides `onseat` to its children, then renders a Probe. */
const Provider = defineComponent({
  props: {
    onseat: { type: Object as PropType<Onseat>, required: true },
    report: { type: Function as PropType<(onseat: Onseat, coGuest: unknown) => void>, required: true },
  },
  setup(props) {
    props.onseat.provide();
    return () => h(Probe, { report: props.report });
  },
});

describe('instances', () => {
  it('plain calls share the default instance; every call returns the same state object', () => {
    expect(useCoGuestState()).toBe(useCoGuestState());
    expect(useLiveListState()).toBe(getDefaultOnseat().useLiveListState());
    expect(useOnseat()).toBe(getDefaultOnseat());
    const other = createOnseat({ logger: {} });
    expect(other.useCoGuestState()).not.toBe(useCoGuestState());
    expect(other.useCoGuestState()).toBe(other.useCoGuestState());
  });

  it('components use the installed or provided instance, else the default', () => {
    const a = createOnseat({ logger: {} });
    const b = createOnseat({ logger: {} });
    const seen: unknown[] = [];
    const report = (onseat: Onseat, coGuest: unknown) => seen.push(onseat, coGuest);
    mount(Probe, { props: { report } }).unmount();
    expect(seen).toEqual([getDefaultOnseat(), getDefaultOnseat().useCoGuestState()]);
    seen.length = 0;
    mount(Probe, { props: { report }, global: { plugins: [a] } }).unmount();
    expect(seen).toEqual([a, a.useCoGuestState()]);
    seen.length = 0;
    mount(Provider, { props: { onseat: b, report }, global: { plugins: [a] } }).unmount();
    expect(seen).toEqual([b, b.useCoGuestState()]);
  });
});

describe('LoginState against a real server', () => {
  let ts: TestServer;
  let users: Onseat[] = [];
  beforeEach(async () => {
    ts = await startServer();
  });
  afterEach(async () => {
    await logoutAll(users);
    users = [];
    await ts.close();
  });

  it('loginStatus and loginUserInfo follow login, setSelfInfo and logout, also after the component unmounted', async () => {
    const onseat = createOnseat(instanceOptions(ts));
    users.push(onseat);
    const Badge = defineComponent({
      setup() {
        const { loginStatus, loginUserInfo } = useLoginState();
        return () => h('b', `${loginStatus.value}:${loginUserInfo.value?.userName ?? '-'}`);
      },
    });
    const w = mount(Badge, { global: { plugins: [onseat] } });
    expect(w.text()).toBe('0:-');
    const { login, setSelfInfo, logout, loginStatus, loginUserInfo } = onseat.useLoginState();
    await login({ sdkAppId: ts.app.sdkAppId, userId: 'alice', userSig: await ts.sig('alice', 'Alice') });
    await nextTick();
    expect(w.text()).toBe('1:Alice');
    expect(loginUserInfo.value).toMatchObject({ userId: 'alice', userName: 'Alice' });
    await setSelfInfo({ userName: 'Alice B' });
    await nextTick();
    expect(w.text()).toBe('1:Alice B');
    w.unmount();
    await logout();
    expect(loginStatus.value).toBe(LoginStatus.UNKNOWN);
    expect(loginUserInfo.value).toBeNull();
    await login({ sdkAppId: ts.app.sdkAppId, userId: 'alice', userSig: await ts.sig('alice') });
    expect(loginStatus.value).toBe(LoginStatus.LOGINED);
  });

  it('login rejects with the server code for a bad userSig; onKickedOffline when the user logs in elsewhere', async () => {
    const bad = createOnseat(instanceOptions(ts));
    users.push(bad);
    const failure = await bad
      .useLoginState()
      .login({ sdkAppId: ts.app.sdkAppId, userId: 'bob', userSig: 'not-a-token' })
      .then(
        () => null,
        (e: unknown) => e as { code: number },
      );
    expect(failure?.code).toBe(70003);
    expect(bad.useLoginState().loginStatus.value).toBe(LoginStatus.UNKNOWN);

    const first = await loggedIn(ts, 'bob');
    users.push(first);
    const kicked = nextEvent<{ reason: string }>(
      (cb) => first.useLoginState().subscribeEvent(LoginEvent.onKickedOffline, cb),
      (cb) => first.useLoginState().unsubscribeEvent(LoginEvent.onKickedOffline, cb),
      'onKickedOffline',
    );
    users.push(await loggedIn(ts, 'bob'));
    await kicked;
    await until(first.useLoginState().loginStatus, (s) => s === LoginStatus.UNKNOWN, 'first bob logged out');
  });
});
