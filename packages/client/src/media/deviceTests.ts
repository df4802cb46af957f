import type { LevelMeter, MediaEnv } from './MediaEnv.js';

/** A running microphone test: the captured track, its meter and the timer that samples it. */
export interface MicrophoneTest {
  track: MediaStreamTrack;
  meter: LevelMeter | null;
  timer: ReturnType<typeof setInterval>;
}

/** A running camera test: the captured track and the `<video>` that shows it. */
export interface CameraTest {
  track: MediaStreamTrack;
  video: HTMLVideoElement | null;
}

/** The element a camera test renders into: an element, or the id of one. Throws when there is none. */
export function viewElement(view: string | HTMLElement): HTMLElement {
  if (typeof view !== 'string') return view;
  const el = (globalThis as { document?: Document }).document?.getElementById(view);
  if (!el) throw new Error(`startCameraTest: no element with id "${view}"`);
  return el;
}

/** Shows `track` in a muted, inline `<video>` filling `container` (mirrored when asked). */
export function showPreview(env: MediaEnv, container: HTMLElement, track: MediaStreamTrack, mirror: boolean): HTMLVideoElement {
  const video = container.ownerDocument.createElement('video');
  video.autoplay = true;
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('data-onseat-camera-test', '');
  video.style.cssText = `width:100%;height:100%;object-fit:cover;${mirror ? 'transform:scaleX(-1);' : ''}`;
  video.srcObject = env.createMediaStream([track]);
  container.appendChild(video);
  void video.play?.()?.catch?.(() => undefined);
  return video;
}

export function stopMicrophoneTest(test: MicrophoneTest): void {
  clearInterval(test.timer);
  test.meter?.close();
  test.track.stop();
}

export function stopCameraTest(test: CameraTest): void {
  test.track.stop();
  if (test.video) {
    test.video.srcObject = null;
    test.video.remove();
  }
}
