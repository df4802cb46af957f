import type { LiveUserInfo, SeatUserInfo } from '@onseat/client';
import { computed, defineComponent, h, reactive, shallowRef, type VNode } from 'vue';
import { useOnseat } from '../instance.js';
import { t } from '../kit/i18n.js';
import { useUIKitModalState } from '../kit/modalState.js';
import { Avatar } from './Avatar.js';
import { panelStyle, primaryButton, dangerButton, neutralButton } from './kitStyles.js';

/** Texts for the error codes the host can hit when accepting (AtomicX's panel shows the same). */
const ERROR_TEXT: Record<number, string> = {
  100210: 'This seat is already occupied by others',
  100201: 'This seat is already occupied by others',
  100205: 'There is no available seat to take',
};

type Tab = 'applications' | 'management';

/**
 * The host's co-guest panel (AtomicX `CoGuestPanel`; no props, no emits): tab "Application for live" lists
 * `applicants` with Accept/Reject (disabled per user while the call runs; a failure is shown in the panel and through
 * `useUIKitModalState()`), tab "Co-guest management" lists "Current seat (N)" = `connected`, yourself marked "(Me)",
 * everyone else with Disconnect (`kickUserOutOfSeat`). The tabs are a WAI-ARIA tab list (arrow keys, Home/End);
 * every action is a button. Texts follow `setLanguage`/`addI18n`; colours come from `--onseat-*` CSS variables.
 */
