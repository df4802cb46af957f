import { defineComponent, h, type PropType, type VNode } from 'vue';
import { PlayerControlButton } from '../enums.js';
import { t } from '../kit/i18n.js';
import type { LivePlayerState } from '../states/livePlayerState.js';

/**
 * LiveCoreView's player control bar for viewers (AtomicX shows it when you are in a live and not on a seat):
 * play/pause, mute, volume, resolution, picture-in-picture, fullscreen, and the app's custom buttons. Every control
 * is a native button/input (keyboard accessible); colours come from `--onseat-player-*` CSS variables.
 */
export const PlayerControlBar = defineComponent({
  name: 'OnseatPlayerControlBar',
  props: { player: { type: Object as PropType<LivePlayerState>, required: true } },
  setup(props) {
    const soft = (p: Promise<unknown>) => void p.catch(() => undefined);
    const button = (kind: PlayerControlButton, label: string, pressed: boolean | undefined, onClick: () => void, text: string): VNode | null => {
      const state = props.player.buttons.value[kind];
      if (!state.visible) return null;
      return h(
        'button',
        {
          type: 'button',
          class: `onseat-player-button onseat-player-${kind}`,
          'aria-label': label,
          'aria-pressed': pressed === undefined ? undefined : String(pressed),
          title: state.tooltip ?? label,
          disabled: state.disabled,
          style: buttonStyle(),
          onClick,
        },
        text,
      );
    };
    return () => {
      const p = props.player;
      const volume = p.buttons.value[PlayerControlButton.Volume];
      const resolution = p.buttons.value[PlayerControlButton.Resolution];
      const custom = p.customButtons.value.filter((b) => b.visible !== false);
      return h(
        'div',
        {
          class: 'onseat-player-control-bar',
          role: 'toolbar',
          'aria-label': t('Player controls'),
          style: {
            position: 'absolute',
            left: '0',
            right: '0',
            bottom: '0',
            display: 'flex',
            alignItems: 'center',
            gap: '6px',
            padding: '6px 10px',
            background: 'var(--onseat-player-bar-bg, linear-gradient(transparent, rgba(0,0,0,.65)))',
            color: 'var(--onseat-player-fg, #fff)',
            font: '500 13px system-ui, sans-serif',
          },
        },
        [
          ...custom.filter((b) => b.position === 'left').map((b) => customButton(b)),
          p.isPlaying.value
            ? button(PlayerControlButton.Play, t('Pause'), true, () => soft(p.pause()), '❚❚')
            : button(PlayerControlButton.Play, t('Play'), false, () => soft(p.resume()), '▶'),
          button(
            PlayerControlButton.Volume,
            p.isMuted.value ? t('Unmute') : t('Mute'),
            p.isMuted.value,
            () => soft(p.isMuted.value ? p.unmute() : p.mute()),
            p.isMuted.value ? '🔇' : '🔊',
          ),
          volume.visible
            ? h('input', {
                type: 'range',
                min: 0,
                max: 100,
                step: 1,
                class: 'onseat-player-volume-slider',
                'aria-label': t('Volume'),
                disabled: volume.disabled,
                value: p.currentVolume.value,
                style: { width: '90px', accentColor: 'var(--onseat-player-accent, #fff)' },
                onInput: (e: Event) => soft(p.setVolume(Number((e.target as HTMLInputElement).value))),
              })
            : null,
          h('span', { style: { flex: '1' } }),
          resolution.visible
            ? h(
                'select',
                {
                  class: 'onseat-player-resolution',
                  'aria-label': t('Resolution'),
                  disabled: resolution.disabled,
                  value: p.currentResolution.value?.value,
                  style: { background: 'transparent', color: 'inherit', border: '1px solid currentColor', borderRadius: '4px' },
                  onChange: (e: Event) => {
                    const value = Number((e.target as HTMLSelectElement).value);
                    const r = p.resolutionList.value.find((x) => x.value === value);
                    if (r) soft(p.switchResolution(r));
                  },
                },
                p.resolutionList.value.map((r) => h('option', { value: r.value, style: { color: '#000' } }, r.label)),
              )
            : null,
          button(
            PlayerControlButton.PictureInPicture,
            t('Picture-in-picture'),
            p.isPictureInPicture.value,
            () => soft(p.isPictureInPicture.value ? p.exitPictureInPicture() : p.requestPictureInPicture()),
            '⧉',
          ),
          button(
            PlayerControlButton.Fullscreen,
            p.isFullscreen.value ? t('Exit fullscreen') : t('Fullscreen'),
            p.isFullscreen.value,
            () => soft(p.isFullscreen.value ? p.exitFullscreen() : p.requestFullscreen()),
            '⛶',
          ),
          ...custom.filter((b) => b.position !== 'left').map((b) => customButton(b)),
        ],
      );
    };
  },
});

function customButton(b: LivePlayerState['customButtons']['value'][number]): VNode {
  return h(
    'button',
    {
      key: b.id,
      type: 'button',
      class: ['onseat-player-button', 'onseat-player-custom', b.className ?? ''],
      'aria-label': b.tooltip ?? b.id,
      title: b.tooltip,
      disabled: b.disabled,
      style: { ...buttonStyle(), ...(b.style ?? {}) },
      onClick: () => void Promise.resolve(b.onClick()).catch(() => undefined),
    },
    [h(b.icon)],
  );
}

function buttonStyle(): Record<string, string> {
  return {
    minWidth: '30px',
    height: '28px',
    border: '0',
    borderRadius: '4px',
    background: 'var(--onseat-player-button-bg, rgba(255,255,255,.12))',
    color: 'inherit',
    cursor: 'pointer',
  };
}
