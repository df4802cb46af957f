// @vitest-environment happy-dom
/**
 * The composables against a real server: mounted components' refs and DOM follow server-side changes, and events
 * reach `subscribeEvent` handlers. Each user is an isolated `createOnseat()` instance installed on its component.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import {
  GuestEvent,
  HostEvent,
  LiveAudienceEvent,
  LiveEndedReason,
  LiveKickedOutReason,
  LiveListEvent,
  NoResponseReason,
  SeatLayoutTemplate,
  TUISeatMode,
  useCoGuestState,
  useLiveAudienceState,
  useLiveListState,
  useLiveSeatState,
  type Onseat,
} from '../src/index.js';
import { loggedIn, logoutAll, nextEvent, startServer, until, type TestServer } from './support/harness.js';

/** The host's panel: live id, applicants, audience count and list, connected users. */
const HostPanel = defineComponent({
  setup() {
    const { currentLive } = useLiveListState();
    const { applicants, connected } = useCoGuestState();
    const { audienceCount, audienceList } = useLiveAudienceState();
    return () =>
      h('div', [
        h('p', { class: 'live' }, currentLive.value?.liveId ?? 'none'),
        h(
          'ul',
          { class: 'applicants' },
          applicants.value.map((a) => h('li', { key: a.userId }, a.userName)),
        ),
        h('span', { class: 'count' }, String(audienceCount.value)),
        h(
          'ul',
          { class: 'audience' },
          audienceList.value.map((a) => h('li', { key: a.userId }, a.userId)),
        ),
        h(
          'ul',
          { class: 'connected' },
          connected.value.map((u) => h('li', { key: u.userId }, u.userId)),
        ),
      ]);
  },
});

/** The audience's view: seats (who sits where), connected users, live id. */
const AudienceView = defineComponent({
  setup() {
    const { currentLive } = useLiveListState();
    const { seatList } = useLiveSeatState();
    const { connected, applicants } = useCoGuestState();
    return () =>
      h('div', [
        h('p', { class: 'live' }, currentLive.value === null ? 'null' : currentLive.value.liveId || 'left'),
        h(
          'ol',
          { class: 'seats' },
          seatList.value.map((s) => h('li', { key: s.index }, s.userInfo.userId || '-')),
        ),
        h(
          'ul',
          { class: 'connected' },
          connected.value.map((u) => h('li', { key: u.userId }, u.userId)),
        ),
        h(
          'ul',
          { class: 'applicants' },
          applicants.value.map((a) => h('li', { key: a.userId }, a.userId)),
        ),
      ]);
  },
});

const texts = (w: VueWrapper, selector: string): string[] => w.findAll(`${selector} li`).map((li) => li.text());

let ts: TestServer;
let users: Onseat[] = [];
let wrappers: VueWrapper[] = [];

beforeEach(async () => {
  ts = await startServer();
});
afterEach(async () => {
  for (const w of wrappers) w.unmount();
  wrappers = [];
  await logoutAll(users);
  users = [];
  await ts.close();
});

async function setup(...ids: string[]): Promise<Onseat[]> {
  const list = await Promise.all(ids.map((id) => loggedIn(ts, id)));
  users.push(...list);
  return list;
}
function mountAs<C extends typeof HostPanel | typeof AudienceView>(component: C, onseat: Onseat): VueWrapper {
  const w = mount(component, { global: { plugins: [onseat] } }) as VueWrapper;
  wrappers.push(w);
  return w;
}
async function startLive(host: Onseat, liveId = 'live-1'): Promise<void> {
  await host.useLiveListState().startLive({
    liveId,
    liveName: 'Test live',
    seatTemplate: SeatLayoutTemplate.VideoDynamicGrid9Seats,
    seatMode: TUISeatMode.kApplyToTake,
  });
}

