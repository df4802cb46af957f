import type { LiveSnapshot, SeatInfo as WireSeat } from '@onseat/protocol';
import type { AnyLiveEvent } from '../client/liveTracker.js';
import type { OnseatContext } from '../context.js';
import type { DeviceControlPolicy } from '../enums.js';
import type { LiveCanvas, LiveSeatEventMap, MoveUserToSeatParams, SeatInfo } from '../types.js';
import { canvasFor, toSeatList } from './mappers.js';
import { Store } from './Store.js';

/** State of the {@link LiveSeatStore}. */
export interface LiveSeatSnapshot {
  /** Every seat of the live, by index; an empty seat has `userInfo.userId === ''`. */
  seatList: readonly SeatInfo[];
  canvas: LiveCanvas;
  /** userId → audio level 0–100 of the users currently audible (from the server's `media.audioLevels`). */
  speakingUsers: ReadonlyMap<string, number>;
}

interface LocalLocks {
  audio: boolean;
  video: boolean;
}

const NO_CANVAS: LiveCanvas = { width: 0, height: 0, background: '#000000' };

/**
 * AtomicX LiveSeatState: the seat list and the host's seat controls. Emits `onLocal*OpenedByAdmin/ClosedByAdmin`
 * when the local user's seat audio/video lock (or an admin's device close) changes between two seat lists.
 */
export class LiveSeatStore extends Store<LiveSeatSnapshot, LiveSeatEventMap> {
  /** Locks of the local user's seat in the last list; null = not seated; undefined = no list yet. */
  #locks: LocalLocks | null | undefined = undefined;

  constructor(ctx: OnseatContext) {
    super(ctx, { seatList: [], canvas: NO_CANVAS, speakingUsers: new Map() });
    ctx.addSink({
      liveSnapshot: (snapshot: LiveSnapshot) => {
        this.setState({ canvas: canvasFor(snapshot.live.layoutTemplate) });
        this.#applySeats(snapshot.seats, snapshot.live.liveId);
      },
      liveEvent: (event: AnyLiveEvent) => {
        if (event.type === 'seat.listChanged') this.#applySeats(event.payload.seats, event.liveId);
        if (event.type === 'live.infoChanged') this.setState({ canvas: canvasFor(event.payload.live.layoutTemplate) });
        if (event.type === 'media.audioLevels') {
          const speaking = event.payload.levels.filter((l) => l.level > 0).map((l): [string, number] => [l.userId, l.level]);
          this.setState({ speakingUsers: new Map(speaking) });
        }
      },
      liveExit: () => {
        this.#locks = undefined;
        this.resetState();
      },
    });
  }

  /** Sit on a seat directly (host/admin, or anyone in a free-to-take live). */
  async takeSeat(params: { seatIndex: number }): Promise<void> {
    await this.ctx.request('seat.take', { seatIndex: params.seatIndex });
  }

  /** Leave your seat (you stay in the live). */
  async leaveSeat(): Promise<void> {
    await this.ctx.request('seat.leave', {});
  }

  /** Lock a seat (its user, if any, is removed first). */
  async lockSeat(params: { seatIndex: number }): Promise<void> {
    await this.ctx.request('seat.lock', { seatIndex: params.seatIndex });
  }

  /** Unlock a seat. */
  async unlockSeat(params: { seatIndex: number }): Promise<void> {
    await this.ctx.request('seat.unlock', { seatIndex: params.seatIndex });
  }

  /** Older name of {@link unlockSeat}. */
  unLockSeat(params: { seatIndex: number }): Promise<void> {
    return this.unlockSeat(params);
  }

  /** Remove a user from their seat; no-op when they are not seated. */
  async kickUserOutOfSeat(params: { userId: string }): Promise<void> {
    if (!this.#isSeated(params.userId)) return;
    await this.ctx.request('seat.kick', { userId: params.userId });
  }

  /** Move a seated user to another seat; no-op when they are not seated. */
  async moveUserToSeat(params: MoveUserToSeatParams): Promise<void> {
    if (!this.#isSeated(params.userId)) return;
    const payload: { userId: string; targetIndex: number; policy?: 0 | 1 | 2 } = {
      userId: params.userId,
      targetIndex: params.targetIndex,
    };
    if (params.policy !== undefined) payload.policy = params.policy;
    await this.ctx.request('seat.move', payload);
  }

  /** Allow a guest to open their camera again (unlock only; it does not turn it on). */
  async openRemoteCamera(params: { userId: string; policy?: DeviceControlPolicy }): Promise<void> {
    await this.ctx.request('seat.openRemoteDevice', { userId: params.userId, device: 'camera', policy: 1 });
  }

  /** Allow a guest to open their microphone again (unlock only). */
  async openRemoteMicrophone(params: { userId: string; policy?: DeviceControlPolicy }): Promise<void> {
    await this.ctx.request('seat.openRemoteDevice', { userId: params.userId, device: 'microphone', policy: 1 });
  }

  /** Force-close a guest's camera (they cannot reopen it until `openRemoteCamera`). */
  async closeRemoteCamera(params: { userId: string }): Promise<void> {
    await this.ctx.request('seat.closeRemoteDevice', { userId: params.userId, device: 'camera' });
  }

  /** Force-close a guest's microphone. */
  async closeRemoteMicrophone(params: { userId: string }): Promise<void> {
    await this.ctx.request('seat.closeRemoteDevice', { userId: params.userId, device: 'microphone' });
  }

  #isSeated(userId: string): boolean {
    return !!userId && this.getSnapshot().seatList.some((s) => s.userInfo.userId === userId);
  }

  #applySeats(seats: readonly WireSeat[], liveId: string): void {
    const seatList = toSeatList(seats, liveId);
    const me = this.ctx.userId;
    const mine = seats.find((s) => s.userInfo?.userId === me);
    const now: LocalLocks | null = mine
      ? {
          audio: mine.isAudioLocked || mine.userInfo?.allowOpenMicrophone === false,
          video: mine.isVideoLocked || mine.userInfo?.allowOpenCamera === false,
        }
      : null;
    const before = this.#locks;
    this.#locks = now;
    this.setState({ seatList });
    if (!before || !now) return;
    if (before.video !== now.video) {
      if (now.video) this.emit('onLocalCameraClosedByAdmin', undefined);
      else this.emit('onLocalCameraOpenedByAdmin', { policy: 1 });
    }
    if (before.audio !== now.audio) {
      if (now.audio) this.emit('onLocalMicrophoneClosedByAdmin', undefined);
      else this.emit('onLocalMicrophoneOpenedByAdmin', { policy: 1 });
    }
  }
}
