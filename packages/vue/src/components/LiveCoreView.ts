import { DeviceStatus, type SeatInfo, type SeatUserInfo } from '@onseat/client';
import { computed, defineComponent, h, onBeforeUnmount, onMounted, shallowRef, type SlotsType, type VNode } from 'vue';
import { livePlayerOf, useOnseat } from '../instance.js';
import { PlayerControlBar } from './PlayerControlBar.js';
import { DefaultStreamViewUI } from './DefaultStreamViewUI.js';
import { seatGridLayout } from './layout.js';
import { createMediaPlayback, provideMediaPlayback } from './playback.js';
import { createMediaSources, provideMediaSources } from './sources.js';
import { StreamView } from './StreamView.js';

/** Id of the element that holds the seat regions (AtomicX's `LIVE_STREAM_CONTENT_VIEW`). */
export const LIVE_STREAM_CONTENT_VIEW = 'atomicx-live-stream-content';

const TILE_BG = '#1f1f2b';

/**
 * The live's picture (AtomicX `LiveCoreView`, also exported as `LiveView`): every seat of the current live as a
 * region of a grid laid out by the live's `layoutTemplate` — the video of each seated user who sends video (your own
 * seat shows your muted local preview), an avatar tile for users without video (their audio still plays), a
 * crossed-out microphone and a speaking indicator, and empty seats that emit `empty-seat-click(seatIndex)`.
 *
 * No props; it fills its parent. Playback follows `currentLive`: media is received from `joinLive`/`startLive` until
 * you leave. Works for the host (who sees themself and the guests) and the audience alike.
 *
 * Slots: `streamViewUI {userInfo}` (per occupied seat, default {@link DefaultStreamViewUI}), `center-overlay
 * {isLoading}` (default: "Loading…" while the media is being subscribed), `autoplay-prompt {resume}` (shown when the
 * browser refused to start playback without a user gesture; default: a "Click to play" button calling `resume`).
 */
export const LiveCoreView = defineComponent({
  name: 'LiveCoreView',
  emits: { 'empty-seat-click': (seatIndex: number) => typeof seatIndex === 'number' },
  slots: Object as SlotsType<{
    streamViewUI: { userInfo: SeatUserInfo };
    'center-overlay': { isLoading: boolean };
    'autoplay-prompt': { resume: () => void };
  }>,
  setup(_props, { emit, slots }) {
    const onseat = useOnseat();
    const player = livePlayerOf(onseat);
    const sources = createMediaSources();
    provideMediaSources(sources);
    const playback = createMediaPlayback(player.controls);
    provideMediaPlayback(playback);
    const root = shallowRef<HTMLElement | null>(null);
    let detach: (() => void) | null = null;
    onMounted(() => {
      if (root.value) detach = player.attach({ root: root.value });
    });
    onBeforeUnmount(() => detach?.());
    /** AtomicX shows the player control bar to viewers: in a live, not on a seat. */
    const showControls = computed(
      () =>
        !!liveId.value &&
        player.state.controlBarVisible.value &&
        !seats.value.some((s) => s.userInfo.userId && s.userInfo.userId === sources.localUserId.value),
    );

    const liveId = computed(() => sources.currentLive.value?.liveId ?? '');
    const seats = computed(() => (liveId.value ? sources.seatList.value : []));
    const layout = computed(() => seatGridLayout(sources.currentLive.value?.layoutTemplate ?? 0, seats.value.length));
    const isLoading = computed(() => !!liveId.value && !sources.subscribed.value);
    /** Remote users heard but not on any seat (their audio plays too). */
    const unseatedAudio = computed(() => {
      const seated = new Set(seats.value.map((s) => s.userInfo.userId));
      return [...sources.remoteUsers.value.values()].filter((u) => u.hasAudio && !seated.has(u.userId)).map((u) => u.userId);
    });
    const resume = () => playback.resume();

    const clickEmpty = (seat: SeatInfo) => {
      const doc = globalThis.document as (Document & { fullscreenElement?: Element | null }) | undefined;
      if (doc?.fullscreenElement && typeof doc.exitFullscreen === 'function') doc.exitFullscreen().catch(() => undefined);
      emit('empty-seat-click', seat.index);
    };

    const emptySeat = (seat: SeatInfo, style: Record<string, string>): VNode =>
      h(
        'div',
        {
          key: `seat-${seat.index}`,
          class: ['onseat-seat', 'is-empty', seat.isLocked ? 'is-locked' : ''],
          'data-seat-index': seat.index,
          role: 'button',
          tabindex: 0,
          'aria-label': `Seat ${seat.index + 1}: ${seat.isLocked ? 'locked' : 'empty'}`,
          style: { ...tileStyle(), ...style, border: '1px dashed rgba(255,255,255,.25)', background: 'rgba(255,255,255,.04)', cursor: 'pointer' },
          onClick: () => clickEmpty(seat),
          onKeydown: (e: KeyboardEvent) => {
            if (e.key !== 'Enter' && e.key !== ' ') return;
            e.preventDefault();
            clickEmpty(seat);
          },
        },
        [
          h('span', { style: { fontSize: '22px', opacity: '.6' }, 'aria-hidden': 'true' }, seat.isLocked ? '🔒' : '+'),
          h('span', { style: seatNoStyle() }, String(seat.index + 1)),
        ],
      );

    const userSeat = (seat: SeatInfo, style: Record<string, string>): VNode => {
      const user = seat.userInfo;
      const media = sources.mediaOf(user.userId);
      const speaking = (sources.speakingUsers.value.get(user.userId) ?? 0) > 0 && user.microphoneStatus === DeviceStatus.On;
      return h(
        'div',
        {
          key: `seat-${seat.index}`,
          class: [
            'onseat-seat',
            'is-occupied',
            media.isLocal ? 'is-local' : '',
            speaking ? 'is-speaking' : '',
            media.hasVideo ? 'has-video' : 'no-video',
          ],
          'data-seat-index': seat.index,
          'data-user-id': user.userId,
          style: { ...tileStyle(), ...style, boxShadow: speaking ? 'inset 0 0 0 2px #30a46c' : 'none' },
        },
        [
          media.hasVideo ? null : avatar(user),
          h(StreamView, { userId: user.userId }),
          slots.streamViewUI ? slots.streamViewUI({ userInfo: user }) : h(DefaultStreamViewUI, { userInfo: user }),
        ],
      );
    };

    return () => {
      const l = layout.value;
      const cells = seats.value.map((seat, position) =>
        seat.userInfo.userId ? userSeat(seat, l.cell(position)) : emptySeat(seat, l.cell(position)),
      );
      return h(
        'div',
        {
          ref: root,
          class: 'onseat-live-core-view',
          'data-layout': l.name,
          style: { position: 'relative', width: '100%', height: '100%', minHeight: '180px', background: '#000', overflow: 'hidden' },
        },
        [
          h(
            'div',
            {
              id: LIVE_STREAM_CONTENT_VIEW,
              class: 'onseat-seat-grid',
              style: { display: 'grid', gap: '2px', width: '100%', height: '100%', ...l.container },
            },
            cells,
          ),
          unseatedAudio.value.length
            ? h(
                'div',
                { style: { display: 'none' } },
                unseatedAudio.value.map((userId) => h(StreamView, { key: userId, userId })),
              )
            : null,
          overlay(slots['center-overlay'] ? slots['center-overlay']({ isLoading: isLoading.value }) : isLoading.value ? [loading()] : []),
          showControls.value ? h(PlayerControlBar, { player: player.state }) : null,
          playback.autoplayBlocked.value
            ? overlay(slots['autoplay-prompt'] ? slots['autoplay-prompt']({ resume }) : [playButton(resume)], 'onseat-autoplay-prompt', true)
            : null,
        ],
      );
    };
  },
});

