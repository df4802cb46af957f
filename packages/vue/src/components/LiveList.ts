import type { LiveInfo } from '@onseat/client';
import { defineComponent, h, onMounted, shallowRef, watch, type VNode } from 'vue';
import { LoginStatus } from '@onseat/client';
import { useOnseat } from '../instance.js';
import { t } from '../kit/i18n.js';
import { Avatar } from './Avatar.js';
import { neutralButton, panelStyle } from './kitStyles.js';

/** Lives fetched per page. */
const PAGE = 20;

/**
 * The list of lives (AtomicX `LiveList`): fetched with `fetchLiveList` once you are logged in, shown as cards in
 * `column-count` columns (default 5), "Load more" while `liveListCursor` is set. A card is a button: click, Enter
 * or Space emits `live-room-click(liveInfo)`. CSS variables: `--onseat-card-bg`, `--onseat-text(-muted)`, `--onseat-accent`.
 */
export const LiveList = defineComponent({
  name: 'LiveList',
  props: { columnCount: { type: Number, default: 5 } },
  emits: { 'live-room-click': (liveInfo: LiveInfo) => typeof liveInfo === 'object' && liveInfo !== null },
  setup(props, { emit }) {
    const onseat = useOnseat();
    const list = onseat.useLiveListState();
    const login = onseat.useLoginState();
    const loading = shallowRef(false);
    const fetchPage = async (cursor: string) => {
      if (loading.value) return;
      loading.value = true;
      try {
        await list.fetchLiveList({ cursor, count: PAGE });
      } catch (error) {
        onseat.logger.warn?.(`LiveList: fetchLiveList failed: ${(error as Error).message}`);
      } finally {
        loading.value = false;
      }
    };
    onMounted(() => {
      if (login.loginStatus.value === LoginStatus.LOGINED) void fetchPage('');
    });
    watch(login.loginStatus, (status) => {
      if (status === LoginStatus.LOGINED) void fetchPage('');
    });

    const card = (live: LiveInfo): VNode => {
      const open = () => emit('live-room-click', live);
      const owner = live.liveOwner;
      return h(
        'li',
        {
          key: live.liveId,
          class: 'onseat-live-card',
          'data-live-id': live.liveId,
          role: 'button',
          tabindex: 0,
          'aria-label': live.liveName || live.liveId,
          style: {
            listStyle: 'none',
            cursor: 'pointer',
            borderRadius: '8px',
            overflow: 'hidden',
            background: 'var(--onseat-card-bg, #f0f0f3)',
            minWidth: '0',
          },
          onClick: open,
          onKeydown: (e: KeyboardEvent) => {
            if (e.key !== 'Enter' && e.key !== ' ') return;
            e.preventDefault();
            open();
          },
        },
        [
          h('div', {
            class: 'onseat-live-cover',
            style: {
              aspectRatio: '3 / 4',
              background: live.coverUrl
                ? `center / cover no-repeat url("${encodeURI(live.coverUrl)}")`
                : 'var(--onseat-cover-bg, linear-gradient(135deg, #5b5bd6, #8e4ec6))',
            },
          }),
          h('div', { style: { padding: '6px 8px', display: 'flex', flexDirection: 'column', gap: '4px' } }, [
            h(
              'strong',
              { class: 'onseat-live-name', style: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } },
              live.liveName || live.liveId,
            ),
            h(
              'span',
              { style: { display: 'flex', alignItems: 'center', gap: '6px', color: 'var(--onseat-text-muted, #60646c)', fontSize: '12px' } },
              [
                h(Avatar, { src: owner.avatarUrl || undefined, size: 'xs', alt: owner.userName || owner.userId }),
                h(
                  'span',
                  { style: { flex: '1', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } },
                  owner.userName || owner.userId,
                ),
                h('span', { class: 'onseat-live-viewers' }, t('{{count}} watching', { count: live.currentViewerCount })),
              ],
            ),
          ]),
        ],
      );
    };

    return () => {
      const lives = list.liveList.value;
      return h('section', { class: 'onseat-live-list', style: panelStyle() }, [
        lives.length === 0 && !loading.value
          ? h(
              'p',
              { class: 'onseat-live-list-empty', style: { textAlign: 'center', color: 'var(--onseat-text-muted, #60646c)' } },
              t('No live right now'),
            )
          : h(
              'ul',
              {
                style: {
                  display: 'grid',
                  gridTemplateColumns: `repeat(${Math.max(1, Math.floor(props.columnCount))}, minmax(0, 1fr))`,
                  gap: '12px',
                  margin: '0',
                  padding: '0',
                },
              },
              lives.map(card),
            ),
        list.liveListCursor.value
          ? h(
              'button',
              {
                type: 'button',
                class: 'onseat-live-list-more',
                disabled: loading.value,
                style: { ...neutralButton(), marginTop: '12px' },
                onClick: () => fetchPage(list.liveListCursor.value),
              },
              t('Load more'),
            )
          : null,
      ]);
    };
  },
});
