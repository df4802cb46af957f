/**
 * A seat.listChanged frame of the shape onseat sends (9 seats, the owner on seat 0, seat 1 locked), for
 * running the comparison servers alone (`--only=ws,sio`). A normal run sends the frame captured from onseat.
 */
import { EventFrame, Events } from '@onseat/protocol';

export function syntheticFrame(): string {
  const owner = { userId: 'h_fan', userName: '', avatarUrl: '' };
  const seats = Array.from({ length: 9 }, (_, index) => ({
    index,
    isLocked: index === 1,
    isAudioLocked: false,
    isVideoLocked: false,
    userInfo:
      index === 0
        ? { ...owner, role: 0, microphoneStatus: 0, cameraStatus: 0, allowOpenMicrophone: true, allowOpenCamera: true, onSeatTimestamp: Date.now() }
        : null,
  }));
  const payload = Events['seat.listChanged'].parse({ seats });
  return JSON.stringify(EventFrame.parse({ kind: 'evt', type: 'seat.listChanged', liveId: 'fan', seq: 42, payload }));
}
