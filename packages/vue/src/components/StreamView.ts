import { computed, defineComponent, h, type PropType } from 'vue';
import { MediaPlayer } from './MediaPlayer.js';
import { useMediaSources } from './sources.js';

/**
 * The media of one user of the current live, from the same stores as `LiveCoreView`: their video (your own: the
 * muted local preview, mirrored per `localMirrorType`), a hidden `<audio>` element for a remote user who sends
 * audio only, nothing otherwise. The video fills the nearest positioned ancestor (`position: absolute; inset: 0`).
 * Autoplay refusals are reported to {@link useMediaPlayback}.
 *
 * ```vue
 * <div style="position: relative; aspect-ratio: 16/9"><StreamView :user-id="seat.userInfo.userId" /></div>
 * ```
 */
export const StreamView = defineComponent({
  name: 'StreamView',
  props: {
    userId: { type: String, required: true },
    /** `cover` (default) crops to fill; `contain` letterboxes. */
    fit: { type: String as PropType<'cover' | 'contain'>, default: 'cover' },
  },
  setup(props) {
    const sources = useMediaSources();
    const media = computed(() => sources.mediaOf(props.userId));
    return () => {
      const m = media.value;
      if (!m.stream || (!m.hasVideo && (m.isLocal || !m.hasAudio))) return null;
      const kind = m.hasVideo ? 'video' : 'audio';
      return h(MediaPlayer, {
        key: `${m.userId}:${kind}`,
        stream: m.stream,
        kind,
        muted: m.isLocal,
        mirror: m.isLocal && sources.mirrorLocal.value,
        trackKey: m.trackKey,
        volume: sources.outputVolume.value,
        sinkId: sources.speakerId.value,
        fit: props.fit,
        'data-user-id': m.userId,
      });
    };
  },
});
