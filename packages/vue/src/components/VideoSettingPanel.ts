import { defineComponent, h, onBeforeUnmount, onMounted, shallowRef } from 'vue';
import { MirrorType, VideoQuality } from '@onseat/client';
import { useOnseat } from '../instance.js';
import { t } from '../kit/i18n.js';
import { deviceSelect } from './deviceFields.js';
import { fieldStyle, panelStyle } from './kitStyles.js';

const QUALITIES: [VideoQuality, string][] = [
  [VideoQuality.Quality360P, '360P'],
  [VideoQuality.Quality540P, '540P'],
  [VideoQuality.Quality720P, '720P'],
  [VideoQuality.Quality1080P, '1080P'],
];

/**
 * Camera settings (AtomicX `VideoSettingPanel`) over `useDeviceState()`: camera choice, a live preview (camera test,
 * never published; stopped when the panel goes), video quality and mirroring. Each part can be hidden with AtomicX's
 * `*Visible` props. Native controls only (keyboard accessible); colours from `--onseat-*` CSS variables.
 */
export const VideoSettingPanel = defineComponent({
  name: 'VideoSettingPanel',
  props: {
    cameraSelectVisible: { type: Boolean, default: true },
    videoPreviewVisible: { type: Boolean, default: true },
    videoProfileVisible: { type: Boolean, default: true },
    switchMirrorVisible: { type: Boolean, default: true },
  },
  setup(props) {
    const onseat = useOnseat();
    const d = onseat.useDeviceState();
    const preview = shallowRef<HTMLElement | null>(null);
    const soft = (p: Promise<unknown>) => void p.catch(() => undefined);
    onMounted(() => {
      soft(d.getCameraList());
      if (props.videoPreviewVisible && preview.value) soft(d.startCameraTest({ view: preview.value }));
    });
    onBeforeUnmount(() => {
      if (d.isCameraTesting.value) soft(d.stopCameraTest());
    });
    return () =>
      h('section', { class: 'onseat-video-setting-panel', style: { ...panelStyle(), display: 'flex', flexDirection: 'column', gap: '12px' } }, [
        props.cameraSelectVisible
          ? deviceSelect(
              t('Camera'),
              'onseat-camera-select',
              d.cameraList.value,
              d.currentCamera.value?.deviceId ?? '',
              (deviceId) => soft(d.setCurrentCamera({ deviceId })),
              t('No device found'),
            )
          : null,
        props.videoPreviewVisible
          ? h('div', {
              ref: preview,
              class: 'onseat-camera-preview',
              role: 'img',
              'aria-label': t('Camera preview'),
              style: { position: 'relative', width: '100%', aspectRatio: '16 / 9', background: '#000', borderRadius: '6px', overflow: 'hidden' },
            })
          : null,
        props.videoProfileVisible
          ? h('label', { class: 'onseat-video-quality', style: { display: 'flex', flexDirection: 'column', gap: '4px' } }, [
              h('span', { style: { fontWeight: '600' } }, t('Video quality')),
              h(
                'select',
                {
                  value: d.localVideoQuality.value,
                  style: fieldStyle(),
                  onChange: (e: Event) => soft(d.updateVideoQuality({ quality: Number((e.target as HTMLSelectElement).value) })),
                },
                QUALITIES.map(([value, label]) => h('option', { key: value, value }, label)),
              ),
            ])
          : null,
        props.switchMirrorVisible
          ? h('label', { class: 'onseat-mirror', style: { display: 'flex', alignItems: 'center', gap: '8px' } }, [
              h('input', {
                type: 'checkbox',
                checked: d.localMirrorType.value !== MirrorType.Disable,
                onChange: (e: Event) =>
                  soft(d.switchMirror({ mirror: (e.target as HTMLInputElement).checked ? MirrorType.Enable : MirrorType.Disable })),
              }),
              t('Mirror'),
            ])
          : null,
      ]);
  },
});
