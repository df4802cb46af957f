import { Role, type AudienceInfo } from '@onseat/client';
import { defineComponent, h, ref, type CSSProperties, type PropType, type SlotsType } from 'vue';
import { useOnseat } from '../instance.js';
import { errorText, useLocalHost } from './chatRole.js';

/** Props of the `audience-item` slot. */
export interface AudienceItemSlotProps {
  index: number;
  audience: AudienceInfo;
}

/**
 * The audience of the current live (AtomicX `LiveAudienceList`): administrators and audience with their role and
 * a "muted" mark for members banned from chatting. Hosts get "Mute"/"Unmute" and "Remove" per member (an admin only
 * for plain audience). Props: `height`, `style`. Slots: `audience-item {index, audience}` (replaces the item),
 * `audience-mark {audience}`. Classes: `onseat-audience-list`, `onseat-audience-item` (with `data-user-id`),
 * `onseat-audience-muted`, `onseat-audience-mute`, `onseat-audience-kick`, `onseat-audience-error`.
 */
export const LiveAudienceList = defineComponent({
  name: 'LiveAudienceList',
  props: {
    height: { type: String, default: undefined },
    style: { type: Object as PropType<CSSProperties>, default: undefined },
  },
  slots: Object as SlotsType<{ 'audience-item': AudienceItemSlotProps; 'audience-mark': { audience: AudienceInfo } }>,
  setup(props, { slots }) {
    const audience = useOnseat().useLiveAudienceState();
    const { userId, isHost, isOwner } = useLocalHost();
    const error = ref('');
    const run = (p: Promise<void>) => {
      error.value = '';
      p.catch((e: unknown) => (error.value = errorText(e)));
    };
    const item = (a: AudienceInfo, index: number) => {
      if (slots['audience-item'])
        return h('li', { key: a.userId, class: 'onseat-audience-item', 'data-user-id': a.userId }, slots['audience-item']({ index, audience: a }));
      const canModerate = isHost.value && a.userId !== userId.value && (isOwner.value || a.userRole === Role.GeneralUser);
      return h(
        'li',
        {
          key: a.userId,
          class: 'onseat-audience-item',
          'data-user-id': a.userId,
          style: { display: 'flex', gap: '6px', alignItems: 'center', padding: '2px 0' },
        },
        [
          a.avatarUrl ? h('img', { src: a.avatarUrl, alt: '', style: { width: '20px', height: '20px', borderRadius: '50%' } }) : null,
          h('span', { class: 'onseat-audience-name' }, a.userName || a.userId),
          a.userRole === Role.Administrator ? h('span', { class: 'onseat-audience-admin', style: { fontSize: '11px' } }, 'admin') : null,
          a.isMessageDisabled ? h('span', { class: 'onseat-audience-muted', style: { fontSize: '11px', color: '#d33' } }, 'muted') : null,
          slots['audience-mark']?.({ audience: a }),
          canModerate
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'onseat-audience-mute',
                  'aria-label': `${a.isMessageDisabled ? 'Unmute' : 'Mute'} ${a.userName || a.userId} in the chat`,
                  onClick: () => run(audience.disableSendMessage({ userId: a.userId, isDisable: !a.isMessageDisabled })),
                },
                a.isMessageDisabled ? 'Unmute' : 'Mute',
              )
            : null,
          canModerate
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'onseat-audience-kick',
                  'aria-label': `Remove ${a.userName || a.userId} from the live`,
                  onClick: () => run(audience.kickUserOutOfRoom({ userId: a.userId })),
                },
                'Remove',
              )
            : null,
        ],
      );
    };
    return () =>
      h('div', { class: 'onseat-audience-list', style: { height: props.height, overflowY: 'auto', ...props.style } }, [
        h('ul', { style: { listStyle: 'none', margin: 0, padding: 0 } }, audience.audienceList.value.map(item)),
        error.value ? h('div', { class: 'onseat-audience-error', role: 'alert', style: { color: '#d33', fontSize: '12px' } }, error.value) : null,
      ]);
  },
});
