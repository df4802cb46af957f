/** The host's seat actions (from `<GuestControls>`) and how each maps onto @onseat/vue's LiveSeatState. */
import { DeviceControlPolicy, MoveSeatPolicy, useLiveSeatState } from '@onseat/vue';

/** A seat action the host picked. */
export type SeatAction =
  | { kind: 'closeMic' | 'allowMic' | 'closeCam' | 'allowCam' | 'kick'; userId: string }
  | { kind: 'move'; userId: string; targetIndex: number }
  | { kind: 'lock' | 'unlock'; seatIndex: number };

/** Run `action` with LiveSeatState; resolves with a short past-tense description for a toast. */
export async function runSeatAction(seat: ReturnType<typeof useLiveSeatState>, action: SeatAction): Promise<string> {
  const policy = DeviceControlPolicy.UnlockOnly;
  switch (action.kind) {
    case 'closeMic':
      await seat.closeRemoteMicrophone({ userId: action.userId });
      return 'Microphone closed';
    case 'allowMic':
      await seat.openRemoteMicrophone({ userId: action.userId, policy });
      return 'Microphone allowed again';
    case 'closeCam':
      await seat.closeRemoteCamera({ userId: action.userId });
      return 'Camera closed';
    case 'allowCam':
      await seat.openRemoteCamera({ userId: action.userId, policy });
      return 'Camera allowed again';
    case 'kick':
      await seat.kickUserOutOfSeat({ userId: action.userId });
      return 'Removed from the seat';
    case 'move':
      await seat.moveUserToSeat({ userId: action.userId, targetIndex: action.targetIndex, policy: MoveSeatPolicy.AbortWhenOccupied });
      return `Moved to seat ${action.targetIndex + 1}`;
    case 'lock':
      await seat.lockSeat({ seatIndex: action.seatIndex });
      return `Seat ${action.seatIndex + 1} locked`;
    case 'unlock':
      await seat.unlockSeat({ seatIndex: action.seatIndex });
      return `Seat ${action.seatIndex + 1} unlocked`;
  }
}
