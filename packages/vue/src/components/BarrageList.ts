import type { Barrage } from '@onseat/client';
import { defineComponent, h, nextTick, ref, watch, type Component, type CSSProperties, type PropType, type SlotsType, type VNode } from 'vue';
import { useOnseat } from '../instance.js';
import { errorText, useLocalHost } from './chatRole.js';

/** The sender of a message as the `message-item` slot gets it. */
export interface BarrageSender {
  userId: string;
  userName: string;
  avatarUrl: string;
  isMessageDisabled: boolean;
}

/** Props of the `message-item` slot. */
export interface MessageItemSlotProps {
  message: Barrage;
  sender: BarrageSender;
}

/**
 * The chat of the current live (AtomicX `BarrageList`): `messageList` from {@link useBarrageState}, oldest first,
 * scrolled to the newest while the reader is at the bottom. Hosts (owner, admins) get a "Mute"/"Unmute" button on
 * other users' messages (`disableSendMessage`).
 *
 * Props: `height`, `style`, `containerStyle`, `itemStyle`, `Message` (a component rendered per message with
 * `{message}`). Slots: `message-item {message, sender}` (replaces the whole item), `user-badge {message}`.
 * Class names (`onseat-barrage-list`, `onseat-barrage-item`, `onseat-barrage-sender`, `onseat-barrage-text`,
 * `onseat-barrage-mute`) are stable for styling.
 */
export const BarrageList = defineComponent({
  name: 'BarrageList',
  props: {
    height: { type: String, default: undefined },
    style: { type: Object as PropType<CSSProperties>, default: undefined },
    containerStyle: { type: Object as PropType<CSSProperties>, default: undefined },
    // eslint-disable-next-line vue/prop-name-casing -- AtomicX's BarrageList names this prop `Message`; drop-in apps pass it so
    Message: { type: Object as PropType<Component>, default: undefined },
    itemStyle: { type: Object as PropType<CSSProperties>, default: undefined },
  },
  slots: Object as SlotsType<{ 'message-item': MessageItemSlotProps; 'user-badge': { message: Barrage } }>,
  setup(props, { slots }) {
    const onseat = useOnseat();
    const barrage = onseat.useBarrageState();
    const audience = onseat.useLiveAudienceState();
    const { userId, isHost } = useLocalHost();
    const box = ref<HTMLElement | null>(null);
    const error = ref('');

    watch(
      () => barrage.messageList.value.length,
      async () => {
        const el = box.value;
        const atBottom = !el || el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        await nextTick();
        if (atBottom && box.value) box.value.scrollTop = box.value.scrollHeight;
      },
    );

    const banned = (id: string) => audience.messageBannedUserList.value.some((u) => u.userId === id);
    const toggleMute = (id: string) => {
      error.value = '';
      audience.disableSendMessage({ userId: id, isDisable: !banned(id) }).catch((e: unknown) => (error.value = errorText(e)));
    };

    const item = (message: Barrage): VNode => {
      const sender: BarrageSender = { ...message.sender, isMessageDisabled: banned(message.sender.userId) };
      const key = `${message.sequence}:${message.sender.userId}:${message.timestampInSecond}`;
      if (slots['message-item'])
        return h('div', { key, class: 'onseat-barrage-item', style: props.itemStyle }, slots['message-item']({ message, sender }));
      if (props.Message) return h('div', { key, class: 'onseat-barrage-item', style: props.itemStyle }, [h(props.Message, { message })]);
      const canMute = isHost.value && message.sender.userId !== '' && message.sender.userId !== userId.value;
      return h('div', { key, class: 'onseat-barrage-item', 'data-sequence': message.sequence, style: { padding: '2px 0', ...props.itemStyle } }, [
        slots['user-badge']?.({ message }),
        h(
          'span',
          { class: 'onseat-barrage-sender', style: { fontWeight: 600, marginRight: '6px' } },
          `${message.sender.userName || message.sender.userId}:`,
        ),
        h('span', { class: 'onseat-barrage-text' }, message.textContent ?? ''),
        canMute
          ? h(
              'button',
              {
                type: 'button',
                class: 'onseat-barrage-mute',
                'aria-label': `${banned(message.sender.userId) ? 'Unmute' : 'Mute'} ${message.sender.userName || message.sender.userId} in the chat`,
                style: { marginLeft: '8px', fontSize: '11px' },
                onClick: () => toggleMute(message.sender.userId),
              },
              banned(message.sender.userId) ? 'Unmute' : 'Mute',
            )
          : null,
      ]);
    };

    return () =>
      h('div', { class: 'onseat-barrage-list', style: { display: 'flex', flexDirection: 'column', height: props.height, ...props.style } }, [
        h(
          'div',
          { ref: box, class: 'onseat-barrage-messages', style: { flex: '1 1 auto', overflowY: 'auto', ...props.containerStyle } },
          barrage.messageList.value.map(item),
        ),
        error.value ? h('div', { class: 'onseat-barrage-error', role: 'alert', style: { color: '#d33', fontSize: '12px' } }, error.value) : null,
      ]);
  },
});