export const CoGuestPanel = defineComponent({
  name: 'CoGuestPanel',
  setup() {
    const onseat = useOnseat();
    const coGuest = onseat.useCoGuestState();
    const seat = onseat.useLiveSeatState();
    const login = onseat.useLoginState();
    const modal = useUIKitModalState();
    const tab = shallowRef<Tab>('applications');
    const busy = reactive(new Set<string>());
    const error = shallowRef('');
    const tabs: Tab[] = ['applications', 'management'];
    const selfId = computed(() => login.loginUserInfo.value?.userId ?? '');
    let modalId = 0;

    const run = async (userId: string, action: () => Promise<void>, failure: string) => {
      if (busy.has(userId)) return;
      busy.add(userId);
      error.value = '';
      try {
        await action();
      } catch (e) {
        const code = (e as { code?: unknown } | null)?.code;
        const text = typeof code === 'number' && ERROR_TEXT[code] ? t(ERROR_TEXT[code]) : t(failure);
        error.value = text;
        modal.openModal({ id: ++modalId, title: t(failure), content: text, type: 'error' });
      } finally {
        busy.delete(userId);
      }
    };

    const tabButton = (which: Tab, label: string): VNode =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `onseat-coguest-tab-${which}`,
          'aria-selected': String(tab.value === which),
          'aria-controls': `onseat-coguest-panel-${which}`,
          tabindex: tab.value === which ? 0 : -1,
          class: ['onseat-coguest-tab', tab.value === which ? 'is-active' : ''],
          style: {
            flex: '1',
            padding: '8px 4px',
            border: '0',
            borderBottom: `2px solid ${tab.value === which ? 'var(--onseat-accent, #5b5bd6)' : 'transparent'}`,
            background: 'transparent',
            color: tab.value === which ? 'var(--onseat-text, #1c2024)' : 'var(--onseat-text-muted, #60646c)',
            font: '600 14px system-ui, sans-serif',
            cursor: 'pointer',
          },
          onClick: () => (tab.value = which),
          onKeydown: (e: KeyboardEvent) => {
            const i = tabs.indexOf(tab.value);
            const next =
              e.key === 'ArrowRight'
                ? tabs[(i + 1) % tabs.length]
                : e.key === 'ArrowLeft'
                  ? tabs[(i + tabs.length - 1) % tabs.length]
                  : e.key === 'Home'
                    ? tabs[0]
                    : e.key === 'End'
                      ? tabs[tabs.length - 1]
                      : undefined;
            if (!next) return;
            e.preventDefault();
            tab.value = next;
            const el = (e.currentTarget as HTMLElement).parentElement?.querySelector<HTMLElement>(`#onseat-coguest-tab-${next}`);
            el?.focus();
          },
        },
        label,
      );

    const row = (user: LiveUserInfo | SeatUserInfo, actions: VNode[], suffix = ''): VNode =>
      h(
        'li',
        {
          key: user.userId,
          class: 'onseat-coguest-user',
          'data-user-id': user.userId,
          style: { display: 'flex', alignItems: 'center', gap: '10px', padding: '8px 0' },
        },
        [
          h(Avatar, { src: user.avatarUrl || undefined, size: 40, alt: user.userName || user.userId }),
          h(
            'span',
            { class: 'onseat-coguest-name', style: { flex: '1', minWidth: '0', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } },
            `${user.userName || user.userId}${suffix}`,
          ),
          ...actions,
        ],
      );

    const empty = (text: string): VNode =>
      h('p', { class: 'onseat-coguest-empty', style: { margin: '24px 0', textAlign: 'center', color: 'var(--onseat-text-muted, #60646c)' } }, text);

    const applications = (): VNode[] => {
      const list = coGuest.applicants.value;
      if (list.length === 0) return [empty(t('No application for live'))];
      return [
        h(
          'ul',
          { style: { listStyle: 'none', margin: '0', padding: '0' } },
          list.map((user) =>
            row(user, [
              h(
                'button',
                {
                  type: 'button',
                  class: 'onseat-coguest-accept',
                  disabled: busy.has(user.userId),
                  'aria-label': `${t('Accept')} ${user.userName || user.userId}`,
                  style: primaryButton(),
                  onClick: () => run(user.userId, () => coGuest.acceptApplication({ userId: user.userId }), 'Accept co-guest request failed'),
                },
                t('Accept'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'onseat-coguest-reject',
                  disabled: busy.has(user.userId),
                  'aria-label': `${t('Reject')} ${user.userName || user.userId}`,
                  style: dangerButton(),
                  onClick: () => run(user.userId, () => coGuest.rejectApplication({ userId: user.userId }), 'Reject co-guest request failed'),
                },
                t('Reject'),
              ),
            ]),
          ),
        ),
      ];
    };

    const management = (): VNode[] => {
      const list = coGuest.connected.value;
      const title = h(
        'h3',
        { class: 'onseat-coguest-count', style: { margin: '4px 0', font: '600 13px system-ui, sans-serif' } },
        t('Current seat ({{count}})', { count: list.length }),
      );
      if (list.length === 0) return [title, empty(t('Seat is empty'))];
      return [
        title,
        h(
          'ul',
          { style: { listStyle: 'none', margin: '0', padding: '0' } },
          list.map((user) =>
            user.userId === selfId.value
              ? row(user, [], ` ${t('(Me)')}`)
              : row(user, [
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'onseat-coguest-disconnect',
                      disabled: busy.has(user.userId),
                      'aria-label': `${t('Disconnect')} ${user.userName || user.userId}`,
                      style: neutralButton(),
                      onClick: () => run(user.userId, () => seat.kickUserOutOfSeat({ userId: user.userId }), 'Disconnect failed'),
                    },
                    t('Disconnect'),
                  ),
                ]),
          ),
        ),
      ];
    };

    return () =>
      h('section', { class: 'onseat-coguest-panel', style: panelStyle() }, [
        h('div', { role: 'tablist', 'aria-label': 'CoGuest', style: { display: 'flex', borderBottom: '1px solid var(--onseat-border, #e0e1e6)' } }, [
          tabButton('applications', `${t('Application for live')}${coGuest.applicants.value.length ? ` (${coGuest.applicants.value.length})` : ''}`),
          tabButton('management', t('Co-guest management')),
        ]),
        error.value
          ? h(
              'p',
              { role: 'alert', class: 'onseat-coguest-error', style: { margin: '8px 0 0', color: 'var(--onseat-danger, #e5484d)' } },
              error.value,
            )
          : null,
        h(
          'div',
          {
            role: 'tabpanel',
            id: `onseat-coguest-panel-${tab.value}`,
            'aria-labelledby': `onseat-coguest-tab-${tab.value}`,
            style: { paddingTop: '8px' },
          },
          tab.value === 'applications' ? applications() : management(),
        ),
      ]);
  },
});
