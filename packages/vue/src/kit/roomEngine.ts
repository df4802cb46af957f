/**
 * `useRoomEngine()`: AtomicX apps reach TUIRoomEngine through `useRoomEngine().instance` for a few events and
 * look-ups. onseat's instance implements that documented subset (docs/API.md) on top of the onseat stores; every
 * other TUIRoomEngine method throws `onseat does not support TUIRoomEngine.<method> yet`.
 */
import { DeviceStatus, OnseatError, Role, type AudienceInfo, type LiveUserInfo, type Logger, type SeatInfo } from '@onseat/client';
import type { Onseat } from '../instance.js';
import { useOnseat } from '../instance.js';
import { notSupported } from '../notSupported.js';
import { TUIRole } from '../enums.js';
import { onAutoplayBlocked } from '../components/playback.js';

/** A user as TUIRoomEngine describes it (`getUserInfo`, `onUserInfoChanged`, `onRemoteUserEnterRoom`). */
export interface TUIUserInfo {
  userId: string;
  userName: string;
  nameCard: string;
  avatarUrl: string;
  userRole: TUIRole;
  hasAudioStream: boolean;
  hasVideoStream: boolean;
  hasScreenStream: boolean;
  isMessageDisabled: boolean;
  roomCustomInfo: Record<string, unknown>;
}

/** A seat as TUIRoomEngine describes it (`getSeatList`, `onSeatListChanged`). */
export interface TUISeatInfo {
  index: number;
  userId: string;
  userName: string;
  nameCard: string;
  avatarUrl: string;
  isLocked: boolean;
  isVideoLocked: boolean;
  isAudioLocked: boolean;
}

/** An event handler as TUIRoomEngine types it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TUIRoomEngine's own handler type; payloads differ per event
export type RoomEngineHandler = (...args: any[]) => void;

/** The TUIRoomEngine subset onseat implements. Reading any other method gives one that throws. */
export interface OnseatRoomEngine {
  /** Subscribe to a `TUIRoomEvents` event (or `'onAutoPlayFailed'`); see docs/API.md for the ones onseat emits. */
  on(event: string, handler: RoomEngineHandler): void;
  /** Remove a handler (same function reference). */
  off(event: string, handler: RoomEngineHandler): void;
  /** A user of the current live (seats, audience, owner) or yourself; rejects with 100005 when unknown. */
  getUserInfo(options: { userId: string }): Promise<TUIUserInfo>;
  /** The seats of the current live (empty seats have `userId ''`). */
  getSeatList(): Promise<TUISeatInfo[]>;
}

/** The events onseat's room engine emits. */
export const EMITTED_ROOM_EVENTS = [
  'onAutoPlayFailed',
  'onKickedOffLine',
  'onUserSigExpired',
  'onRoomDismissed',
  'onKickedOutOfRoom',
  'onRemoteUserEnterRoom',
  'onRemoteUserLeaveRoom',
  'onRoomUserCountChanged',
  'onSeatListChanged',
  'onUserVoiceVolumeChanged',
  'onUserInfoChanged',
] as const;

const IMPLEMENTED = new Set<string>(['on', 'off', 'getUserInfo', 'getSeatList']);

function seatToTUI(seat: SeatInfo): TUISeatInfo {
  const u = seat.userInfo;
  return {
    index: seat.index,
    userId: u.userId,
    userName: u.userName,
    nameCard: '',
    avatarUrl: u.avatarUrl,
    isLocked: seat.isLocked,
    isVideoLocked: seat.isVideoLocked,
    isAudioLocked: seat.isAudioLocked,
  };
}

function userToTUI(user: LiveUserInfo, role: TUIRole, seat?: SeatInfo): TUIUserInfo {
  return {
    userId: user.userId,
    userName: user.userName,
    nameCard: '',
    avatarUrl: user.avatarUrl,
    userRole: role,
    hasAudioStream: seat?.userInfo.microphoneStatus === DeviceStatus.On,
    hasVideoStream: seat?.userInfo.cameraStatus === DeviceStatus.On,
    hasScreenStream: false,
    isMessageDisabled: (user as Partial<AudienceInfo>).isMessageDisabled ?? false,
    roomCustomInfo: {},
  };
}

