import { defineComponent, h, onBeforeUnmount, onMounted, shallowRef, watch, type PropType } from 'vue';
import { useMediaPlayback } from './playback.js';

type SinkCapable = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * One `<video>` or `<audio>` element playing a MediaStream: sets `srcObject`, starts it through the view's
 * {@link useMediaPlayback} controller (which notices autoplay refusals), re-attaches when the tracks inside the
 * stream change (`trackKey`), applies volume and output device, and detaches on unmount.
 */
export const MediaPlayer = defineComponent({
  name: 'OnseatMediaPlayer',
  props: {
    stream: { type: Object as PropType<MediaStream | null>, default: null },
    kind: { type: String as PropType<'video' | 'audio'>, default: 'video' },
    /** Your own preview: never audible. */
    muted: { type: Boolean, default: false },
    mirror: { type: Boolean, default: false },
    /** Changes when the stream's tracks change. */
    trackKey: { type: String, default: '' },
    /** 0–100. */
    volume: { type: Number, default: 100 },
    /** Audio output deviceId ('' = default). */
    sinkId: { type: String, default: '' },
    fit: { type: String as PropType<'cover' | 'contain'>, default: 'cover' },
  },
  setup(props) {
    const element = shallowRef<HTMLMediaElement | null>(null);
    const playback = useMediaPlayback();

    const applyAudio = (media: SinkCapable) => {
      const controls = playback.controls();
      media.muted = props.muted || controls.muted;
      media.volume = Math.max(0, Math.min(1, (props.volume / 100) * (controls.volume / 100)));
      if (props.sinkId && typeof media.setSinkId === 'function') media.setSinkId(props.sinkId).catch(() => undefined);
    };
    const attach = (restart: boolean) => {
      const media = element.value;
      if (!media) return;
      applyAudio(media);
      if (restart || media.srcObject !== props.stream) {
        try {
          media.srcObject = props.stream;
        } catch {
          // Not a MediaStream this environment accepts (e.g. a DOM without WebRTC): nothing can play anyway.
        }
      }
      if (props.stream) playback.play(media);
    };

    onMounted(() => attach(false));
    watch(
      () => props.stream,
      () => attach(false),
      { flush: 'post' },
    );
    watch(
      () => props.trackKey,
      () => attach(true),
      { flush: 'post' },
    );
    watch(
      () => [props.muted, props.volume, props.sinkId, playback.controls().muted, playback.controls().volume] as const,
      () => element.value && applyAudio(element.value),
      { flush: 'post' },
    );
    watch(
      () => playback.controls().paused,
      (paused) => {
        const media = element.value;
        if (!media || !props.stream) return;
        if (paused) media.pause();
        else playback.play(media);
      },
      { flush: 'post' },
    );
    onBeforeUnmount(() => {
      const media = element.value;
      if (!media) return;
      playback.forget(media);
      try {
        media.srcObject = null;
      } catch {
        // see attach
      }
    });

    return () =>
      h(props.kind, {
        ref: element,
        class: `onseat-media onseat-media-${props.kind}`,
        autoplay: true,
        playsinline: '',
        muted: props.muted || playback.controls().muted,
        style:
          props.kind === 'video'
            ? {
                position: 'absolute',
                inset: '0',
                width: '100%',
                height: '100%',
                objectFit: props.fit,
                background: '#000',
                transform: props.mirror ? 'scaleX(-1)' : undefined,
              }
            : { display: 'none' },
      });
  },
});
