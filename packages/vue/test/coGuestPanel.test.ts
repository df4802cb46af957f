// @vitest-environment happy-dom
/**
 * CoGuestPanel against a real server: the host sees applications arrive, accepts and rejects them with the mouse and
 * the keyboard, sees the failure when no seat is left, switches to the management tab with the arrow keys and
 * disconnects a guest; texts follow setLanguage.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { CoGuestPanel, GuestEvent, ONSEAT_KEY, setLanguage, TUISeatMode, useUIKitModalState, type Onseat } from '../src/index.js';
import { loggedIn, logoutAll, nextEvent, startServer, until, type TestServer } from './support/harness.js';

let ts: TestServer;
let users: Onseat[] = [];
let wrapper: VueWrapper | null = null;

beforeEach(async () => {
  ts = await startServer();
});
afterEach(async () => {
  wrapper?.unmount();
  wrapper = null;
  setLanguage('en-US');
  await logoutAll(users);
  users = [];
  await ts.close();
});

async function hostWithApplicants(names: string[], maxSeatCount: number) {
  const host = await loggedIn(ts, 'host');
  await host.useLiveListState().startLive({ liveId: 'panel-live', liveName: 'Panel', seatMode: TUISeatMode.kApplyToTake, maxSeatCount });
  const guests: Onseat[] = [];
  for (const name of names) {
    const g = await loggedIn(ts, name);
    await g.useLiveListState().joinLive({ liveId: 'panel-live' });
    guests.push(g);
  }
  users.push(host, ...guests);
  wrapper = mount(CoGuestPanel, { attachTo: document.body, global: { provide: { [ONSEAT_KEY as symbol]: host } } });
  for (const g of guests) await g.useCoGuestState().applyForSeat({ seatIndex: -1, timeout: 60 });
  await until(
    () => host.useCoGuestState().applicants.value.length,
    (n) => n === names.length,
    'applications to arrive',
  );
  await nextTick();
  return { host, guests, w: wrapper };
}

const rows = (w: VueWrapper) => w.findAll('.onseat-coguest-user').map((r) => r.attributes('data-user-id'));

describe('CoGuestPanel', () => {
  it('lists applications; Accept seats the user, Reject answers no; the management tab lists the seats with (Me) and Disconnect', async () => {
    const { host, guests, w } = await hostWithApplicants(['alice', 'bob'], 4);
    const [alice, bob] = guests as [Onseat, Onseat];
    expect(w.find('[role="tab"][aria-selected="true"]').text()).toBe('Application for live (2)');
    expect(rows(w)).toEqual(['alice', 'bob']);

    const answer = nextEvent<{ isAccept: boolean }>(
      (cb) => bob.useCoGuestState().subscribeEvent(GuestEvent.onGuestApplicationResponded, cb),
      (cb) => bob.useCoGuestState().unsubscribeEvent(GuestEvent.onGuestApplicationResponded, cb),
      'bob hears the answer',
    );
    await w.find('[data-user-id="alice"] .onseat-coguest-accept').trigger('click');
    // Keyboard: the Reject button is a native button; Enter on a focused button clicks it.
    const reject = w.find<HTMLButtonElement>('[data-user-id="bob"] .onseat-coguest-reject');
    reject.element.focus();
    expect(document.activeElement).toBe(reject.element);
    await reject.trigger('click');
    expect((await answer).isAccept).toBe(false);
    await until(() => alice.useCoGuestState().connected.value.some((u) => u.userId === 'alice'), Boolean, 'alice seated');
    await until(
      () => host.useCoGuestState().applicants.value.length,
      (n) => n === 0,
      'no applicants left',
    );
    await nextTick();
    expect(w.find('.onseat-coguest-empty').text()).toBe('No application for live');

    // Arrow keys move between the tabs.
    await w.find('#onseat-coguest-tab-applications').trigger('keydown', { key: 'ArrowRight' });
    expect(w.find('[role="tab"][aria-selected="true"]').attributes('id')).toBe('onseat-coguest-tab-management');
    expect(document.activeElement?.id).toBe('onseat-coguest-tab-management');
    expect(w.find('.onseat-coguest-count').text()).toBe('Current seat (2)');
    expect(w.find('[data-user-id="host"]').text()).toContain('(Me)');
    expect(w.find('[data-user-id="host"] .onseat-coguest-disconnect').exists()).toBe(false);

    await w.find('[data-user-id="alice"] .onseat-coguest-disconnect').trigger('click');
    await until(
      () => host.useCoGuestState().connected.value.length,
      (n) => n === 1,
      'alice off the seat',
    );
    await nextTick();
    expect(rows(w)).toEqual(['host']);
    await w.find('#onseat-coguest-tab-management').trigger('keydown', { key: 'Home' });
    expect(w.find('[role="tab"][aria-selected="true"]').attributes('id')).toBe('onseat-coguest-tab-applications');
  });

  it('shows why an accept failed (no seat left: 100205) in the panel and through the modal state', async () => {
    const { host, w } = await hostWithApplicants(['alice', 'bob'], 2);
    await w.find('[data-user-id="alice"] .onseat-coguest-accept').trigger('click');
    await until(
      () => host.useCoGuestState().connected.value.length,
      (n) => n === 2,
      'alice seated',
    );
    await until(
      () => host.useCoGuestState().applicants.value.length,
      (n) => n === 1,
      'bob still applying',
    );
    await nextTick();
    const accept = w.find<HTMLButtonElement>('[data-user-id="bob"] .onseat-coguest-accept');
    await accept.trigger('click');
    expect(accept.element.disabled).toBe(true);
    await until(
      () => useUIKitModalState().currentModal.value,
      (m) => m !== null,
      'the error modal',
    );
    await nextTick();
    expect(w.find('[role="alert"]').text()).toBe('There is no available seat to take');
    expect(useUIKitModalState().currentModal.value).toMatchObject({
      type: 'error',
      title: 'Accept co-guest request failed',
      content: 'There is no available seat to take',
    });
    useUIKitModalState().closeModal();
  });

  it('switches language with setLanguage (zh-CN built in)', async () => {
    const { w } = await hostWithApplicants(['alice'], 4);
    setLanguage('zh-CN');
    await nextTick();
    expect(w.find('.onseat-coguest-accept').text()).toBe('同意');
    expect(w.find('.onseat-coguest-reject').text()).toBe('拒绝');
    expect(w.find('#onseat-coguest-tab-management').text()).toBe('连麦管理');
  });
});