function createRoomEngine(onseat: Onseat, logger: Logger): OnseatRoomEngine {
  const { stores } = onseat;
  const handlers = new Map<string, RoomEngineHandler[]>();
  const warned = new Set<string>();
  const emit = (event: string, payload: unknown): void => {
    for (const handler of [...(handlers.get(event) ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        logger.error?.(`Error in event callback for ${event}`, error);
      }
    }
  };
  const liveId = () => stores.liveList.getSnapshot().currentLive?.liveId ?? '';
  const roleOf = (userId: string): TUIRole => {
    if (stores.liveList.getSnapshot().currentLive?.liveOwner.userId === userId) return TUIRole.kRoomOwner;
    const a = stores.liveAudience.getSnapshot().audienceList.find((x) => x.userId === userId);
    return a?.userRole === Role.Administrator ? TUIRole.kAdministrator : TUIRole.kGeneralUser;
  };

  stores.login.subscribeEvent('onKickedOffline', ({ reason }) => emit('onKickedOffLine', { message: reason }));
  stores.login.subscribeEvent('onLoginExpired', () => emit('onUserSigExpired', undefined));
  stores.liveList.subscribeEvent('onLiveEnded', (e) => emit('onRoomDismissed', { roomId: e.liveId, reason: e.reason }));
  stores.liveList.subscribeEvent('onKickedOutOfLive', (e) => emit('onKickedOutOfRoom', { roomId: e.liveId, reason: e.reason, message: e.message }));
  stores.liveAudience.subscribeEvent('onAudienceJoined', ({ audience }) =>
    emit('onRemoteUserEnterRoom', { roomId: liveId(), userInfo: userToTUI(audience, roleOf(audience.userId)) }),
  );
  stores.liveAudience.subscribeEvent('onAudienceLeft', ({ audience }) =>
    emit('onRemoteUserLeaveRoom', { roomId: liveId(), userInfo: userToTUI(audience, roleOf(audience.userId)) }),
  );
  let count = stores.liveAudience.getSnapshot().audienceCount;
  stores.liveAudience.subscribe((s) => {
    if (s.audienceCount === count) return;
    count = s.audienceCount;
    emit('onRoomUserCountChanged', { roomId: liveId(), userCount: count });
  });
  let seats = stores.liveSeat.getSnapshot().seatList;
  let speaking = stores.liveSeat.getSnapshot().speakingUsers;
  stores.liveSeat.subscribe((s) => {
    if (s.seatList !== seats) {
      const before = new Map(seats.filter((x) => x.userInfo.userId).map((x) => [x.userInfo.userId, x]));
      const after = new Map(s.seatList.filter((x) => x.userInfo.userId).map((x) => [x.userInfo.userId, x]));
      seats = s.seatList;
      emit('onSeatListChanged', {
        seatList: seats.map(seatToTUI),
        seatedList: [...after.values()].filter((x) => !before.has(x.userInfo.userId)).map(seatToTUI),
        leftList: [...before.values()].filter((x) => !after.has(x.userInfo.userId)).map(seatToTUI),
      });
      for (const [userId, seat] of after) {
        const old = before.get(userId);
        if (old && (old.userInfo.userName !== seat.userInfo.userName || old.userInfo.avatarUrl !== seat.userInfo.avatarUrl)) {
          emit('onUserInfoChanged', { userInfo: userToTUI(seat.userInfo, roleOf(userId), seat) });
        }
      }
    }
    if (s.speakingUsers !== speaking) {
      const previous = speaking;
      speaking = s.speakingUsers;
      const userVolumeList = [...speaking].map(([userId, volume]) => ({ userId, volume }));
      for (const userId of previous.keys()) if (!speaking.has(userId)) userVolumeList.push({ userId, volume: 0 });
      emit('onUserVoiceVolumeChanged', { userVolumeList });
    }
  });
  let self = stores.login.getSnapshot().loginUserInfo;
  stores.login.subscribe((s) => {
    const next = s.loginUserInfo;
    if (self && next && self.userId === next.userId && (self.userName !== next.userName || self.avatarUrl !== next.avatarUrl)) {
      emit('onUserInfoChanged', { userInfo: userToTUI(next, roleOf(next.userId)) });
    }
    self = next;
  });
  onAutoplayBlocked((resume) => emit('onAutoPlayFailed', { userId: '', resume }));

  const engine: OnseatRoomEngine = {
    on(event, handler) {
      if (!(EMITTED_ROOM_EVENTS as readonly string[]).includes(event) && !warned.has(event)) {
        warned.add(event);
        logger.warn?.(`useRoomEngine: onseat never emits ${event} (supported: ${EMITTED_ROOM_EVENTS.join(', ')})`);
      }
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
    },
    off(event, handler) {
      const rest = (handlers.get(event) ?? []).filter((h) => h !== handler);
      if (rest.length) handlers.set(event, rest);
      else handlers.delete(event);
    },
    getUserInfo({ userId }) {
      const seat = stores.liveSeat.getSnapshot().seatList.find((s) => s.userInfo.userId === userId);
      if (seat) return Promise.resolve(userToTUI(seat.userInfo, roleOf(userId), seat));
      const audience = stores.liveAudience.getSnapshot().audienceList.find((a) => a.userId === userId);
      if (audience) return Promise.resolve(userToTUI(audience, roleOf(userId)));
      const owner = stores.liveList.getSnapshot().currentLive?.liveOwner;
      if (owner?.userId === userId) return Promise.resolve(userToTUI(owner, TUIRole.kRoomOwner));
      const me = stores.login.getSnapshot().loginUserInfo;
      if (me?.userId === userId) return Promise.resolve(userToTUI(me, roleOf(userId)));
      return Promise.reject(OnseatError.of('USER_NOT_IN_LIVE', `getUserInfo: ${userId} is not in the live`));
    },
    getSeatList() {
      return Promise.resolve(stores.liveSeat.getSnapshot().seatList.map(seatToTUI));
    },
  };
  return new Proxy(engine, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || IMPLEMENTED.has(key) || key === 'then' || key === 'toJSON' || key.startsWith('__v_')) {
        return Reflect.get(target, key, receiver) as unknown;
      }
      return () => {
        throw notSupported(`TUIRoomEngine.${key}`);
      };
    },
  });
}

const engines = new WeakMap<Onseat, OnseatRoomEngine>();

/** Room engine of `onseat` (one per instance). */
export function roomEngineOf(onseat: Onseat, logger: Logger): OnseatRoomEngine {
  let engine = engines.get(onseat);
  if (!engine) {
    engine = createRoomEngine(onseat, logger);
    engines.set(onseat, engine);
  }
  return engine;
}

/** AtomicX's `useRoomEngine()`: `{ instance }`, onseat's TUIRoomEngine subset for the instance in effect here. */
export function useRoomEngine(): Record<string, OnseatRoomEngine | null> & { instance: OnseatRoomEngine | null } {
  const onseat = useOnseat();
  return { instance: roomEngineOf(onseat, onseat.logger) };
}
