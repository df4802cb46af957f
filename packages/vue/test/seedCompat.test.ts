// @vitest-environment happy-dom
/**
 * Compatibility with TRTC's "Guest Connection (Web)" page: its code samples, verbatim under test/seed/ (only the
 * import specifier changed), type-check with vue-tsc against @onseat/vue and run the page's host and audience
 * flows against a real server. Each sample is mounted as a component of its user's isolated instance.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, type Component } from 'vue';
import { createOnseat, DeviceStatus, SeatLayoutTemplate, TUISeatMode, type Onseat } from '../src/index.js';
import ApplicantList from './seed/ApplicantList.vue';
import ApplyForSeat from './seed/ApplyForSeat.vue';
import CancelApplication from './seed/CancelApplication.vue';
import Disconnect from './seed/Disconnect.vue';
import GuestApplicationReceived from './seed/GuestApplicationReceived.vue';
import GuestApplicationResponded from './seed/GuestApplicationResponded.vue';
import HostInvitationReceived from './seed/HostInvitationReceived.vue';
import HostInvitationResponded from './seed/HostInvitationResponded.vue';
import InviteToSeat from './seed/InviteToSeat.vue';
import RespondToInvitation from './seed/RespondToInvitation.vue';
import { instanceOptions, logoutAll, startServer, until, type TestServer } from './support/harness.js';
import { WeriftMedia } from './support/weriftMedia.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** console.log calls of the samples, with an event-driven wait for a matching one. */
class LogRecorder {
  readonly calls: unknown[][] = [];
  readonly #waiters: { match: (args: unknown[]) => boolean; resolve: (args: unknown[]) => void }[] = [];
  record(args: unknown[]): void {
    this.calls.push(args);
    for (const w of [...this.#waiters]) {
      if (!w.match(args)) continue;
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve(args);
    }
  }
  /** The next call (from now on) whose first argument is `first` and that passes `rest`. */
  next(first: string, rest: (args: unknown[]) => boolean = () => true, timeoutMs = 5000): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no console.log(${JSON.stringify(first)}, …)`)), timeoutMs);
      this.#waiters.push({
        match: (args) => args[0] === first && rest(args),
        resolve: (args) => (clearTimeout(timer), resolve(args)),
      });
    });
  }
}

type Vm<T> = VueWrapper & { vm: T };
const nextInvite = (timeoutMs = 5000): Promise<string> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('showInviteDialog was not called')), timeoutMs);
    window.addEventListener('onseat-test:invite', (e) => (clearTimeout(timer), resolve(String((e as CustomEvent<string>).detail))), { once: true });
  });

let ts: TestServer;
let log: LogRecorder;
let warnings: string[];
let unhandled: unknown[];
let wrappers: VueWrapper[];
let users: Onseat[];
let media: WeriftMedia[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  ts = await startServer();
  log = new LogRecorder();
  warnings = [];
  unhandled = [];
  wrappers = [];
  users = [];
  media = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => log.record(args));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => log.record(['console.error', ...args]));
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  for (const w of wrappers) w.unmount();
  await logoutAll(users);
  await Promise.all(media.map((m) => m.close()));
  await ts.close();
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
});

async function user(userId: string): Promise<Onseat> {
  // Capture is faked and the WebRTC transports are werift's (Node has no WebRTC), so the samples really publish.
  const m = new WeriftMedia();
  media.push(m);
  const onseat = createOnseat(
    instanceOptions(ts, { logger: { warn: (w: string) => warnings.push(w) }, media: { env: m.env, gatherTimeoutMs: 1000 } }),
  );
  users.push(onseat);
  await onseat.useLoginState().login({ sdkAppId: ts.app.sdkAppId, userId, userSig: await ts.sig(userId) });
  return onseat;
}
/** The bare samples are `<script setup>` without a template; Vue warns about that on mount. Other warnings pass. */
function quietMissingRender(msg: string): void {
  if (!msg.startsWith('Component is missing template or render function')) console.warn(`[Vue warn]: ${msg}`);
}
function mountAs<T>(component: Component, onseat: Onseat): Vm<T> {
  const w = mount(component, { global: { plugins: [onseat], config: { warnHandler: quietMissingRender } } });
  wrappers.push(w);
  return w as unknown as Vm<T>;
}

describe('seed: Guest Connection (Web) samples', () => {
  it('type-check with vue-tsc against @onseat/vue', () => {
    const r = spawnSync('npx', ['vue-tsc', '--noEmit', '-p', 'packages/vue/test/seed/tsconfig.json'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);

  it('run the host and audience flows against a real server', async () => {
    const host = await user('host');
    const aud = await user('aud1');
    await host.useLiveListState().startLive({
      liveId: 'seed-live',
      liveName: 'Seed live',
      seatTemplate: SeatLayoutTemplate.VideoDynamicGrid9Seats,
      seatMode: TUISeatMode.kApplyToTake,
    });
    await aud.useLiveListState().joinLive({ liveId: 'seed-live' });

    // Host side samples.
    mountAs(GuestApplicationReceived, host);
    const list = mountAs(ApplicantList, host);
    const invite = mountAs<{ handleInviteToSeat(userId: string): Promise<void> }>(InviteToSeat, host);
    mountAs(HostInvitationResponded, host);
    // Audience side samples.
    const apply = mountAs<{ handleRequestToConnect(): Promise<void> }>(ApplyForSeat, aud);
    mountAs(GuestApplicationResponded, aud);
    const leave = mountAs<{ leaveSeat(): Promise<void> }>(Disconnect, aud);
    const cancel = mountAs<{ handleCancelRequest(): Promise<void> }>(CancelApplication, aud);
    mountAs(HostInvitationReceived, aud);
    const respond = mountAs<{ handleAccept(id: string): Promise<void>; handleReject(id: string): Promise<void> }>(RespondToInvitation, aud);
    const seated = () => aud.useLiveSeatState().seatList.value.some((s) => s.userInfo.userId === 'aud1');
    const hostApplicants = host.useCoGuestState().applicants;
    const isAud = (args: unknown[]) => (args[1] as { userId?: string } | undefined)?.userId === 'aud1';

    // 1. The audience applies; the host's handler fires and the applicant list shows the user.
    let received = log.next('Received guest request from audience:', isAud);
    await apply.vm.handleRequestToConnect();
    expect(log.calls).toContainEqual(['Request sent']);
    await received;
    await until(hostApplicants, (a) => a.length === 1, 'host applicants');
    await nextTick();
    expect(list.findAll('.applicant-item span').map((s) => s.text())).toEqual(['aud1']);

    // 2. The host accepts with the sample's button; the audience's handler sees isAccept and opens devices.
    const accepted = log.next('Guest request accepted');
    await list.find('.applicant-item button').trigger('click');
    await accepted;
    expect(seated()).toBe(true);
    // The sample's openLocalMicrophone()/openLocalCamera() (not awaited) publish: both statuses turn On.
    const devices = aud.useDeviceState();
    await until(devices.microphoneStatus, (s) => s === DeviceStatus.On, 'aud1 microphone published', 10_000);
    await until(devices.cameraStatus, (s) => s === DeviceStatus.On, 'aud1 camera published', 10_000);
    expect(warnings).toEqual([]);
    await nextTick();
    expect(list.findAll('.applicant-item')).toHaveLength(0);

    // 3. disConnect.
    await leave.vm.leaveSeat();
    expect(log.calls).toContainEqual(['Disconnected successfully']);
    await until(aud.useLiveSeatState().seatList, () => !seated(), 'aud1 off seat');

    // 4. Apply again, then cancelApplication: the host's list empties.
    received = log.next('Received guest request from audience:', isAud);
    await apply.vm.handleRequestToConnect();
    await received;
    await until(hostApplicants, (a) => a.length === 1, 'host applicants again');
    await cancel.vm.handleCancelRequest();
    expect(log.calls).toContainEqual(['Request cancelled successfully']);
    await until(hostApplicants, (a) => a.length === 0, 'host applicants after cancel');

    // 5. Apply, the host rejects with the sample's second button.
    received = log.next('Received guest request from audience:', isAud);
    await apply.vm.handleRequestToConnect();
    await received;
    await nextTick();
    const rejected = log.next('Guest request rejected');
    await list.findAll('.applicant-item button')[1]!.trigger('click');
    await rejected;
    expect(seated()).toBe(false);

    // 6. The host invites; the audience's handler passes the inviter to showInviteDialog; the sample accepts.
    let dialog = nextInvite();
    await invite.vm.handleInviteToSeat('aud1');
    expect(log.calls).toContainEqual(['Sent guest invitation to audience aud1']);
    const inviterId = await dialog;
    expect(inviterId).toBe('host');
    const acceptedInvite = log.next('Audience aud1 accepted your invitation');
    await respond.vm.handleAccept(inviterId);
    await acceptedInvite;
    await until(aud.useLiveSeatState().seatList, seated, 'aud1 seated by invitation');

    // 7. Leave, get invited again, reject.
    await leave.vm.leaveSeat();
    await until(aud.useLiveSeatState().seatList, () => !seated(), 'aud1 off seat again');
    dialog = nextInvite();
    await invite.vm.handleInviteToSeat('aud1');
    const rejectedInvite = log.next('Audience aud1 rejected your invitation');
    await respond.vm.handleReject(await dialog);
    await rejectedInvite;

    expect(log.calls.filter((c) => c[0] === 'console.error')).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});