describe('composables against a real server', () => {
  it('host sees applicants grow and audience arrive; audience sees seats and connected change', async () => {
    const [host, aud] = (await setup('host', 'aud1')) as [Onseat, Onseat];
    const hostView = mountAs(HostPanel, host);
    const audView = mountAs(AudienceView, aud);
    expect(hostView.find('.live').text()).toBe('none');

    await startLive(host);
    await until(host.useLiveListState().currentLive, (l) => l?.liveId === 'live-1', 'host currentLive');
    await nextTick();
    expect(hostView.find('.live').text()).toBe('live-1');
    // No waiting for the automatic audience fetch on entering: a join that lands while it is in flight must survive it.

    const joined = nextEvent<{ audience: { userId: string } }>(
      (cb) => host.useLiveAudienceState().subscribeEvent(LiveAudienceEvent.onAudienceJoined, cb),
      (cb) => host.useLiveAudienceState().unsubscribeEvent(LiveAudienceEvent.onAudienceJoined, cb),
      'onAudienceJoined',
    );
    await aud.useLiveListState().joinLive({ liveId: 'live-1' });
    expect((await joined).audience.userId).toBe('aud1');
    await until(host.useLiveAudienceState().audienceCount, (n) => n === 1, 'audienceCount 1');
    await until(host.useLiveAudienceState().audienceList, (l) => l.some((a) => a.userId === 'aud1'), 'audienceList');
    await nextTick();
    expect(hostView.find('.count').text()).toBe('1');
    expect(texts(hostView, '.audience')).toEqual(['aud1']);
    expect(audView.find('.live').text()).toBe('live-1');
    expect(texts(audView, '.seats')).toHaveLength(9);
    expect(texts(audView, '.connected')).toEqual(['host']);

    const received = nextEvent<{ guestUser: { userId: string; userName: string } }>(
      (cb) => host.useCoGuestState().subscribeEvent(HostEvent.onGuestApplicationReceived, cb),
      (cb) => host.useCoGuestState().unsubscribeEvent(HostEvent.onGuestApplicationReceived, cb),
      'onGuestApplicationReceived',
    );
    await aud.useCoGuestState().applyForSeat({ seatIndex: -1, timeout: 30 });
    expect((await received).guestUser).toEqual({ userId: 'aud1', userName: 'aud1', avatarUrl: '' });
    await nextTick();
    expect(texts(hostView, '.applicants')).toEqual(['aud1']);
    expect(texts(audView, '.applicants')).toEqual(['aud1']); // the applicant sees themself (AtomicX quirk)

    const responded = nextEvent<{ isAccept: boolean; hostUser: { userId: string } }>(
      (cb) => aud.useCoGuestState().subscribeEvent(GuestEvent.onGuestApplicationResponded, cb),
      (cb) => aud.useCoGuestState().unsubscribeEvent(GuestEvent.onGuestApplicationResponded, cb),
      'onGuestApplicationResponded',
    );
    await host.useCoGuestState().acceptApplication({ userId: 'aud1' });
    const answer = await responded;
    expect(answer.isAccept).toBe(true);
    expect(answer.hostUser.userId).toBe('host');
    // The seat list was applied before the event: the guest is seated when the handler runs.
    expect(aud.useLiveSeatState().seatList.value.some((s) => s.userInfo.userId === 'aud1')).toBe(true);
    await nextTick();
    expect(texts(audView, '.seats')).toContain('aud1');
    expect(texts(audView, '.connected').sort()).toEqual(['aud1', 'host']);
    expect(texts(audView, '.applicants')).toEqual([]);
    await until(host.useCoGuestState().connected, (c) => c.length === 2, 'host connected 2');
    await nextTick();
    expect(texts(hostView, '.applicants')).toEqual([]);
    expect(texts(hostView, '.connected').sort()).toEqual(['aud1', 'host']);

    await aud.useCoGuestState().disConnect();
    await until(host.useCoGuestState().connected, (c) => c.length === 1, 'host connected back to 1');
    await nextTick();
    expect(texts(hostView, '.connected')).toEqual(['host']);
    expect(texts(audView, '.seats')).not.toContain('aud1');
  });

  it('currentLive becomes null on live end and onLiveEnded reaches the audience; the host gets an empty live', async () => {
    const [host, aud] = (await setup('host', 'aud1')) as [Onseat, Onseat];
    const audView = mountAs(AudienceView, aud);
    await startLive(host);
    await aud.useLiveListState().joinLive({ liveId: 'live-1' });
    await nextTick();
    expect(audView.find('.live').text()).toBe('live-1');

    const ended = nextEvent<{ liveId: string; reason: number; message: string }>(
      (cb) => aud.useLiveListState().subscribeEvent(LiveListEvent.onLiveEnded, cb),
      (cb) => aud.useLiveListState().unsubscribeEvent(LiveListEvent.onLiveEnded, cb),
      'onLiveEnded',
    );
    await host.useLiveListState().endLive();
    expect(await ended).toEqual({ liveId: 'live-1', reason: LiveEndedReason.endedByHost, message: '' });
    expect(aud.useLiveListState().currentLive.value).toBeNull();
    expect(aud.useLiveSeatState().seatList.value).toEqual([]);
    await nextTick();
    expect(audView.find('.live').text()).toBe('null');
    expect(texts(audView, '.seats')).toEqual([]);
    const hostLive = host.useLiveListState().currentLive.value;
    expect(hostLive).not.toBeNull();
    expect(hostLive?.liveId).toBe('');
  });

  it('invitation: the invitee sees the inviter in invitees, accepts, and the host hears the answer', async () => {
    const [host, aud] = (await setup('host', 'aud1')) as [Onseat, Onseat];
    await startLive(host);
    await aud.useLiveListState().joinLive({ liveId: 'live-1' });

    const invited = nextEvent<{ hostUser: { userId: string } }>(
      (cb) => aud.useCoGuestState().subscribeEvent(GuestEvent.onHostInvitationReceived, cb),
      (cb) => aud.useCoGuestState().unsubscribeEvent(GuestEvent.onHostInvitationReceived, cb),
      'onHostInvitationReceived',
    );
    await host.useCoGuestState().inviteToSeat({ userId: 'aud1', seatIndex: 2, timeout: 30 });
    expect(host.useCoGuestState().invitees.value.map((u) => u.userId)).toEqual(['aud1']);
    expect((await invited).hostUser.userId).toBe('host');
    expect(aud.useCoGuestState().invitees.value.map((u) => u.userId)).toEqual(['host']);

    const answered = nextEvent<{ isAccept: boolean; guestUser: { userId: string } }>(
      (cb) => host.useCoGuestState().subscribeEvent(HostEvent.onHostInvitationResponded, cb),
      (cb) => host.useCoGuestState().unsubscribeEvent(HostEvent.onHostInvitationResponded, cb),
      'onHostInvitationResponded',
    );
    await aud.useCoGuestState().acceptInvitation({ inviterId: 'host' });
    expect(await answered).toEqual({ isAccept: true, guestUser: { userId: 'aud1', userName: 'aud1', avatarUrl: '' } });
    await until(aud.useLiveSeatState().seatList, (l) => l[2]?.userInfo.userId === 'aud1', 'aud1 on seat 2');
    expect(host.useCoGuestState().invitees.value).toEqual([]);
    expect(aud.useCoGuestState().invitees.value).toEqual([]);

    const kicked = nextEvent<{ seatIndex: number; hostUser: { userId: string } }>(
      (cb) => aud.useCoGuestState().subscribeEvent(GuestEvent.onKickedOffSeat, cb),
      (cb) => aud.useCoGuestState().unsubscribeEvent(GuestEvent.onKickedOffSeat, cb),
      'onKickedOffSeat',
    );
    await host.useLiveSeatState().kickUserOutOfSeat({ userId: 'aud1' });
    expect(await kicked).toMatchObject({ seatIndex: 2, hostUser: { userId: 'host' } });
    await until(aud.useCoGuestState().connected, (c) => c.every((u) => u.userId !== 'aud1'), 'aud1 off seat');
  });

  it('an unanswered application times out on both sides; a cancelled invitation reaches the invitee', async () => {
    const [host, aud] = (await setup('host', 'aud1')) as [Onseat, Onseat];
    await startLive(host);
    await aud.useLiveListState().joinLive({ liveId: 'live-1' });
    const noResponse = nextEvent<{ reason: number }>(
      (cb) => aud.useCoGuestState().subscribeEvent(GuestEvent.onGuestApplicationNoResponse, cb),
      (cb) => aud.useCoGuestState().unsubscribeEvent(GuestEvent.onGuestApplicationNoResponse, cb),
      'onGuestApplicationNoResponse',
    );
    await aud.useCoGuestState().applyForSeat({ seatIndex: -1, timeout: 1 });
    await until(host.useCoGuestState().applicants, (a) => a.length === 1, 'host applicants');
    expect(await noResponse).toEqual({ reason: NoResponseReason.timeout });
    expect(aud.useCoGuestState().applicants.value).toEqual([]);
    await until(host.useCoGuestState().applicants, (a) => a.length === 0, 'host applicants after timeout');

    const cancelled = nextEvent<{ hostUser: { userId: string } }>(
      (cb) => aud.useCoGuestState().subscribeEvent(GuestEvent.onHostInvitationCancelled, cb),
      (cb) => aud.useCoGuestState().unsubscribeEvent(GuestEvent.onHostInvitationCancelled, cb),
      'onHostInvitationCancelled',
    );
    await host.useCoGuestState().inviteToSeat({ userId: 'aud1', seatIndex: -1, timeout: 30 });
    await until(aud.useCoGuestState().invitees, (i) => i.length === 1, 'aud invitees');
    await host.useCoGuestState().cancelInvitation({ inviteeId: 'aud1' });
    expect((await cancelled).hostUser.userId).toBe('host');
    expect(aud.useCoGuestState().invitees.value).toEqual([]);
    expect(host.useCoGuestState().invitees.value).toEqual([]);
  });

  it('seat locks and audience kicks show up in the refs and events', async () => {
    const [host, aud] = (await setup('host', 'aud1')) as [Onseat, Onseat];
    await startLive(host);
    await aud.useLiveListState().joinLive({ liveId: 'live-1' });
    await host.useLiveSeatState().lockSeat({ seatIndex: 3 });
    await until(aud.useLiveSeatState().seatList, (l) => l[3]?.isLocked === true, 'seat 3 locked');
    await host.useLiveSeatState().unLockSeat({ seatIndex: 3 });
    await until(aud.useLiveSeatState().seatList, (l) => l[3]?.isLocked === false, 'seat 3 unlocked');

    const out = nextEvent<{ liveId: string; reason: number }>(
      (cb) => aud.useLiveListState().subscribeEvent(LiveListEvent.onKickedOutOfLive, cb),
      (cb) => aud.useLiveListState().unsubscribeEvent(LiveListEvent.onKickedOutOfLive, cb),
      'onKickedOutOfLive',
    );
    await host.useLiveAudienceState().kickUserOutOfRoom({ userId: 'aud1' });
    expect(await out).toMatchObject({ liveId: 'live-1', reason: LiveKickedOutReason.byAdmin });
    expect(aud.useLiveListState().currentLive.value).toBeNull();
    await until(host.useLiveAudienceState().audienceList, (l) => l.length === 0, 'audience list empty');
  });
});
