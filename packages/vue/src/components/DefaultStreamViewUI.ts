import { DeviceStatus, type SeatUserInfo } from '@onseat/client';
import { computed, defineComponent, h, type PropType } from 'vue';
import { useMediaSources } from './sources.js';

const MIC_OFF_PATH =
  'M19 11h-1.7c0 .74-.16 1.43-.43 2.05l1.23 1.23c.56-.98.9-2.09.9-3.28zm-4.02.17c0-.06.02-.11.02-.17V5c0-1.66-1.34-3-3-3S9 ' +
  '3.34 9 5v.18l5.98 5.99zM4.27 3 3 4.27l6.01 6.01V11c0 1.66 1.33 3 2.99 3 .22 0 .44-.03.65-.08l1.66 1.66c-.71.33-1.5.52-2.31.52' +
  '-2.76 0-5.3-2.1-5.3-5.1H5c0 3.41 2.72 6.23 6 6.72V21h2v-3.28c.91-.13 1.77-.45 2.54-.9L19.73 21 21 19.73 4.27 3z';

/**
 * The default overlay of a seat in `LiveCoreView` (its `streamViewUI` slot): the user's name, a speaking indicator
 * while their audio level is above zero, and a crossed-out microphone while their microphone is off.
 */
export const DefaultStreamViewUI = defineComponent({
  name: 'DefaultStreamViewUI',
  props: {
    userInfo: { type: Object as PropType<SeatUserInfo>, required: true },
  },
  setup(props) {
    const sources = useMediaSources();
    const level = computed(() => sources.speakingUsers.value.get(props.userInfo.userId) ?? 0);
    const micOff = computed(() => props.userInfo.microphoneStatus !== DeviceStatus.On);
    return () => {
      const name = props.userInfo.userName || props.userInfo.userId;
      const isLocal = props.userInfo.userId === sources.localUserId.value;
      const speaking = level.value > 0 && !micOff.value;
      return h(
        'div',
        {
          class: ['onseat-stream-ui', speaking ? 'is-speaking' : ''],
          style: {
            position: 'absolute',
            left: '6px',
            bottom: '6px',
            right: '6px',
            display: 'flex',
            alignItems: 'center',
            gap: '6px',
            color: '#fff',
            font: '600 12px/1.4 system-ui, sans-serif',
            textShadow: '0 1px 2px rgba(0,0,0,.7)',
            pointerEvents: 'none',
          },
        },
        [
          micOff.value
            ? h(
                'span',
                { class: 'onseat-mic-muted', role: 'img', 'aria-label': 'Microphone off', title: 'Microphone off', style: badge('#e5484d') },
                [
                  h('svg', { viewBox: '0 0 24 24', width: 12, height: 12, fill: 'currentColor', 'aria-hidden': 'true' }, [
                    h('path', { d: MIC_OFF_PATH }),
                  ]),
                ],
              )
            : null,
          speaking
            ? h('span', { class: 'onseat-speaking', role: 'img', 'aria-label': 'Speaking', title: 'Speaking', style: badge('#30a46c') }, [
                bars(level.value),
              ])
            : null,
          h(
            'span',
            { class: 'onseat-user-name', style: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } },
            isLocal ? `${name} (you)` : name,
          ),
        ],
      );
    };
  },
});

function badge(background: string): Record<string, string> {
  return {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '18px',
    height: '18px',
    borderRadius: '50%',
    background,
    flex: 'none',
  };
}

/** Three bars whose height follows the level (0–100). */
function bars(level: number) {
  const l = Math.max(0.25, Math.min(1, level / 60));
  return h(
    'svg',
    { viewBox: '0 0 12 12', width: 12, height: 12, fill: '#fff', 'aria-hidden': 'true' },
    [0.6, 1, 0.75].map((k, i) => {
      const height = Math.max(2, Math.round(10 * k * l));
      return h('rect', { x: 1 + i * 4, y: 11 - height, width: 2, height, rx: 1 });
    }),
  );
}
