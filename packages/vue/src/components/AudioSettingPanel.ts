import { defineComponent, h, onBeforeUnmount, onMounted } from 'vue';
import { useOnseat } from '../instance.js';
import { t } from '../kit/i18n.js';
import { deviceSelect, levelMeter, testToneUrl, volumeSlider } from './deviceFields.js';
import { neutralButton, panelStyle } from './kitStyles.js';

/**
 * Microphone and speaker settings (AtomicX `AudioSettingPanel`) over `useDeviceState()`: microphone choice, capture
 * volume, microphone test with a level meter, speaker choice, output volume and a speaker test tone. Each part can be
 * hidden with AtomicX's `*Visible` props. `testFailureGuidanceVisible`, `manageMicrophoneDevice` and
 * `microphoneDeviceSyncActive` are accepted for compatibility and change nothing. Native controls only (keyboard
 * accessible); colours from `--onseat-*` CSS variables.
 */
export const AudioSettingPanel = defineComponent({
  name: 'AudioSettingPanel',
  props: {
    micTestVisible: { type: Boolean, default: true },
    inputVolumeLevelVisible: { type: Boolean, default: true },
    inputVolumeVisible: { type: Boolean, default: true },
    speakerTestVisible: { type: Boolean, default: true },
    outputVolumeVisible: { type: Boolean, default: true },
    testFailureGuidanceVisible: { type: Boolean, default: false },
    manageMicrophoneDevice: { type: Boolean, default: false },
    microphoneDeviceSyncActive: { type: Boolean, default: false },
  },
  setup(props) {
    const onseat = useOnseat();
    const d = onseat.useDeviceState();
    const soft = (p: Promise<unknown>) => void p.catch(() => undefined);
    onMounted(() => {
      soft(d.getMicrophoneList());
      soft(d.getSpeakerList());
    });
    onBeforeUnmount(() => {
      if (d.isMicrophoneTesting.value) soft(d.stopMicrophoneTest());
      if (d.isSpeakerTesting.value) soft(d.stopSpeakerTest());
    });
    return () =>
      h('section', { class: 'onseat-audio-setting-panel', style: { ...panelStyle(), display: 'flex', flexDirection: 'column', gap: '12px' } }, [
        deviceSelect(
          t('Microphone'),
          'onseat-microphone-select',
          d.microphoneList.value,
          d.currentMicrophone.value?.deviceId ?? '',
          (deviceId) => soft(d.setCurrentMicrophone({ deviceId })),
          t('No device found'),
        ),
        props.inputVolumeVisible
          ? volumeSlider(t('Capture volume'), 'onseat-capture-volume', d.captureVolume.value, (v) => soft(d.setCaptureVolume(v)))
          : null,
        props.micTestVisible
          ? h('div', { style: { display: 'flex', alignItems: 'center', gap: '8px' } }, [
              h(
                'button',
                {
                  type: 'button',
                  class: 'onseat-microphone-test',
                  'aria-pressed': String(d.isMicrophoneTesting.value),
                  style: neutralButton(),
                  onClick: () => soft(d.isMicrophoneTesting.value ? d.stopMicrophoneTest() : d.startMicrophoneTest({ interval: 200 })),
                },
                d.isMicrophoneTesting.value ? t('Stop test') : t('Test microphone'),
              ),
              props.inputVolumeLevelVisible
                ? h('div', { style: { flex: '1' } }, [
                    levelMeter(t('Microphone'), d.isMicrophoneTesting.value ? d.testingMicVolume.value : d.currentMicVolume.value),
                  ])
                : null,
            ])
          : null,
        deviceSelect(
          t('Speaker'),
          'onseat-speaker-select',
          d.speakerList.value,
          d.currentSpeaker.value?.deviceId ?? '',
          (deviceId) => soft(d.setCurrentSpeaker({ deviceId })),
          t('No device found'),
        ),
        props.outputVolumeVisible
          ? volumeSlider(t('Output volume'), 'onseat-output-volume', d.outputVolume.value, (v) => soft(d.setOutputVolume(v)))
          : null,
        props.speakerTestVisible
          ? h(
              'button',
              {
                type: 'button',
                class: 'onseat-speaker-test',
                'aria-pressed': String(d.isSpeakerTesting.value),
                style: { ...neutralButton(), alignSelf: 'flex-start' },
                onClick: () => soft(d.isSpeakerTesting.value ? d.stopSpeakerTest() : d.startSpeakerTest({ filePath: testToneUrl() })),
              },
              d.isSpeakerTesting.value ? t('Stop test') : t('Test speaker'),
            )
          : null,
      ]);
  },
});