function tileStyle(): Record<string, string> {
  return {
    position: 'relative',
    overflow: 'hidden',
    minWidth: '0',
    minHeight: '0',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: '4px',
    background: TILE_BG,
    color: '#fff',
    borderRadius: '4px',
  };
}

function seatNoStyle(): Record<string, string> {
  return { position: 'absolute', top: '4px', left: '6px', font: '700 11px system-ui, sans-serif', opacity: '.5' };
}

function avatar(user: SeatUserInfo): VNode {
  const name = user.userName || user.userId;
  const style = { width: '30%', maxWidth: '72px', minWidth: '32px', aspectRatio: '1', borderRadius: '50%', objectFit: 'cover' };
  if (user.avatarUrl) return h('img', { class: 'onseat-avatar', src: user.avatarUrl, alt: name, style });
  return h(
    'div',
    {
      class: 'onseat-avatar',
      'aria-hidden': 'true',
      style: {
        ...style,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#5b5bd6',
        font: '700 20px system-ui, sans-serif',
      },
    },
    (name[0] ?? '?').toUpperCase(),
  );
}

function overlay(children: VNode[], className = 'onseat-center-overlay', interactive = false): VNode | null {
  if (children.length === 0) return null;
  return h(
    'div',
    {
      class: className,
      style: {
        position: 'absolute',
        inset: '0',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        pointerEvents: interactive ? 'auto' : 'none',
        background: interactive ? 'rgba(0,0,0,.45)' : 'transparent',
      },
    },
    children,
  );
}

function loading(): VNode {
  return h('div', { role: 'status', style: { color: '#fff', font: '600 14px system-ui, sans-serif', textShadow: '0 1px 2px #000' } }, 'Loading…');
}

function playButton(resume: () => void): VNode {
  return h(
    'button',
    {
      type: 'button',
      class: 'onseat-autoplay-button',
      style: {
        padding: '10px 18px',
        border: '0',
        borderRadius: '999px',
        background: '#fff',
        color: '#111',
        font: '600 15px system-ui, sans-serif',
        cursor: 'pointer',
      },
      onClick: resume,
    },
    '▶ Click to play',
  );
}
