import type { Barrage } from '@onseat/client';
import { BarrageType } from '@onseat/client';
import { computed, defineComponent, h, onMounted, ref, type PropType } from 'vue';
import { useOnseat } from '../instance.js';
import { errorText, useLocalHost } from './chatRole.js';

/** Called before a message is sent; `false` (or a promise of it) stops it. */
export type OnWillSendBarrage = (message: Barrage) => void | boolean | Promise<boolean>;
/** Called after a message was sent. */
export type OnDidSendBarrage = (message: Barrage) => void;

/**
 * A chat input for the current live (AtomicX `BarrageInput`): Enter or the Send button sends with
 * `sendTextMessage`; a refusal (banned -2381, chat disabled -2380, too fast -2, too long 40021, blocked word 80001)
 * is shown under the input and emitted as `error`. Disabled while not in a live, and while the live has chat
 * disabled for audience (hosts may still talk).
 *
 * Props: `height`, `width`, `minHeight`, `maxHeight`, `placeholder`, `disabled`, `autoFocus`, `maxLength` (default
 * 200), `containerClass`, `containerStyle`, `onWillSendBarrage`, `onDidSendBarrage`. Exposes `focus()` and `blur()`.
 * Classes: `onseat-barrage-input`, `onseat-barrage-input-text`, `onseat-barrage-input-send`, `onseat-barrage-input-error`.
 */
export const BarrageInput = defineComponent({
  name: 'BarrageInput',
  props: {
    height: { type: String, default: 'auto' },
    placeholder: { type: String, default: undefined },
    disabled: { type: Boolean, default: false },
    width: { type: String, default: undefined },
    maxHeight: { type: String, default: '120px' },
    autoFocus: { type: Boolean, default: false },
    maxLength: { type: Number, default: 200 },
    containerClass: { type: String, default: '' },
    containerStyle: { type: Object as PropType<Record<string, string>>, default: () => ({}) },
    minHeight: { type: String, default: '32px' },
    onWillSendBarrage: { type: Function as PropType<OnWillSendBarrage>, default: undefined },
    onDidSendBarrage: { type: Function as PropType<OnDidSendBarrage>, default: undefined },
  },
  emits: { error: (e: unknown) => e !== undefined },
  setup(props, { emit, expose }) {
    const onseat = useOnseat();
    const barrage = onseat.useBarrageState();
    const list = onseat.useLiveListState();
    const login = onseat.useLoginState();
    const text = ref('');
    const error = ref('');
    const sending = ref(false);
    const input = ref<HTMLInputElement | null>(null);
    const inLive = computed(() => !!list.currentLive.value?.liveId);
    const { isHost } = useLocalHost();
    const chatOff = computed(() => !!list.currentLive.value?.isMessageDisable && !isHost.value);
    const off = computed(() => props.disabled || !inLive.value || chatOff.value);

    const send = async () => {
      const value = text.value.trim();
      if (!value || off.value || sending.value) return;
      const me = login.loginUserInfo.value;
      const draft: Barrage = {
        liveId: list.currentLive.value?.liveId ?? '',
        sender: { userId: me?.userId ?? '', userName: me?.userName ?? '', avatarUrl: me?.avatarUrl ?? '' },
        sequence: 0,
        timestampInSecond: Math.floor(Date.now() / 1000),
        messageType: BarrageType.text,
        textContent: value,
      };
      if (props.onWillSendBarrage && (await props.onWillSendBarrage(draft)) === false) return;
      sending.value = true;
      error.value = '';
      try {
        await barrage.sendTextMessage({ text: value });
        text.value = '';
        props.onDidSendBarrage?.(draft);
      } catch (e) {
        error.value = errorText(e);
        emit('error', e);
      } finally {
        sending.value = false;
      }
    };

    expose({ focus: () => input.value?.focus(), blur: () => input.value?.blur() });
    onMounted(() => {
      if (props.autoFocus) input.value?.focus();
    });

    return () =>
      h('div', { class: ['onseat-barrage-input', props.containerClass], style: { width: props.width, ...props.containerStyle } }, [
        h('div', { style: { display: 'flex', gap: '6px' } }, [
          h('input', {
            ref: input,
            class: 'onseat-barrage-input-text',
            type: 'text',
            value: text.value,
            placeholder: chatOff.value ? 'Chat is disabled in this live' : (props.placeholder ?? 'Say something…'),
            maxlength: props.maxLength,
            disabled: off.value,
            style: { flex: '1 1 auto', height: props.height, minHeight: props.minHeight, maxHeight: props.maxHeight },
            onInput: (e: Event) => (text.value = (e.target as HTMLInputElement).value),
            onKeydown: (e: KeyboardEvent) => {
              if (e.key === 'Enter' && !e.isComposing) {
                e.preventDefault();
                void send();
              }
            },
          }),
          h(
            'button',
            {
              type: 'button',
              class: 'onseat-barrage-input-send',
              disabled: off.value || sending.value || !text.value.trim(),
              onClick: () => void send(),
            },
            'Send',
          ),
        ]),
        error.value
          ? h('div', { class: 'onseat-barrage-input-error', role: 'alert', style: { color: '#d33', fontSize: '12px' } }, error.value)
          : null,
      ]);
  },
});
